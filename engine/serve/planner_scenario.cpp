// A planner's request (form fields) and the scenario it stands for, as TOML text: the text is
// what the page downloads and what the server runs, so that `ulcsim compare` on it gives the
// page's numbers.

#include "ulcsim/input_error.hpp"
#include "ulcsim/planner.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace ulcsim {

namespace {

const std::string request_source = "request";

[[noreturn]] void bad_field(const std::string& field, const std::string& message) {
    throw InputError(Diagnostic{SourceLocation{request_source, 0, 0, false}, field, message});
}

std::vector<std::string> values_of(const PlannerFields& fields, const std::string& name) {
    std::vector<std::string> values;
    const auto [first, last] = fields.equal_range(name);
    for (auto it = first; it != last; ++it)
        values.push_back(it->second);
    return values;
}

std::optional<std::string> single(const PlannerFields& fields, const std::string& name) {
    const auto values = values_of(fields, name);
    if (values.empty() || values.front().empty()) return std::nullopt;
    return values.front();
}

double number_of(const std::string& field, const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value))
        bad_field(field, "expected a number, got '" + text + "'");
    return value;
}

std::int64_t integer_of(const std::string& field, const std::string& text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        bad_field(field, "expected a whole number, got '" + text + "'");
    return value;
}

int small_integer_of(const std::string& field, const std::string& text) {
    const std::int64_t value = integer_of(field, text);
    if (value < -1'000'000 || value > 1'000'000) bad_field(field, "out of range: " + text);
    return static_cast<int>(value);
}

Month month_of(const std::string& field, const std::string& text) {
    const auto month = Month::parse(text);
    if (!month) bad_field(field, "expected a month YYYY-MM, got '" + text + "'");
    return *month;
}

template <std::size_t N>
std::size_t choice_of(const std::string& field, const std::string& text,
                      const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text) return i;
    std::string known;
    for (const std::string_view name : names)
        known += (known.empty() ? "" : ", ") + std::string(name);
    bad_field(field, "unknown value '" + text + "' (one of " + known + ")");
}

// The i-th value of a programme field, when the request has one.
std::optional<std::string> programme_value(const PlannerFields& fields, const std::string& name,
                                           std::size_t i) {
    const auto values = values_of(fields, name);
    if (i >= values.size() || values[i].empty()) return std::nullopt;
    return values[i];
}

PlannerProgramme programme_of(const PlannerFields& fields, std::size_t i) {
    PlannerProgramme p;
    const auto field = [&](const std::string& name) { return programme_value(fields, name, i); };
    const auto named = [&](const std::string& name) {
        return "programme[" + std::to_string(i) + "]." + name;
    };
    const auto kind = field("kind");
    if (!kind) bad_field(named("kind"), "missing: the programme's source of funds");
    p.kind = static_cast<ProgrammeKind>(choice_of(named("kind"), *kind, programme_kind_names));
    if (const auto v = field("budget")) p.budget_idr_per_year = number_of(named("budget"), *v);
    if (const auto v = field("from")) p.start = month_of(named("from"), *v);
    if (const auto v = field("funded_months"))
        p.months = small_integer_of(named("funded_months"), *v);
    if (const auto v = field("quota")) p.quota_workers = integer_of(named("quota"), *v);
    if (const auto v = field("segments")) {
        p.segments.fill(false);
        std::stringstream list(*v);
        std::string name;
        while (std::getline(list, name, ','))
            p.segments[choice_of(named("segments"), name, segment_names)] = true;
    }
    if (const auto v = field("max_income_band"))
        p.max_income_band = small_integer_of(named("max_income_band"), *v);
    if (const auto v = field("member_share")) p.member_share = number_of(named("member_share"), *v);
    if (const auto v = field("premium")) p.premium_idr_per_month = number_of(named("premium"), *v);
    return p;
}

// A TOML basic string.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out += c;
    }
    return out + "\"";
}

// Whole numbers as TOML integers (budgets read as written), others in the shortest form that
// reads back as the same double.
std::string toml_number(double value) {
    if (value == std::trunc(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<std::int64_t>(value));
    char buffer[64];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, r.ptr);
}

std::int64_t employed_workers(const RegionTable& regions, const std::vector<std::size_t>& area) {
    std::int64_t workers = 0;
    for (const std::size_t r : area)
        workers += regions.regions()[r].employed_workers;
    return workers;
}

void write_programme(std::ostream& toml, const PlannerProgramme& p, std::size_t i,
                     const PlannerRequest& request) {
    const Month start = p.start.value_or(request.start);
    const Month end = start + (p.months - 1);
    toml << "\n[[programme]]\n"
         << "name = " << quoted("programme-" + std::to_string(i + 1)) << '\n'
         << "kind = " << quoted(programme_kind_names[static_cast<std::size_t>(p.kind)]) << '\n'
         << "description = \"Added on the planner's page.\"\n"
         << "regions = [" << quoted(request.region) << "]\n"
         << "premium_idr_per_month = " << toml_number(p.premium_idr_per_month) << '\n'
         << "member_share = " << toml_number(p.member_share) << '\n';
    if (p.quota_workers != 0) toml << "quota_workers = " << p.quota_workers << '\n';
    toml << "\n[programme.eligibility]\nsegments = [";
    bool first = true;
    for (std::size_t s = 0; s < segment_count; ++s)
        if (p.segments[s]) {
            toml << (first ? "" : ", ") << quoted(segment_names[s]);
            first = false;
        }
    toml << "]\nmax_income_band = " << p.max_income_band << '\n';
    // A budget per year for every fiscal year the window touches.
    if (p.budget_idr_per_year != 0 && p.months >= 1) {
        toml << "\n[programme.budget_idr_per_year]\n";
        for (int year = start.year(); year <= end.year(); ++year)
            toml << year << " = " << toml_number(p.budget_idr_per_year) << '\n';
    }
    toml << "\n[[programme.window]]\n"
         << "start = " << quoted(start.to_string()) << '\n'
         << "end = " << quoted(end.to_string()) << '\n';
}

} // namespace

PlannerRequest planner_request(const PlannerFields& fields) {
    PlannerRequest r;
    const auto region = single(fields, "region");
    if (!region) bad_field("region", "missing: a kab/kota or province code, e.g. 33.71");
    r.region = *region;
    if (const auto v = single(fields, "start")) r.start = month_of("start", *v);
    if (const auto v = single(fields, "months")) r.months = small_integer_of("months", *v);
    if (const auto v = single(fields, "replicates"))
        r.replicates = small_integer_of("replicates", *v);
    if (const auto v = single(fields, "seed")) {
        const std::int64_t seed = integer_of("seed", *v);
        if (seed < 0) bad_field("seed", "must not be negative");
        r.seed = static_cast<std::uint64_t>(seed);
    }
    const std::size_t programmes = values_of(fields, "kind").size();
    for (std::size_t i = 0; i < programmes; ++i)
        r.programmes.push_back(programme_of(fields, i));
    return r;
}

std::string planner_scenario_toml(const PlannerRequest& request, const RegionTable& regions,
                                  const PlannerLimits& limits, bool baseline) {
    const std::vector<std::size_t> area = regions.expand(request.region);
    if (area.empty()) bad_field("region", "unknown region code '" + request.region + "'");
    const std::int64_t workers = employed_workers(regions, area);
    // The fewest whole workers per agent that keep a replicate within the limit, with room
    // for each region's rounding of its agents.
    const std::int64_t room =
        std::max<std::int64_t>(1, limits.max_agents - static_cast<std::int64_t>(area.size()));
    const std::int64_t scale = std::max<std::int64_t>(1, (workers + room - 1) / room);
    std::string area_name;
    if (const auto r = regions.find_region(request.region))
        area_name = regions.regions()[*r].name;
    else
        area_name = regions.provinces()[*regions.find_province(request.region)].name;

    std::ostringstream toml;
    toml << "# " << area_name << " (" << request.region << "): "
         << (baseline ? "the baseline, without funding programmes"
                      : "the planner's programmes against the baseline")
         << ", written by `ulcsim serve`.\n"
         << "# Reproduce the page's numbers with\n"
         << "#   ulcsim compare baseline.toml scenario.toml\n\n"
         << "[run]\n"
         << "name = " << quoted(baseline ? "baseline" : "planner") << '\n'
         << "description = " << quoted(area_name + ", from the planner's page (ulcsim serve).")
         << '\n'
         << "start = " << quoted(request.start.to_string()) << '\n'
         << "months = " << request.months << '\n'
         << "seed = " << request.seed << '\n'
         << "replicates = " << request.replicates << "\n\n"
         << "[regions]\ninclude = [" << quoted(request.region) << "]\n\n"
         << "[population]\n"
         << "# " << workers << " employed workers; at most " << limits.max_agents
         << " agents per replicate on the server.\n"
         << "scale = " << scale << '\n'
         << "initial_coverage_from = \"province_active_2023_12\"\n\n"
         << "[behaviour]\n"
         << "employer_registration = \"steady_state\"\n";
    if (!baseline)
        for (std::size_t i = 0; i < request.programmes.size(); ++i)
            write_programme(toml, request.programmes[i], i, request);
    return toml.str();
}

} // namespace ulcsim
