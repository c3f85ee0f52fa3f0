// The key reference in scenarios/README.md, generated from the table of keys: one Markdown
// table per scenario table (`[run]`, `[[programme.window]]`, …).

#include "ulcsim/scenario_keys.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <vector>

namespace ulcsim {

std::string_view key_type_text(const ScenarioKey& key) {
    switch (key.type) {
    case KeyType::number:
        switch (key.quantity) {
        case Quantity::share:
            return "share";
        case Quantity::probability:
            return "probability";
        case Quantity::hazard:
            return "hazard";
        case Quantity::rate:
            return "rate";
        case Quantity::none:
        case Quantity::coefficient:
        case Quantity::amount:
            break;
        }
        return "number";
    case KeyType::integer:
        return "integer";
    case KeyType::boolean:
        return "boolean";
    case KeyType::text:
    case KeyType::choice:
        return "string";
    case KeyType::month:
        return "month";
    case KeyType::names:
        return "array of strings";
    case KeyType::region:
        return "region code";
    case KeyType::regions:
        return "array of region codes";
    case KeyType::numbers:
        return key.quantity == Quantity::share ? "array of shares" : "array of numbers";
    case KeyType::table:
        return "table";
    }
    return "";
}

namespace {

// Bounds as a reader writes them: 1200, 0.1, 1000000000.
std::string number_text(double v) {
    char buffer[64];
    const bool whole = v == std::floor(v) && std::abs(v) < 1e15;
    const auto [end, error] =
        whole ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(v))
              : std::to_chars(buffer, buffer + sizeof buffer, v);
    return error == std::errc() ? std::string(buffer, end) : std::string();
}

} // namespace

std::string key_range_text(const ScenarioKey& key) {
    std::string range;
    const bool bounded_below = std::isfinite(key.lower), bounded_above = std::isfinite(key.upper);
    switch (key.type) {
    case KeyType::number:
    case KeyType::numbers:
        if (bounded_below && bounded_above)
            range = (key.lower_open ? "(" : "[") + number_text(key.lower) + ", " +
                    number_text(key.upper) + "]";
        else if (bounded_below)
            range = (key.lower_open ? "> " : "≥ ") + number_text(key.lower);
        break;
    case KeyType::integer:
        if (bounded_below && bounded_above)
            range = number_text(key.lower) + " … " + number_text(key.upper);
        else if (bounded_below)
            range = "≥ " + number_text(key.lower);
        break;
    case KeyType::month:
        range = "2000-01 … 2100-12";
        break;
    case KeyType::choice:
    case KeyType::names:
        for (const std::string_view c : key.choices)
            range += (range.empty() ? "" : ", ") + std::string(c);
        break;
    case KeyType::boolean:
    case KeyType::text:
    case KeyType::region:
    case KeyType::regions:
    case KeyType::table:
        break;
    }
    return range;
}

namespace {

// The range as the reference shows it: choices as code, and the key's rule after it.
std::string range_text(const ScenarioKey& key) {
    std::string range;
    if (key.type == KeyType::choice || key.type == KeyType::names)
        for (const std::string_view c : key.choices)
            range += (range.empty() ? "`" : ", `") + std::string(c) + "`";
    else
        range = key_range_text(key);
    if (!key.rule.empty()) range += (range.empty() ? "" : "; ") + std::string(key.rule);
    return range;
}

// A TOML key as written: bare where it can be, quoted otherwise ("65+").
std::string toml_key(std::string_view name) {
    const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
    return bare ? "`" + std::string(name) + "`" : "`\"" + std::string(name) + "\"`";
}

std::string key_cell(const ScenarioKey& key) {
    const std::string_view name = key.path.substr(key.path.rfind('.') + 1);
    if (name != "*") return toml_key(name);
    if (key.key_names.empty()) return "`*`";
    std::string cell;
    for (const std::string_view n : key.key_names)
        cell += (cell.empty() ? "" : ", ") + toml_key(n);
    return cell;
}

} // namespace

std::string key_reference_markdown(std::string_view heading) {
    constexpr std::size_t columns = 6;
    constexpr std::array<std::string_view, columns> header{"key",     "type",  "unit",
                                                           "default", "range", "meaning"};
    std::vector<std::array<std::string, columns>> rows;
    for (const ScenarioKey& key : scenario_keys())
        if (key.type != KeyType::table && key_table_heading(key) == heading)
            rows.push_back({key_cell(key), std::string(key_type_text(key)), std::string(key.unit),
                            std::string(key.default_text), range_text(key),
                            std::string(key.summary)});
    std::array<bool, columns> shown{};
    for (const auto& row : rows)
        for (std::size_t c = 0; c < columns; ++c)
            shown[c] = shown[c] || !row[c].empty();
    std::string text;
    const auto line = [&](const auto& cells) {
        for (std::size_t c = 0; c < columns; ++c)
            if (shown[c]) text += "| " + std::string(cells[c]) + (cells[c].empty() ? "" : " ");
        text += "|\n";
    };
    line(header);
    for (std::size_t c = 0; c < columns; ++c)
        if (shown[c]) text += "|---";
    text += "|\n";
    for (const auto& row : rows)
        line(row);
    return text;
}

} // namespace ulcsim
