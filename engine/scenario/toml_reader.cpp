#include "toml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace ulcsim::detail {

std::string format_number(double v) {
    if (std::isinf(v)) return v > 0 ? "∞" : "-∞";
    if (std::isnan(v)) return "nan";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

} // namespace

std::string Range::describe() const {
    return (lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) +
           (std::isinf(hi) ? ")" : "]");
}

SourceLocation location_of(const toml::source_region& region, const SourceLocation& fallback) {
    if (!region.path) return fallback;
    SourceLocation where;
    where.file = *region.path;
    where.line = static_cast<int>(region.begin.line);
    where.column = static_cast<int>(region.begin.column);
    where.from_command_line = where.file.starts_with(command_line_prefix);
    return where;
}

std::string_view describe_type(toml::node_type type) {
    switch (type) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a floating-point number";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

void Diagnostics::add(SourceLocation where, std::string key, std::string message) {
    problems_.push_back({std::move(where), std::move(key), std::move(message)});
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
    // Longer words tolerate more typos: "apbd_kota" is three edits from "apbd_kabkota".
    std::optional<std::string_view> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (std::string_view c : candidates) {
        std::size_t d = edit_distance(word, c);
        const bool prefix = word.size() >= 3 && (c.starts_with(word) || word.starts_with(c));
        if (prefix) d = std::min<std::size_t>(d, 2);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

namespace {
/// A share or a probability: a part of 1, which users also write as a percentage.
bool is_part(Quantity q) {
    return q == Quantity::share || q == Quantity::probability;
}
} // namespace

std::string name_hint(std::string_view word, std::span<const std::string_view> candidates) {
    // The words of BPJS Ketenagakerjaan and of regional programmes for the model's names.
    struct Term {
        std::string_view indonesian, name, gloss;
    };
    static constexpr Term glossary[] = {
        {"rentan", "vulnerable", "pekerja rentan"},
        {"pekerja_rentan", "vulnerable", "pekerja rentan"},
        {"pu", "formal", "penerima upah, wage earners"},
        {"penerima_upah", "formal", "penerima upah, wage earners"},
        {"bpu", "informal", "bukan penerima upah; the vulnerable are `vulnerable`"},
        {"bukan_penerima_upah", "informal", "bukan penerima upah; the vulnerable are `vulnerable`"},
        {"petani", "farmer", ""},
        {"nelayan", "fisher", ""},
        {"tembakau", "tobacco", "DBHCHT's tobacco workers"},
        {"buruh_tembakau", "tobacco", "DBHCHT's tobacco workers"},
        {"pedagang", "trader", ""},
        {"konstruksi", "construction", "jasa konstruksi"},
        {"jakon", "construction", "jasa konstruksi"},
        {"ojek", "transport", ""},
        {"transportasi", "transport", ""},
        {"pemuka_agama", "religious", ""},
        {"marbot", "religious", ""},
        {"pemulung", "waste", ""},
        {"lainnya", "other", ""},
    };
    std::string lower(word);
    for (char& c : lower)
        c = (c == ' ' || c == '-') ? '_'
                                   : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const Term& t : glossary)
        if (lower == t.indonesian &&
            std::find(candidates.begin(), candidates.end(), t.name) != candidates.end())
            return " ('" + std::string(word) + "' is written '" + std::string(t.name) + "' here" +
                   (t.gloss.empty() ? "" : ": " + std::string(t.gloss)) + ")";
    if (const auto close = closest_match(word, candidates))
        return " (did you mean '" + std::string(*close) + "'?)";
    return "";
}

TableReader::TableReader(const toml::table* table, std::string path, std::string pattern,
                         Diagnostics& diagnostics, SourceLocation where, NumbersRead* numbers)
    : table_(table), path_(std::move(path)), pattern_(std::move(pattern)),
      diagnostics_(diagnostics), where_(std::move(where)), numbers_(numbers) {
    if (table_) where_ = location_of(table_->source(), where_);
}

const ScenarioKey& TableReader::key_of(std::string_view key,
                                       std::initializer_list<KeyType> types) const {
    const std::string pattern = pattern_of(key);
    const ScenarioKey* found = find_scenario_key(pattern);
    if (!found) {
        // A key whose name is data (a year of a budget) may be any text, dots included.
        const ScenarioKey* any = find_scenario_key(pattern_of("*"));
        if (any && any->key_names.empty()) found = any;
    }
    if (!found)
        throw std::logic_error("the validator reads '" + pattern +
                               "', which is not in the table of scenario keys");
    if (types.size() > 0 && std::find(types.begin(), types.end(), found->type) == types.end())
        throw std::logic_error("the validator reads '" + pattern +
                               "' as another type than the table of scenario keys gives it");
    return *found;
}

void TableReader::note_number(std::string_view key, double value) {
    if (numbers_) numbers_->insert_or_assign(key_path(key), value);
}

std::string TableReader::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

SourceLocation TableReader::location_of_key(std::string_view key) const {
    if (table_) {
        const auto it = table_->find(key);
        if (it != table_->end()) return location_of(it->first.source(), where_);
    }
    return where_;
}

SourceLocation TableReader::location_of_value(const toml::node& node) const {
    return location_of(node.source(), where_);
}

const toml::node* TableReader::get(std::string_view key) {
    key_of(key, {});
    return node_of(key);
}

const toml::node* TableReader::node_of(std::string_view key) {
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.push_back(key);
    return table_ ? table_->get(key) : nullptr;
}

void TableReader::type_error(std::string_view key, const toml::node& node,
                             std::string_view expected) {
    diagnostics_.add(location_of_value(node), key_path(key),
                     "expected " + std::string(expected) + ", got " +
                         std::string(describe_type(node.type())));
}

std::optional<double> TableReader::checked_number(const toml::node& node, const std::string& path,
                                                  Range range) {
    double v = 0;
    if (const auto* i = node.as_integer())
        v = static_cast<double>(i->get());
    else if (const auto* f = node.as_floating_point())
        v = f->get();
    else {
        // The range too, so that the message says what to write instead.
        diagnostics_.add(location_of_value(node), path,
                         "expected a number in " + range.describe() + ", got " +
                             std::string(describe_type(node.type())));
        return std::nullopt;
    }
    if (!range.contains(v)) {
        // "35" for 35%: the most common slip in a share.
        const bool percentage = range.part_of_one && v > 1 && v <= 100 && range.contains(v / 100);
        diagnostics_.add(location_of_value(node), path,
                         format_number(v) + " is out of range " + range.describe() +
                             (percentage ? " (a part of 1: for " + format_number(v) + "% write " +
                                               format_number(v / 100) + ")"
                                         : ""));
        return std::nullopt;
    }
    return v;
}

std::optional<double> TableReader::number(std::string_view key) {
    const ScenarioKey& k = key_of(key, {KeyType::number});
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto v =
        checked_number(*node, key_path(key), {k.lower, k.upper, k.lower_open, is_part(k.quantity)});
    if (v) note_number(key, *v);
    return v;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key) {
    const ScenarioKey& k = key_of(key, {KeyType::integer});
    // An unbounded integer is bounded by its type (a TOML integer is signed 64-bit; 2^63 as a
    // double is just beyond it).
    constexpr double type_limit = 0x1p63;
    const std::int64_t lo = std::isfinite(k.lower) && k.lower > -type_limit
                                ? static_cast<std::int64_t>(k.lower)
                                : std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::isfinite(k.upper) && k.upper < type_limit
                                ? static_cast<std::int64_t>(k.upper)
                                : std::numeric_limits<std::int64_t>::max();
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto* i = node->as_integer();
    if (!i) {
        // Also a number beyond the 64-bit range, which TOML cannot read as an integer.
        type_error(key, *node, "an integer in " + range);
        return std::nullopt;
    }
    const std::int64_t v = i->get();
    if (v < lo || v > hi) {
        diagnostics_.add(location_of_value(*node), key_path(key),
                         std::to_string(v) + " is out of range " + range);
        return std::nullopt;
    }
    note_number(key, static_cast<double>(v));
    return v;
}

std::optional<std::string> TableReader::string(std::string_view key) {
    key_of(key, {KeyType::text, KeyType::region});
    return string_value(key);
}

std::optional<std::string> TableReader::string_value(std::string_view key) {
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto* s = node->as_string();
    if (!s) {
        type_error(key, *node, "a string");
        return std::nullopt;
    }
    return s->get();
}

std::optional<bool> TableReader::boolean(std::string_view key) {
    key_of(key, {KeyType::boolean});
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto* b = node->as_boolean();
    if (!b) {
        type_error(key, *node, "a boolean");
        return std::nullopt;
    }
    return b->get();
}

std::optional<Month> TableReader::month(std::string_view key, Month lo, Month hi) {
    key_of(key, {KeyType::month});
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto* s = node->as_string();
    if (!s) {
        diagnostics_.add(location_of_value(*node), key_path(key),
                         "expected a string, got " + std::string(describe_type(node->type())) +
                             (node->is_date() || node->is_date_time()
                                  ? " (write months as \"YYYY-MM\", in quotes)"
                                  : ""));
        return std::nullopt;
    }
    const auto m = Month::parse(s->get());
    if (!m) {
        diagnostics_.add(location_of_value(*node), key_path(key),
                         "'" + s->get() + "' is not a month (\"YYYY-MM\")");
        return std::nullopt;
    }
    if (*m < lo || *m > hi) {
        diagnostics_.add(location_of_value(*node), key_path(key),
                         "'" + s->get() + "' is out of range [" + lo.to_string() + ", " +
                             hi.to_string() + "]");
        return std::nullopt;
    }
    return m;
}

std::optional<std::size_t> TableReader::choice(std::string_view key,
                                               std::span<const std::string_view> choices) {
    const ScenarioKey& k = key_of(key, {KeyType::choice});
    if (!std::equal(choices.begin(), choices.end(), k.choices.begin(), k.choices.end()))
        throw std::logic_error("the validator reads '" + key_path(key) +
                               "' with other choices than the table of scenario keys gives it");
    const toml::node* node = node_of(key);
    const auto text = string_value(key);
    if (!text) return std::nullopt;
    for (std::size_t i = 0; i < choices.size(); ++i)
        if (choices[i] == *text) return i;
    std::string allowed;
    for (std::string_view c : choices)
        allowed += (allowed.empty() ? "" : ", ") + std::string(c);
    std::string message = "'" + *text + "' is not one of: " + allowed + name_hint(*text, choices);
    diagnostics_.add(location_of_value(*node), key_path(key), std::move(message));
    return std::nullopt;
}

std::optional<std::vector<std::pair<std::string, const toml::node*>>>
TableReader::string_array(std::string_view key) {
    key_of(key, {KeyType::regions, KeyType::names});
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto* array = node->as_array();
    if (!array) {
        type_error(key, *node, "an array");
        return std::nullopt;
    }
    std::vector<std::pair<std::string, const toml::node*>> out;
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        if (const auto* s = element.as_string()) {
            out.emplace_back(s->get(), &element);
        } else {
            diagnostics_.add(
                location_of_value(element), key_path(key) + "[" + std::to_string(i) + "]",
                "expected a string, got " + std::string(describe_type(element.type())));
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::vector<double>> TableReader::number_array(std::string_view key) {
    const ScenarioKey& k = key_of(key, {KeyType::numbers});
    const Range range{k.lower, k.upper, k.lower_open, is_part(k.quantity)};
    const toml::node* node = node_of(key);
    if (!node) return std::nullopt;
    const auto* array = node->as_array();
    if (!array) {
        type_error(key, *node, "an array");
        return std::nullopt;
    }
    std::vector<double> out;
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto v =
            checked_number(*array->get(i), key_path(key) + "[" + std::to_string(i) + "]", range);
        ok = ok && v.has_value();
        out.push_back(v.value_or(0));
    }
    if (!ok) return std::nullopt;
    return out;
}

std::string TableReader::pattern_of(std::string_view key) const {
    return pattern_.empty() ? std::string(key) : pattern_ + "." + std::string(key);
}

TableReader TableReader::table(std::string_view key) {
    key_of(key, {KeyType::table});
    const toml::node* node = node_of(key);
    if (node && !node->is_table()) {
        type_error(key, *node, "a table");
        node = nullptr;
    }
    return TableReader(node ? node->as_table() : nullptr, key_path(key), pattern_of(key),
                       diagnostics_, where_, numbers_);
}

std::vector<TableReader> TableReader::array_of_tables(std::string_view key) {
    key_of(key, {KeyType::table});
    std::vector<TableReader> out;
    const toml::node* node = node_of(key);
    if (!node) return out;
    const auto* array = node->as_array();
    if (!array || !array->is_array_of_tables()) {
        if (array && array->empty()) return out;
        type_error(key, *node, "an array of tables");
        return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i)
        out.emplace_back(array->get(i)->as_table(), key_path(key) + "[" + std::to_string(i) + "]",
                         pattern_of(key) + ".*", diagnostics_, location_of_value(*node), numbers_);
    return out;
}

void TableReader::missing(std::string_view key) {
    diagnostics_.add(where_, key_path(key), "missing required key");
}

void TableReader::error(std::string_view key, std::string message) {
    const toml::node* node = table_ ? table_->get(key) : nullptr;
    diagnostics_.add(node ? location_of_value(*node) : where_, key_path(key), std::move(message));
}

void TableReader::error_at(const toml::node& node, std::string key_path, std::string message) {
    diagnostics_.add(location_of_value(node), std::move(key_path), std::move(message));
}

std::vector<std::string_view> TableReader::keys() const {
    std::vector<std::string_view> out;
    if (table_)
        for (const auto& [k, v] : *table_)
            out.push_back(k.str());
    return out;
}

void TableReader::finish() {
    if (!table_) return;
    for (const auto& [k, v] : *table_) {
        if (std::find(known_.begin(), known_.end(), k.str()) != known_.end()) continue;
        std::string message = "unknown key";
        if (const auto close = closest_match(k.str(), known_))
            message += " (did you mean '" + std::string(*close) + "'?)";
        diagnostics_.add(location_of(k.source(), where_), key_path(k.str()), std::move(message));
    }
}

} // namespace ulcsim::detail
