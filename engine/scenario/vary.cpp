// Variants of a validated scenario (ulcsim/vary.hpp): its document copied, the values set in
// it, and the copy validated again with the base's region table.

#include "ulcsim/vary.hpp"

#include "scenario_builder.hpp"
#include "scenario_document.hpp"
#include "ulcsim/input_error.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace ulcsim {

namespace {

// A TOML node holding `value`, with "--set KEY=VALUE" as its source so that a problem with
// it is reported there. The node is parsed from a placeholder of the value's type (the
// parser is what gives a node a source) and then given the value itself, exactly.
toml::table node_holding(const ScenarioValue& value, const std::string& source_name) {
    struct Placeholder {
        std::string_view operator()(double) const { return "value = 0.0"; }
        std::string_view operator()(std::int64_t) const { return "value = 0"; }
        std::string_view operator()(bool) const { return "value = false"; }
        std::string_view operator()(const std::string&) const { return "value = \"\""; }
        std::string_view operator()(const Month&) const { return "value = \"\""; }
    };
    toml::table holder = toml::parse(std::visit(Placeholder{}, value), source_name);
    toml::node& node = *holder.get("value");
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, double>)
                *node.as_floating_point() = v;
            else if constexpr (std::is_same_v<T, std::int64_t>)
                *node.as_integer() = v;
            else if constexpr (std::is_same_v<T, bool>)
                *node.as_boolean() = v;
            else if constexpr (std::is_same_v<T, std::string>)
                *node.as_string() = v;
            else
                *node.as_string() = v.to_string();
        },
        value);
    return holder;
}

std::string set_source(std::string_view key, const ScenarioValue& value) {
    return std::string(detail::command_line_prefix) + std::string(key) + "=" +
           format_scenario_value(value);
}

const ScenarioDocument& document_of(const Scenario& scenario) {
    if (!scenario.document)
        throw std::invalid_argument("scenario " + scenario.run.name +
                                    " has no document to vary: it was not made by "
                                    "load_scenario() or vary()");
    return *scenario.document;
}

// The resolved path of `path` in the scenario, or InputError located at `path` itself.
detail::ResolvedKey resolved(const Scenario& scenario, std::string_view path,
                             bool allow_short_names) {
    std::string full(path);
    if (allow_short_names && !find_scenario_key(path))
        if (const ScenarioKey* key = find_scenario_key(path, true)) full = std::string(key->path);
    detail::Diagnostics diagnostics;
    const auto key = detail::resolve_key_path(document_of(scenario).root, full,
                                              SourceLocation{full, 0, 0, true}, diagnostics);
    if (!key) throw InputError(std::move(diagnostics.problems()));
    return *key;
}

} // namespace

Scenario vary(const Scenario& base, std::span<const KeyValue> values) {
    auto document = std::make_shared<ScenarioDocument>(document_of(base));
    detail::Diagnostics diagnostics;
    bool same_data = true;
    for (const KeyValue& kv : values) {
        const std::string source = set_source(kv.key, kv.value);
        if (kv.key == "extends") {
            // The bases are merged when the file is read; the document has no extends left.
            diagnostics.add(SourceLocation{source, 0, 0, true}, kv.key,
                            "is resolved when the file is read and cannot be varied");
            continue;
        }
        toml::table holder = node_holding(kv.value, source);
        detail::set_value(document->root, kv.key, *holder.get("value"), source, diagnostics);
        same_data = same_data && kv.key != "regions.data_dir";
    }
    if (!diagnostics.empty()) throw InputError(std::move(diagnostics.problems()));
    Scenario variant = detail::build_scenario(base.file, std::move(document), diagnostics,
                                              same_data ? &base.region_table : nullptr);
    variant.source_files = base.source_files;
    variant.entry_origins = base.entry_origins;
    return variant;
}

Scenario with_horizon(const Scenario& base, int months) {
    if (months < 1 || months > base.run.months)
        throw std::invalid_argument("with_horizon: " + std::to_string(months) +
                                    " months, outside 1 … " + std::to_string(base.run.months));
    auto document = std::make_shared<ScenarioDocument>(document_of(base));
    detail::Diagnostics diagnostics;
    const ScenarioValue horizon = std::int64_t{months};
    const std::string source = set_source("run.months", horizon);
    toml::table holder = node_holding(horizon, source);
    detail::set_value(document->root, "run.months", *holder.get("value"), source, diagnostics);
    if (!diagnostics.empty()) throw InputError(std::move(diagnostics.problems()));
    // An observation outside the run is an error; past the horizon it is simply not simulated.
    // The document's [[observation]] tables are the validated observations, in order; their
    // months are read from those, as a table may name a row of observations.csv instead of
    // giving a month.
    const Month last = base.run.start + (months - 1);
    if (toml::array* observations = document->root["observation"].as_array()) {
        if (observations->size() != base.observations.size())
            throw std::logic_error(
                "with_horizon: the document's observations are not the scenario's");
        std::size_t i = 0;
        for (auto entry = observations->begin(); entry != observations->end(); ++i)
            entry = base.observations[i].month > last ? observations->erase(entry) : entry + 1;
    }
    Scenario shorter =
        detail::build_scenario(base.file, std::move(document), diagnostics, &base.region_table);
    shorter.source_files = base.source_files;
    return shorter;
}

Scenario vary(const Scenario& base, std::initializer_list<KeyValue> values) {
    return vary(base, std::span<const KeyValue>(values.begin(), values.size()));
}

Scenario vary(const Scenario& base, const std::string& key, ScenarioValue value) {
    const KeyValue one{key, std::move(value)};
    return vary(base, std::span<const KeyValue>(&one, 1));
}

std::string format_scenario_value(const ScenarioValue& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, double>) {
                // The shortest text that reads back as the same number.
                char buffer[64];
                const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v);
                return error == std::errc() ? std::string(buffer, end) : std::string("nan");
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                return std::to_string(v);
            } else if constexpr (std::is_same_v<T, bool>) {
                return v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return v;
            } else {
                return v.to_string();
            }
        },
        value);
}

ScenarioValue parse_scenario_value(const ScenarioKey& key, std::string_view text) {
    // As --set reads a value: TOML if it is TOML, otherwise the text as a string.
    std::optional<toml::table> holder;
    try {
        holder = toml::parse("value = " + std::string(text));
    } catch (const toml::parse_error&) {
    }
    const toml::node* node = holder ? holder->get("value") : nullptr;
    const std::string as_text =
        node && node->is_string() ? node->as_string()->get() : std::string(text);
    const std::string what = "'" + std::string(text) + "': " + std::string(key.path);
    switch (key.type) {
    case KeyType::number:
        if (node && node->is_integer()) return node->as_integer()->get();
        if (node && node->is_floating_point() && std::isfinite(node->as_floating_point()->get()))
            return node->as_floating_point()->get();
        throw std::invalid_argument(what + " is a number");
    case KeyType::integer:
        if (node && node->is_integer()) return node->as_integer()->get();
        throw std::invalid_argument(what + " is a whole number");
    case KeyType::boolean:
        if (node && node->is_boolean()) return node->as_boolean()->get();
        throw std::invalid_argument(what + " is true or false");
    case KeyType::month:
        if (const auto month = Month::parse(as_text); month && (!node || node->is_string()))
            return *month;
        throw std::invalid_argument(what + " is a month YYYY-MM");
    case KeyType::choice: {
        for (const std::string_view c : key.choices)
            if (c == as_text && (!node || node->is_string())) return as_text;
        std::string names;
        for (const std::string_view c : key.choices)
            names += (names.empty() ? "" : ", ") + std::string(c);
        throw std::invalid_argument(what + " is one of " + names);
    }
    case KeyType::text:
    case KeyType::region:
        if (!node || node->is_string()) return as_text;
        throw std::invalid_argument(what + " is a string");
    case KeyType::names:
    case KeyType::regions:
    case KeyType::numbers:
    case KeyType::table:
        break;
    }
    throw std::invalid_argument(what + " is not one value but an array or a table");
}

std::string resolve_key(const Scenario& scenario, std::string_view path, bool allow_short_names) {
    return resolved(scenario, path, allow_short_names).named;
}

std::optional<double> scenario_number(const Scenario& scenario, std::string_view path) {
    const detail::ResolvedKey key = resolved(scenario, path, false);
    // The validator knows every number's value, defaults included: ask it again.
    detail::NumbersRead numbers;
    detail::Diagnostics diagnostics;
    detail::build_scenario(scenario.file, scenario.document, diagnostics, &scenario.region_table,
                           &numbers);
    const auto found = numbers.find(key.indexed);
    if (found == numbers.end()) return std::nullopt;
    return found->second;
}

} // namespace ulcsim
