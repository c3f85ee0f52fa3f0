#include "terminal_format.hpp"

#include <cmath>

namespace ulcsim::cli {

std::string with_thousands(std::int64_t value) {
    const bool negative = value < 0;
    std::string digits = std::to_string(negative ? -value : value);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return negative ? "-" + out : out;
}

std::string rupiah(double amount) {
    return "Rp" + with_thousands(static_cast<std::int64_t>(std::llround(amount)));
}

} // namespace ulcsim::cli
