#include "ulcsim/csv_format.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace ulcsim {

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string csv_number(double value) {
    if (std::isnan(value)) return "";
    std::ostringstream out;
    out << std::setprecision(12) << value;
    return out.str();
}

} // namespace ulcsim
