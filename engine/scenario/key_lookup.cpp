// Finding the key a concrete path stands for, and saying why a path names none.

#include "toml_reader.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <vector>

namespace ulcsim {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        parts.push_back(path.substr(start, dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return parts;
}

struct SplitKey {
    const ScenarioKey* key;
    std::vector<std::string_view> parts;
};

// Every key with its path split at the dots, and the keys by their exact path.
struct Index {
    std::vector<SplitKey> keys;
    std::unordered_map<std::string_view, const ScenarioKey*> by_path;

    Index() {
        for (const ScenarioKey& k : scenario_keys()) {
            keys.push_back({&k, split_path(k.path)});
            by_path.emplace(k.path, &k);
        }
    }
};

const Index& index() {
    static const Index built;
    return built;
}

// Whether part `i` of a key's path matches `part` of a concrete path. A `*` matches any
// name, or one of the key's names where it has a list of them; a `*` in the concrete path
// (a pattern, as the validator asks) matches a `*`.
bool part_matches(const SplitKey& k, std::size_t i, std::string_view part) {
    const std::string_view own = k.parts[i];
    if (own != "*") return own == part;
    if (part == "*") return true;
    const bool last = i + 1 == k.parts.size();
    if (!last || k.key->key_names.empty()) return true;
    return std::find(k.key->key_names.begin(), k.key->key_names.end(), part) !=
           k.key->key_names.end();
}

const ScenarioKey* match(const std::vector<std::string_view>& parts) {
    for (const SplitKey& k : index().keys) {
        if (k.parts.size() != parts.size()) continue;
        bool all = true;
        for (std::size_t i = 0; all && i < parts.size(); ++i)
            all = part_matches(k, i, parts[i]);
        if (all) return k.key;
    }
    return nullptr;
}

} // namespace

const ScenarioKey* find_scenario_key(std::string_view path, bool allow_short_names) {
    if (const auto exact = index().by_path.find(path); exact != index().by_path.end())
        return exact->second;
    if (const ScenarioKey* key = match(split_path(path))) return key;
    if (allow_short_names && path.find('.') == std::string_view::npos) {
        const std::string full = "behaviour." + std::string(path);
        const ScenarioKey* key = find_scenario_key(full);
        if (key && key->type != KeyType::table) return key;
    }
    return nullptr;
}

std::optional<UnknownKey> unknown_scenario_key(std::string_view path) {
    const std::vector<std::string_view> parts = split_path(path);
    std::vector<const SplitKey*> candidates;
    for (const SplitKey& k : index().keys)
        candidates.push_back(&k);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::vector<const SplitKey*> next;
        for (const SplitKey* k : candidates)
            if (k->parts.size() > i && part_matches(*k, i, parts[i])) next.push_back(k);
        if (next.empty()) {
            // The names the table has at this place, for a "did you mean".
            std::set<std::string_view> known;
            for (const SplitKey* k : candidates) {
                if (k->parts.size() <= i) continue;
                if (k->parts[i] != "*")
                    known.insert(k->parts[i]);
                else
                    known.insert(k->key->key_names.begin(), k->key->key_names.end());
            }
            const std::vector<std::string_view> words(known.begin(), known.end());
            std::string message = "unknown key";
            if (const auto close = detail::closest_match(parts[i], words))
                message += " (did you mean '" + std::string(*close) + "'?)";
            const std::size_t end =
                static_cast<std::size_t>(parts[i].data() - path.data()) + parts[i].size();
            return UnknownKey{std::string(path.substr(0, end)), std::move(message)};
        }
        candidates = std::move(next);
    }
    if (std::any_of(candidates.begin(), candidates.end(),
                    [&](const SplitKey* k) { return k->parts.size() == parts.size(); }))
        return std::nullopt;
    // A path that stops inside an entry: programme.NAME names no value of its own.
    std::string keys;
    std::set<std::string_view> seen;
    for (const SplitKey* k : candidates)
        if (seen.insert(k->parts[parts.size()]).second)
            keys += (keys.empty() ? "" : ", ") + std::string(k->parts[parts.size()]);
    return UnknownKey{std::string(path), "unknown key: set one of its keys (" + keys + ")"};
}

std::string key_table_heading(const ScenarioKey& key) {
    const std::size_t dot = key.path.rfind('.');
    if (dot == std::string_view::npos) return "";
    std::string_view table = key.path.substr(0, dot);
    const bool array = table.ends_with(".*");
    std::string name;
    for (const std::string_view part : split_path(table))
        if (part != "*") name += (name.empty() ? "" : ".") + std::string(part);
    return array ? "[[" + name + "]]" : "[" + name + "]";
}

std::vector<std::string> key_table_headings() {
    std::vector<std::string> headings;
    for (const ScenarioKey& key : scenario_keys()) {
        if (key.type == KeyType::table) continue;
        const std::string heading = key_table_heading(key);
        if (std::find(headings.begin(), headings.end(), heading) == headings.end())
            headings.push_back(heading);
    }
    return headings;
}

} // namespace ulcsim
