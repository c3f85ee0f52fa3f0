#include "terminal_format.hpp"

#include "process_role.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

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
    const auto whole = static_cast<std::int64_t>(std::llround(amount));
    return whole < 0 ? "-Rp" + with_thousands(-whole) : "Rp" + with_thousands(whole);
}

std::size_t display_width(std::string_view text) {
    std::size_t width = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++width; // not a continuation byte
    return width;
}

std::string measure_value(double value, const std::string& units, bool difference) {
    if (std::isnan(value)) return "n/a";
    const std::string sign = difference && value >= 0 ? "+" : "";
    if (units == "share") {
        std::ostringstream out;
        out << std::fixed << std::setprecision(difference ? 2 : 1) << sign << value * 100
            << (difference ? " pp" : "%");
        return out.str();
    }
    if (units.starts_with("IDR")) return sign + rupiah(value);
    return sign + with_thousands(std::llround(value));
}

std::string measure_with_interval(double mean, double p05, double p95, const std::string& units,
                                  bool difference) {
    if (std::isnan(mean)) return "n/a";
    return measure_value(mean, units, difference) + " [" + measure_value(p05, units, difference) +
           ", " + measure_value(p95, units, difference) + "]";
}

void print_table(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
    std::vector<std::size_t> width;
    for (const auto& row : rows) {
        width.resize(std::max(width.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c)
            width[c] = std::max(width[c], display_width(row[c]));
    }
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(width[c] - display_width(row[c]), ' ');
            if (c == 0)
                out << "  " << row[c] << pad;
            else
                out << "   " << pad << row[c];
        }
        out << '\n';
    }
}

void print_programme_headlines(const std::vector<std::string>& names, const double* members,
                               const double* spent, std::size_t months, std::ostream& out) {
    const std::size_t J = names.size();
    for (std::size_t j = 0; j < J; ++j) {
        double peak = 0, total = 0;
        for (std::size_t t = 0; t < months; ++t) {
            peak = std::max(peak, members[t * J + j]);
            total += spent[t * J + j];
        }
        out << "  programme    " << names[j] << ": at most " << with_thousands(std::llround(peak))
            << " members, spent " << rupiah(total) << " (means)\n";
    }
}

std::string processes_and_threads(int threads) {
    const int ranks = process_role().ranks;
    const std::string t = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
    return ranks > 1 ? std::to_string(ranks) + " ranks × " + t : t;
}

} // namespace ulcsim::cli
