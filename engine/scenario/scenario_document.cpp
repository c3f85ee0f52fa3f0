#include "scenario_document.hpp"

#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace ulcsim::detail {

namespace {

namespace fs = std::filesystem;

// Arrays of tables at the top level that merge entry by entry, matched by `name`, and the
// key of a child file that removes inherited entries of each.
struct NamedArray {
    std::string_view key;
    std::string_view remove_key;
    std::string_view plural;
};
constexpr NamedArray named_arrays[] = {{"programme", "remove_programmes", "programmes"},
                                       {"policy", "remove_policies", "policies"}};

const NamedArray* named_array(std::string_view key) {
    for (const NamedArray& a : named_arrays)
        if (a.key == key) return &a;
    return nullptr;
}

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

std::string names_in(const toml::array* array) {
    std::string names;
    if (array)
        for (const toml::node& entry : *array)
            if (const auto n = name_of(entry))
                names += (names.empty() ? "" : ", ") + std::string(*n);
    return names;
}

// A key of the language that holds an array of tables (`programme`, `population.region`,
// `programme.*.window`): the table of keys has keys under its entries.
bool is_array_of_tables(const std::string& pattern) {
    const std::string entries = pattern + ".*.";
    for (const ScenarioKey& key : scenario_keys())
        if (key.path.starts_with(entries)) return true;
    return false;
}

// Who is merged into what, for the problems a merge finds and the entries' origins.
struct MergeContext {
    std::string child_file;
    std::string base_file; // empty: the child extends no file (it is merged into nothing)
    Diagnostics& diagnostics;
    std::vector<EntryOrigin>* origins;

    SourceLocation at(const toml::node& node) const {
        return location_of(node.source(), SourceLocation{child_file, 1, 1, false});
    }
    // Why there is nothing of `what` ("entries", "programmes") to remove.
    std::string nothing_inherited(std::string_view what) const {
        return base_file.empty() ? std::string("this file extends no other file")
                                 : "'" + base_file + "' and its bases give no " + std::string(what);
    }
    EntryOrigin* origin(std::string_view array, std::string_view name) const {
        if (!origins) return nullptr;
        for (EntryOrigin& o : *origins)
            if (o.array == array && o.name == name && o.removed_in.empty()) return &o;
        return nullptr;
    }
    // A new entry of the child: added, or replacing the inherited entry of its name that the
    // child removed.
    void written(std::string_view array, const toml::node& entry) const {
        if (!origins) return;
        const auto name = name_of(entry);
        if (!name) return;
        std::string replaced;
        for (auto o = origins->begin(); o != origins->end(); ++o)
            if (o->array == array && o->name == *name && o->removed_in == child_file) {
                replaced = o->changes.empty() ? o->written_in : o->changes.back().file;
                origins->erase(o);
                break;
            }
        origins->push_back({.array = std::string(array),
                            .name = std::string(*name),
                            .written_in = child_file,
                            .replaced = std::move(replaced),
                            .changes = {},
                            .removed_in = {}});
    }
};

// An array of tables the child empties: `programme = []` removes every inherited entry (as
// `--set 'programme=[]'` does); with none to remove the line would do nothing, so it is an
// error. The key is then absent, as in a file that never had entries.
void empty_entries(toml::table& base, const toml::key& key, const toml::node& value,
                   const std::string& path, const MergeContext& context) {
    toml::node* existing = base.get(key.str());
    const toml::array* entries = existing ? existing->as_array() : nullptr;
    if (!entries || entries->empty()) {
        context.diagnostics.add(context.at(value), path,
                                "`" + std::string(key.str()) + " = []` removes every inherited " +
                                    "entry, but " + context.nothing_inherited("entries") +
                                    ", so the line does nothing: delete it");
        return;
    }
    if (const NamedArray* named = named_array(path))
        for (const toml::node& entry : *entries)
            if (const auto name = name_of(entry))
                if (EntryOrigin* o = context.origin(named->key, *name))
                    o->removed_in = context.child_file;
    base.erase(key.str());
}

// Arrays of tables the child writes `[]` for inside a table the base does not have.
void check_empty_entries(const toml::table& table, const std::string& path,
                         const std::string& pattern, const MergeContext& context) {
    for (auto&& [key, value] : table) {
        const std::string child_path = (path.empty() ? "" : path + ".") + std::string(key.str());
        const std::string child_pattern =
            (pattern.empty() ? "" : pattern + ".") + std::string(key.str());
        // An unknown key is the validator's to report; its tables may nest without end.
        if (!find_scenario_key(child_pattern)) continue;
        if (const auto* t = value.as_table()) {
            check_empty_entries(*t, child_path, child_pattern, context);
        } else if (const auto* a = value.as_array();
                   a && a->empty() && is_array_of_tables(child_pattern)) {
            context.diagnostics.add(
                context.at(value), child_path,
                "`" + std::string(key.str()) + " = []` removes every inherited entry, but " +
                    context.nothing_inherited("entries") + ", so the line does nothing: delete it");
        }
    }
}

// `remove_programmes = ["name", …]`: removes the named entries the base gives, before the
// child's own entries are merged (so an entry of a removed name is a new one, replacing the
// inherited entry whole).
void remove_entries(toml::table& base, const NamedArray& named, const toml::node& list,
                    const MergeContext& context) {
    std::set<std::string> removed;
    const std::string key(named.remove_key);
    const auto* names = list.as_array();
    if (!names) {
        context.diagnostics.add(context.at(list), key,
                                "expected an array of " + std::string(named.key) + " names, got " +
                                    std::string(describe_type(list.type())));
        return;
    }
    if (names->empty()) {
        context.diagnostics.add(context.at(list), key,
                                "an empty list removes nothing, so the line does nothing: "
                                "delete it");
        return;
    }
    toml::node* existing = base.get(named.key);
    toml::array* entries = existing ? existing->as_array() : nullptr;
    const std::string inherited = names_in(entries); // before any is removed
    for (std::size_t i = 0; i < names->size(); ++i) {
        const toml::node& element = *names->get(i);
        const std::string element_key = key + "[" + std::to_string(i) + "]";
        const auto* name = element.as_string();
        if (!name) {
            context.diagnostics.add(context.at(element), element_key,
                                    "expected a string, got " +
                                        std::string(describe_type(element.type())));
            continue;
        }
        if (!removed.insert(name->get()).second) {
            context.diagnostics.add(context.at(element), element_key,
                                    "duplicate: '" + name->get() + "' is listed twice");
            continue;
        }
        std::optional<std::size_t> found;
        if (entries)
            for (std::size_t e = 0; e < entries->size(); ++e)
                if (name_of(*entries->get(e)) == name->get()) found = e;
        if (!found) {
            context.diagnostics.add(
                context.at(element), element_key,
                "no inherited " + std::string(named.key) + " '" + name->get() + "' to remove: " +
                    (inherited.empty() ? context.nothing_inherited(named.plural)
                                       : "'" + context.base_file + "' and its bases give the " +
                                             std::string(named.plural) + " " + inherited));
            removed.erase(name->get());
            continue;
        }
        entries->erase(entries->cbegin() + static_cast<std::ptrdiff_t>(*found));
        if (EntryOrigin* o = context.origin(named.key, name->get()))
            o->removed_in = context.child_file;
    }
    if (entries && entries->empty()) base.erase(named.key);
}

// The keys of a child's entry other than its name, in the order written.
std::vector<std::string> keys_given(const toml::table& entry) {
    std::vector<std::pair<toml::source_position, std::string>> keys;
    for (auto&& [key, value] : entry)
        if (key.str() != "name") keys.emplace_back(value.source().begin, std::string(key.str()));
    std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
        return std::pair(a.first.line, a.first.column) < std::pair(b.first.line, b.first.column);
    });
    std::vector<std::string> out;
    for (auto& [position, key] : keys)
        out.push_back(std::move(key));
    return out;
}

void merge(toml::table& base, toml::table& child, const std::string& path,
           const std::string& pattern, const MergeContext* context);

// A child's entries of a named array: an entry with the name of an inherited one changes the
// keys it gives (its `window` list, if given, replaces the inherited windows); any other is
// added (after remove_programmes, an entry of a removed name replaces the inherited one).
void merge_named(toml::array& base, toml::array& child, const NamedArray& named,
                 const MergeContext* context) {
    std::set<std::string> seen;
    for (toml::node& entry : child) {
        const auto name = name_of(entry);
        std::optional<std::size_t> match;
        if (name)
            for (std::size_t i = 0; i < base.size(); ++i)
                if (name_of(*base.get(i)) == name) match = i;
        const std::string entry_path =
            std::string(named.key) + "[" + std::to_string(match.value_or(base.size())) + "]";
        if (context && name && !seen.insert(std::string(*name)).second) {
            // Merging the second into the first would hide the duplicate the validator reports.
            context->diagnostics.add(
                context->at(*entry.as_table()->get("name")), entry_path + ".name",
                "duplicate " + std::string(named.key) + " name '" + std::string(*name) +
                    "': this file gives two entries of it; write one");
            continue;
        }
        if (match && base.get(*match)->is_table() && entry.is_table()) {
            toml::table& inherited = *base.get(*match)->as_table();
            if (context) {
                const std::vector<std::string> keys = keys_given(*entry.as_table());
                if (keys.empty()) {
                    context->diagnostics.add(
                        context->at(entry), entry_path,
                        "names the inherited " + std::string(named.key) + " '" +
                            std::string(*name) +
                            "' but gives no key to change, so the entry does nothing: give the "
                            "keys to change, remove it with " +
                            std::string(named.remove_key) + ", or delete the entry");
                    continue;
                }
                if (EntryOrigin* o = context->origin(named.key, *name))
                    o->changes.push_back({context->child_file, keys});
            }
            merge(inherited, *entry.as_table(), entry_path, std::string(named.key) + ".*", context);
        } else {
            if (context) context->written(named.key, entry);
            push_moved(base, entry);
        }
    }
}

// Merges `child` into `base`; `path` is where they are, as problems name keys
// (`programme[0]`), `pattern` as the table of keys does (`programme.*`), both empty at the top
// level. With a context, a line that would do nothing is reported and the origins of named
// entries are kept.
void merge(toml::table& base, toml::table& child, const std::string& path,
           const std::string& pattern, const MergeContext* context) {
    if (context && path.empty())
        for (const NamedArray& named : named_arrays)
            if (const toml::node* list = child.get(named.remove_key)) {
                remove_entries(base, named, *list, *context);
                child.erase(named.remove_key);
            }
    for (auto&& [key, value] : child) {
        const std::string key_path = (path.empty() ? "" : path + ".") + std::string(key.str());
        const std::string key_pattern =
            (pattern.empty() ? "" : pattern + ".") + std::string(key.str());
        toml::node* existing = base.get(key.str());
        const NamedArray* named = path.empty() ? named_array(key.str()) : nullptr;
        if (existing && existing->is_table() && value.is_table()) {
            merge(*existing->as_table(), *value.as_table(), key_path, key_pattern, context);
        } else if (context && value.is_array() && value.as_array()->empty() &&
                   is_array_of_tables(key_pattern)) {
            empty_entries(base, key, value, key_path, *context);
        } else if (named && existing && existing->is_array() && value.is_array()) {
            merge_named(*existing->as_array(), *value.as_array(), *named, context);
        } else {
            if (context && named && value.is_array())
                for (const toml::node& entry : *value.as_array())
                    context->written(named->key, entry);
            if (context && value.is_table())
                check_empty_entries(*value.as_table(), key_path, key_pattern, *context);
            assign_moved(base, key, value);
        }
    }
}

MergeContext context_for(const fs::path& child, const fs::path& base, Diagnostics& diagnostics,
                         std::vector<EntryOrigin>& origins) {
    return MergeContext{child.string(), base.string(), diagnostics, &origins};
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
                                           std::vector<fs::path>& read, Diagnostics& diagnostics,
                                           std::vector<EntryOrigin>& origins) {
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
    if (!extends) {
        // Merged into nothing, so that a line that could only remove inherited entries is
        // reported here as in a file that extends another.
        toml::table merged;
        const MergeContext context = context_for(file, {}, diagnostics, origins);
        merge(merged, *document, "", "", &context);
        return merged;
    }
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
    auto base = load_with_bases(base_file, chain, read, diagnostics, origins);
    chain.pop_back();
    if (!base) return std::nullopt;
    document->erase("extends");
    const MergeContext context = context_for(file, base_file, diagnostics, origins);
    merge(*base, *document, "", "", &context);
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

void apply_override(toml::table& root, const std::string& text, const std::string& scenario_name,
                    Diagnostics& diagnostics) {
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
    toml::node& value = *holder->get("value");
    for (const NamedArray& named : named_arrays)
        if (key_text == named.remove_key) {
            // As in a child file: the scenario so far is what the argument removes from.
            remove_entries(root, named, value,
                           MergeContext{source_name, scenario_name, diagnostics, nullptr});
            return;
        }
    set_value(root, key_text, value, source_name, diagnostics);
}

} // namespace

void merge_scenario_tables(toml::table& base, toml::table& child) {
    merge(base, child, "", "", nullptr);
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
                                                  std::vector<std::filesystem::path>* files,
                                                  std::vector<EntryOrigin>* origins) {
    std::error_code ec;
    std::vector<fs::path> chain{fs::weakly_canonical(file, ec)};
    std::vector<fs::path> read;
    std::vector<EntryOrigin> written;
    auto document = load_with_bases(file, chain, read, diagnostics, written);
    if (files) *files = std::move(read);
    if (!document) return std::nullopt;
    for (const std::string& text : overrides)
        apply_override(*document, text, file.string(), diagnostics);
    if (origins) *origins = std::move(written);
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
        apply_override(*document, override_text, source_name, diagnostics);
    return document;
}

} // namespace ulcsim::detail
