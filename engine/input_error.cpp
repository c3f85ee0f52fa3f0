#include "ulcsim/input_error.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace ulcsim {

std::string Diagnostic::format() const {
    std::string out = where.file;
    if (!where.from_command_line && where.line > 0) {
        out += ':' + std::to_string(where.line);
        if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += warning ? ": warning: " : ": error: ";
    if (!key.empty()) out += key + ": ";
    out += message;
    return out;
}

namespace {

/// By source (in the order they first appear: a file before the bases it extends, the `--set`
/// arguments in the order given), then by line and column, so a user fixes a file from top to
/// bottom; problems without a line keep their place after the located ones of their source.
std::vector<Diagnostic> in_reading_order(std::vector<Diagnostic> diagnostics) {
    std::vector<std::string> sources;
    for (const Diagnostic& d : diagnostics)
        if (std::find(sources.begin(), sources.end(), d.where.file) == sources.end())
            sources.push_back(d.where.file);
    const auto rank = [&](const Diagnostic& d) {
        const auto source =
            std::find(sources.begin(), sources.end(), d.where.file) - sources.begin();
        const int line = d.where.line > 0 ? d.where.line : std::numeric_limits<int>::max();
        return std::tuple(source, line, d.where.column);
    };
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
    return diagnostics;
}

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
    : InputError(in_reading_order(std::move(diagnostics)), sorted) {}

InputError::InputError(std::vector<Diagnostic> diagnostics, Sorted)
    : std::runtime_error(summary(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(Diagnostic diagnostic)
    : InputError(std::vector<Diagnostic>{std::move(diagnostic)}) {}

} // namespace ulcsim
