#include "scenario_document.hpp"

#include "ulcsim/scenario_keys.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ulcsim::detail {

namespace {

namespace fs = std::filesystem;

// Arrays of tables at the top level that merge entry by entry, matched by `name`.
constexpr std::string_view named_arrays[] = {"programme", "policy"};

// toml++ drops source positions when a node is copied but keeps them when it is moved, so
// every transfer between trees goes through a move of the concrete node type.
void assign_moved(toml::table& destination, const toml::key& key, toml::node& node) {
    node.visit([&](auto& concrete) { destination.insert_or_assign(key, std::move(concrete)); });
}

void push_moved(toml::array& destination, toml::node& node) {
    node.visit([&](auto& concrete) { destination.push_back(std::move(concrete)); });
}

std::optional<std::string_view> name_of(const toml::node& entry) {
    if (const auto* t = entry.as_table())
        if (const auto* n = t->get_as<std::string>("name")) return std::string_view(n->get());
    return std::nullopt;
}

void merge_named(toml::array& base, toml::array& child) {
    for (toml::node& entry : child) {
        const auto name = name_of(entry);
        toml::node* match = nullptr;
        if (name)
            for (toml::node& candidate : base)
                if (name_of(candidate) == name) match = &candidate;
        if (match && match->is_table() && entry.is_table())
            merge_scenario_tables(*match->as_table(), *entry.as_table());
        else
            push_moved(base, entry);
    }
}

void merge(toml::table& base, toml::table& child, bool top_level) {
    for (auto&& [key, value] : child) {
        toml::node* existing = base.get(key.str());
        if (existing && existing->is_table() && value.is_table()) {
            merge(*existing->as_table(), *value.as_table(), false);
        } else if (top_level && existing && existing->is_array() && value.is_array() &&
                   !value.as_array()->empty() &&
                   std::find(std::begin(named_arrays), std::end(named_arrays), key.str()) !=
                       std::end(named_arrays)) {
            // An empty list is not "no entries to merge", which would make the line do
            // nothing: it removes the base's entries, as `--set 'programme=[]'` does.
            merge_named(*existing->as_array(), *value.as_array());
        } else {
            assign_moved(base, key, value);
        }
    }
}

std::optional<std::string> read_text(const fs::path& file, std::string& why) {
    std::error_code ec;
    if (fs::is_directory(file, ec)) {
        why = "is a directory";
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::optional<toml::table> parse_text(const std::string& text, const std::string& source_name,
                                      Diagnostics& diagnostics) {
    try {
        return toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        diagnostics.add(location_of(e.source(), SourceLocation{source_name, 0, 0, false}), "",
                        "invalid TOML: " + std::string(e.description()));
        return std::nullopt;
    }
}

/// Loads `file` and everything it extends. `chain` holds the canonical paths of the files
/// that are extending this one, to detect cycles.
std::optional<toml::table> load_with_bases(const fs::path& file, std::vector<fs::path>& chain,
                                           std::vector<fs::path>& read, Diagnostics& diagnostics) {
    std::string why;
    const auto text = read_text(file, why);
    if (!text) {
        diagnostics.add(SourceLocation{file.string(), 0, 0, false}, "",
                        "cannot open file (" + why + ")");
        return std::nullopt;
    }
    read.push_back(file);
    auto document = parse_text(*text, file.string(), diagnostics);
    if (!document) return std::nullopt;

    const toml::node* extends = document->get("extends");
    if (!extends) return document;
    const SourceLocation here{file.string(), 1, 1, false};
    const auto* base_name = extends->as_string();
    if (!base_name) {
        diagnostics.add(location_of(extends->source(), here), "extends",
                        "expected a string, got " + std::string(describe_type(extends->type())));
        return std::nullopt;
    }
    const fs::path base_file = (file.parent_path() / base_name->get()).lexically_normal();
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(base_file, ec);
    if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
        std::string cycle;
        for (const fs::path& p : chain)
            cycle += p.filename().string() + " → ";
        diagnostics.add(location_of(extends->source(), here), "extends",
                        "cycle in extends: " + cycle + canonical.filename().string());
        return std::nullopt;
    }
    if (!read_text(base_file, why)) {
        diagnostics.add(location_of(extends->source(), here), "extends",
                        "cannot open '" + base_file.string() + "' (" + why + ")");
        return std::nullopt;
    }
    chain.push_back(canonical);
    auto base = load_with_bases(base_file, chain, read, diagnostics);
    chain.pop_back();
    if (!base) return std::nullopt;
    document->erase("extends");
    merge(*base, *document, true);
    return base;
}

bool is_index(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        parts.emplace_back(path.substr(start, dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return parts;
}

std::string quoted_toml_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// The entry of an array of tables a selector names: its position from 0, or its name.
std::optional<std::size_t> entry_index(const toml::array& array, const std::string& selector) {
    if (is_index(selector)) {
        const std::size_t index = std::stoul(selector);
        if (index < array.size() && array.get(index)->is_table()) return index;
        return std::nullopt;
    }
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < array.size(); ++i)
        if (name_of(*array.get(i)) == selector) found = i;
    return found;
}

std::string no_entry(const toml::array& array, const std::string& selector) {
    std::string names;
    for (const toml::node& candidate : array)
        if (const auto n = name_of(candidate))
            names += (names.empty() ? "" : ", ") + std::string(*n);
    return "no entry '" + selector + "'" + (names.empty() ? "" : " (entries: " + names + ")");
}

/// The parts of a key path, or nothing after reporting why it is not a key of the table.
std::optional<std::vector<std::string>>
key_parts(const std::string& key_text, const SourceLocation& here, Diagnostics& diagnostics) {
    std::vector<std::string> parts = split_path(key_text);
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
        diagnostics.add(here, key_text, "expected KEY=VALUE with a dotted key, e.g. run.seed");
        return std::nullopt;
    }
    // Only keys of the language: a misspelt key would otherwise be added beside the real one.
    if (const auto unknown = unknown_scenario_key(key_text)) {
        diagnostics.add(here, unknown->key, unknown->message);
        return std::nullopt;
    }
    return parts;
}

void apply_override(toml::table& root, const std::string& text, Diagnostics& diagnostics) {
    const std::string source_name = std::string(command_line_prefix) + text;
    const SourceLocation here{source_name, 0, 0, true};
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        diagnostics.add(here, "", "expected KEY=VALUE, e.g. --set run.seed=7");
        return;
    }
    const std::string key_text = text.substr(0, eq);
    const std::string value_text = text.substr(eq + 1);

    // The value is TOML if it parses as TOML, otherwise a plain string. Parsing it as a
    // document with the argument as its source name gives the node a source position.
    std::optional<toml::table> holder;
    try {
        holder = toml::parse("value = " + value_text, source_name);
    } catch (const toml::parse_error&) {
        holder = toml::parse("value = " + quoted_toml_string(value_text), source_name);
    }
    set_value(root, key_text, *holder->get("value"), source_name, diagnostics);
}

} // namespace

void merge_scenario_tables(toml::table& base, toml::table& child) {
    merge(base, child, false);
}

void set_value(toml::table& root, const std::string& key_text, toml::node& value,
               const std::string& source_name, Diagnostics& diagnostics) {
    const SourceLocation here{source_name, 0, 0, true};
    const auto parts = key_parts(key_text, here, diagnostics);
    if (!parts) return;
    const std::vector<std::string> pattern = split_path(find_scenario_key(key_text)->path);
    toml::source_region key_source;
    key_source.path = std::make_shared<const std::string>(source_name);
    toml::table* current = &root;
    std::string walked;
    for (std::size_t i = 0; i + 1 < parts->size(); ++i) {
        walked += (walked.empty() ? "" : ".") + (*parts)[i];
        toml::node* next = current->get((*parts)[i]);
        if (!next && i + 2 < parts->size() && pattern[i + 1] == "*") {
            // An entry of an array the document does not have: nothing to add it to.
            diagnostics.add(here, walked, "no entry '" + (*parts)[i + 1] + "'");
            return;
        }
        if (!next) {
            current->insert(toml::key((*parts)[i], key_source), toml::table{});
            next = current->get((*parts)[i]);
        }
        if (auto* t = next->as_table()) {
            current = t;
        } else if (auto* array = next->as_array(); array && array->is_array_of_tables()) {
            // programme.NAME.key or programme.INDEX.key
            const std::string& selector = (*parts)[++i];
            const auto entry = entry_index(*array, selector);
            if (!entry || i + 1 >= parts->size()) {
                diagnostics.add(here, walked, no_entry(*array, selector));
                return;
            }
            walked += "." + selector;
            current = array->get(*entry)->as_table();
        } else {
            diagnostics.add(here, walked,
                            "is " + std::string(describe_type(next->type())) + ", not a table");
            return;
        }
    }
    const toml::key last(parts->back(), key_source);
    if (current->contains(parts->back()))
        assign_moved(*current, toml::key(parts->back()), value);
    else
        assign_moved(*current, last, value);
}

std::optional<ResolvedKey> resolve_key_path(const toml::table& root, const std::string& key_text,
                                            const SourceLocation& here, Diagnostics& diagnostics) {
    const auto parts = key_parts(key_text, here, diagnostics);
    if (!parts) return std::nullopt;
    const std::vector<std::string> pattern = split_path(find_scenario_key(key_text)->path);
    ResolvedKey resolved;
    const toml::table* current = &root;
    std::string walked;
    for (std::size_t i = 0; i < parts->size(); ++i) {
        const std::string& part = (*parts)[i];
        walked += (walked.empty() ? "" : ".") + part;
        resolved.named += (resolved.named.empty() ? "" : ".") + part;
        resolved.indexed += (resolved.indexed.empty() ? "" : ".") + part;
        const toml::node* next = current ? current->get(part) : nullptr;
        // A `*` that is not the last part of the key selects an entry of an array of tables.
        if (i + 2 >= parts->size() || pattern[i + 1] != "*") {
            current = next ? next->as_table() : nullptr;
            continue;
        }
        const std::string& selector = (*parts)[++i];
        const toml::array* array = next ? next->as_array() : nullptr;
        const auto entry = array ? entry_index(*array, selector) : std::nullopt;
        if (!entry) {
            diagnostics.add(here, walked,
                            array ? no_entry(*array, selector) : "no entry '" + selector + "'");
            return std::nullopt;
        }
        const toml::node& chosen = *array->get(*entry);
        resolved.named += "." + std::string(name_of(chosen).value_or(std::to_string(*entry)));
        resolved.indexed += "[" + std::to_string(*entry) + "]";
        walked += "." + selector;
        current = chosen.as_table();
    }
    return resolved;
}

std::optional<toml::table> load_scenario_document(const std::filesystem::path& file,
                                                  const std::vector<std::string>& overrides,
                                                  Diagnostics& diagnostics,
                                                  std::vector<std::filesystem::path>* files) {
    std::error_code ec;
    std::vector<fs::path> chain{fs::weakly_canonical(file, ec)};
    std::vector<fs::path> read;
    auto document = load_with_bases(file, chain, read, diagnostics);
    if (files) *files = std::move(read);
    if (!document) return std::nullopt;
    for (const std::string& text : overrides)
        apply_override(*document, text, diagnostics);
    return document;
}

std::optional<toml::table> scenario_document_from_text(const std::string& text,
                                                       const std::string& source_name,
                                                       const std::vector<std::string>& overrides,
                                                       Diagnostics& diagnostics) {
    auto document = parse_text(text, source_name, diagnostics);
    if (!document) return std::nullopt;
    const SourceLocation here{source_name, 1, 1, false};
    bool names_a_file = false;
    if (const toml::node* extends = document->get("extends")) {
        diagnostics.add(location_of(extends->source(), here), "extends",
                        "a scenario given as text cannot extend a file; give the whole scenario");
        names_a_file = true;
    }
    for (const ScenarioKey& key : scenario_keys()) {
        if (key.unit != "path") continue;
        const toml::node* node = toml::at_path(*document, key.path).node();
        if (!node) continue;
        diagnostics.add(location_of(node->source(), here), std::string(key.path),
                        "a scenario given as text cannot name a file or folder");
        names_a_file = true;
    }
    if (names_a_file) return std::nullopt;
    for (const std::string& override_text : overrides)
        apply_override(*document, override_text, diagnostics);
    return document;
}

} // namespace ulcsim::detail
