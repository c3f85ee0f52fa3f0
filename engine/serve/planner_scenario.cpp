// A planner's request (form fields) and the scenario it stands for, as TOML text: the text is
// what the page downloads and what the server runs, so that `ulcsim compare` on it gives the
// page's numbers.

#include "ulcsim/input_error.hpp"
#include "ulcsim/planner.hpp"
#include "ulcsim/worker_attributes.hpp"

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
    if (const auto v = field("quota_per_desa"))
        p.quota_per_desa = integer_of(named("quota_per_desa"), *v);
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

// How many entries of a group the request has: the most values any of its fields has.
template <std::size_t N>
std::size_t entries_of(const PlannerFields& fields, const std::array<const char*, N>& names) {
    std::size_t most = 0;
    for (const char* name : names)
        most = std::max(most, values_of(fields, name).size());
    return most;
}

constexpr std::array<const char*, 7> regulation_fields{
    "regulation_from", "regulation_months", "register_multiplier", "regulation_occupations",
    "permit_rate",     "permit_compliance", "regulation_cost"};
constexpr std::array<const char*, 8> outreach_fields{
    "outreach_from",        "outreach_months",     "awareness_gain",           "fear_reduction",
    "registration_success", "within_km_of_office", "outreach_cost_per_worker", "outreach_cost"};

PlannerRegulation regulation_of(const PlannerFields& fields, std::size_t i) {
    PlannerRegulation r;
    const auto field = [&](const std::string& name) { return programme_value(fields, name, i); };
    const auto named = [&](const std::string& name) {
        return "regulation[" + std::to_string(i) + "]." + name;
    };
    if (const auto v = field("regulation_from")) r.start = month_of(named("from"), *v);
    if (const auto v = field("regulation_months")) r.months = small_integer_of(named("months"), *v);
    if (const auto v = field("register_multiplier"))
        r.register_multiplier = number_of(named("register_multiplier"), *v);
    if (const auto v = field("regulation_occupations")) {
        std::stringstream list(*v);
        std::string name;
        while (std::getline(list, name, ','))
            r.occupations.emplace_back(
                occupation_names[choice_of(named("occupations"), name, occupation_names)]);
    }
    if (const auto v = field("permit_rate")) r.permit_rate = number_of(named("permit_rate"), *v);
    if (const auto v = field("permit_compliance"))
        r.permit_compliance = number_of(named("permit_compliance"), *v);
    if (const auto v = field("regulation_cost"))
        r.cost_idr_per_month = number_of(named("cost"), *v);
    return r;
}

PlannerOutreach outreach_of(const PlannerFields& fields, std::size_t i) {
    PlannerOutreach o;
    const auto field = [&](const std::string& name) { return programme_value(fields, name, i); };
    const auto named = [&](const std::string& name) {
        return "outreach[" + std::to_string(i) + "]." + name;
    };
    if (const auto v = field("outreach_from")) o.start = month_of(named("from"), *v);
    if (const auto v = field("outreach_months")) o.months = small_integer_of(named("months"), *v);
    if (const auto v = field("awareness_gain"))
        o.awareness_gain = number_of(named("awareness_gain"), *v);
    if (const auto v = field("fear_reduction"))
        o.fear_reduction = number_of(named("fear_reduction"), *v);
    if (const auto v = field("registration_success"))
        o.registration_success = number_of(named("registration_success"), *v);
    if (const auto v = field("within_km_of_office"))
        o.within_km_of_office = number_of(named("within_km_of_office"), *v);
    if (const auto v = field("outreach_cost_per_worker"))
        o.cost_idr_per_worker_month = number_of(named("cost_per_worker"), *v);
    if (const auto v = field("outreach_cost")) o.cost_idr_per_month = number_of(named("cost"), *v);
    return o;
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
    if (p.quota_per_desa != 0) toml << "quota_per_village = " << p.quota_per_desa << '\n';
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

// A policy's window: from its month (the run's start by default) for `months` months, or
// open-ended.
void write_policy_window(std::ostream& toml, const std::optional<Month>& from, int months,
                         const PlannerRequest& request) {
    const Month start = from.value_or(request.start);
    toml << "start = " << quoted(start.to_string()) << '\n';
    if (months != 0) toml << "end = " << quoted((start + (months - 1)).to_string()) << '\n';
}

void write_regulation(std::ostream& toml, const PlannerRegulation& r, std::size_t i,
                      const PlannerRequest& request) {
    toml << "\n[[policy]]\n"
         << "name = " << quoted("regulation-" + std::to_string(i + 1)) << '\n'
         << "kind = \"enforcement\"\n"
         << "description = \"A regulation requiring active membership, added on the planner's "
            "page.\"\n"
         << "regions = [" << quoted(request.region) << "]\n";
    write_policy_window(toml, r.start, r.months, request);
    toml << "register_multiplier = " << toml_number(r.register_multiplier) << '\n';
    if (!r.occupations.empty()) {
        toml << "occupations = [";
        for (std::size_t k = 0; k < r.occupations.size(); ++k)
            toml << (k ? ", " : "") << quoted(r.occupations[k]);
        toml << "]\n";
    }
    toml << "permit_rate = " << toml_number(r.permit_rate) << '\n'
         << "permit_compliance = " << toml_number(r.permit_compliance) << '\n'
         << "cost_idr_per_month = " << toml_number(r.cost_idr_per_month) << '\n';
}

void write_outreach(std::ostream& toml, const PlannerOutreach& o, std::size_t i,
                    const PlannerRequest& request) {
    toml << "\n[[policy]]\n"
         << "name = " << quoted("outreach-" + std::to_string(i + 1)) << '\n'
         << "kind = \"campaign\"\n"
         << "description = \"An outreach campaign, added on the planner's page.\"\n"
         << "regions = [" << quoted(request.region) << "]\n";
    write_policy_window(toml, o.start, o.months, request);
    toml << "awareness_gain = " << toml_number(o.awareness_gain) << '\n'
         << "fear_reduction = " << toml_number(o.fear_reduction) << '\n';
    if (o.registration_success)
        toml << "registration_success = " << toml_number(*o.registration_success) << '\n';
    if (o.within_km_of_office)
        toml << "within_km_of_office = " << toml_number(*o.within_km_of_office) << '\n';
    toml << "cost_idr_per_worker_month = " << toml_number(o.cost_idr_per_worker_month) << '\n'
         << "cost_idr_per_month = " << toml_number(o.cost_idr_per_month) << '\n';
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
    // A page has a few of each; a bound keeps reading a request linear in its size.
    constexpr std::size_t most = 64;
    const auto count = [&](std::size_t n, const std::string& field, const std::string& what) {
        if (n > most)
            bad_field(field, std::to_string(n) + " " + what + "; a request has at most " +
                                 std::to_string(most));
        return n;
    };
    const std::size_t programmes = count(values_of(fields, "kind").size(), "kind", "programmes");
    for (std::size_t i = 0; i < programmes; ++i)
        r.programmes.push_back(programme_of(fields, i));
    const std::size_t regulations =
        count(entries_of(fields, regulation_fields), "regulation", "regulations");
    for (std::size_t i = 0; i < regulations; ++i)
        r.regulations.push_back(regulation_of(fields, i));
    const std::size_t campaigns =
        count(entries_of(fields, outreach_fields), "outreach", "outreach campaigns");
    for (std::size_t i = 0; i < campaigns; ++i)
        r.outreach.push_back(outreach_of(fields, i));
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
         << (baseline ? "the baseline, without funding programmes and without the "
                        "regulations and outreach starting within the run"
                      : "the planner's programmes, regulations and outreach against the "
                        "baseline")
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
    // The baseline keeps the policies in force before the run (the status quo) under the
    // names they have in the scenario, so that a summary can say it kept them.
    const auto in_scenario = [&](const std::optional<Month>& from) {
        return !baseline ||
               planner_baseline_keeps_policy(from.value_or(request.start), request.start);
    };
    if (!baseline)
        for (std::size_t i = 0; i < request.programmes.size(); ++i)
            write_programme(toml, request.programmes[i], i, request);
    for (std::size_t i = 0; i < request.regulations.size(); ++i)
        if (in_scenario(request.regulations[i].start))
            write_regulation(toml, request.regulations[i], i, request);
    for (std::size_t i = 0; i < request.outreach.size(); ++i)
        if (in_scenario(request.outreach[i].start))
            write_outreach(toml, request.outreach[i], i, request);
    return toml.str();
}

} // namespace ulcsim
