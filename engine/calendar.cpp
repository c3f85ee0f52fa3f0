#include "ulcsim/calendar.hpp"

#include <cstdio>

namespace ulcsim {

std::optional<Month> Month::parse(std::string_view text) {
    if (text.size() != 7 || text[4] != '-') return std::nullopt;
    int value[2] = {0, 0};
    for (std::size_t i = 0; i < 7; ++i) {
        if (i == 4) continue;
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        int& v = value[i < 4 ? 0 : 1];
        v = v * 10 + (c - '0');
    }
    if (value[1] < 1 || value[1] > 12) return std::nullopt;
    return Month(value[0], value[1]);
}

std::string Month::to_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", year(), month_of_year());
    return text;
}

} // namespace ulcsim
