#include "ulcsim/input_error.hpp"

namespace ulcsim {

std::string Diagnostic::format() const {
    std::string out = where.file;
    if (!where.from_command_line && where.line > 0) {
        out += ':' + std::to_string(where.line);
        if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += ": error: ";
    if (!key.empty()) out += key + ": ";
    out += message;
    return out;
}

namespace {
std::string summary(const std::vector<Diagnostic>& diagnostics) {
    std::string text;
    for (const Diagnostic& d : diagnostics) {
        if (!text.empty()) text += '\n';
        text += d.format();
    }
    return text;
}
} // namespace

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(summary(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(Diagnostic diagnostic)
    : InputError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

} // namespace ulcsim
