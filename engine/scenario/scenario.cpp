#include "ulcsim/scenario.hpp"

#include "scenario_document.hpp"
#include "toml_reader.hpp"
#include "ulcsim/input_error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>

namespace ulcsim {

using detail::Range;
using detail::TableReader;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr double sum_tolerance = 0.001;

std::string format_share(double v) {
    std::ostringstream out;
    out << std::round(v * 1e6) / 1e6;
    return out.str();
}

template <class T>
void read_into(T& target, std::optional<T> value) {
    if (value) target = *value;
}

void read_number(TableReader& t, std::string_view key, double& target, Range range) {
    read_into(target, t.number(key, range));
}

void read_int(TableReader& t, std::string_view key, int& target, int lo, int hi) {
    if (const auto v = t.integer(key, lo, hi)) target = static_cast<int>(*v);
}

/// Reads a table whose keys are a fixed list of names into an array of numbers.
template <std::size_t N>
void read_named_numbers(TableReader& t, const std::array<std::string_view, N>& names,
                        std::array<double, N>& target, Range range) {
    for (std::size_t i = 0; i < N; ++i)
        read_into(target[i], t.number(names[i], range));
}

/// Shares that must sum to one: reported against the table that holds them.
template <std::size_t N>
void check_sums_to_one(TableReader& t, const std::array<double, N>& shares) {
    const double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
    if (std::abs(sum - 1) > sum_tolerance)
        t.diagnostics().add(t.location(), t.path(),
                            "shares sum to " + format_share(sum) + ", not 1");
}

/// Builds a Scenario from the merged TOML tree, collecting every problem.
class ScenarioBuilder {
public:
    ScenarioBuilder(Scenario& scenario, detail::Diagnostics& diagnostics, TableReader& root)
        : s_(scenario), diag_(diagnostics), root_(root) {}

    void build() {
        root_.get("extends"); // consumed by the document loader; known here
        read_run();
        const bool have_regions = read_regions();
        read_behaviour();
        read_benefits();
        read_population(have_regions);
        read_commuting(have_regions);
        read_programmes(have_regions);
        read_policies(have_regions);
        read_observations(have_regions);
        read_ulc();
        root_.finish();
    }

private:
    void read_run() {
        TableReader t = root_.table("run");
        s_.run.name = t.string("name").value_or(s_.file.stem().string());
        if (s_.run.name.empty()) t.error("name", "must not be empty");
        s_.run.description = t.string("description").value_or("");
        if (const auto start = t.month("start")) {
            s_.run.start = *start;
        } else {
            run_valid_ = false;
            if (!t.get("start")) t.missing("start");
        }
        read_int(t, "months", s_.run.months, 1, 1200);
        if (const auto seed = t.integer("seed", 0, int64_max))
            s_.run.seed = static_cast<std::uint64_t>(*seed);
        read_int(t, "replicates", s_.run.replicates, 1, 100000);
        t.finish();
    }

    bool read_regions() {
        TableReader t = root_.table("regions");
        std::filesystem::path data_dir = RegionTable::default_data_dir();
        if (const auto dir = t.string("data_dir")) {
            // Relative to the file that set it, so a scenario works from any directory.
            const toml::node* node = t.get("data_dir");
            const SourceLocation where = t.location_of_value(*node);
            std::filesystem::path base = where.from_command_line
                                             ? std::filesystem::path()
                                             : std::filesystem::path(where.file).parent_path();
            data_dir = base / *dir;
        }
        bool loaded = true;
        try {
            s_.region_table = RegionTable::load(data_dir);
        } catch (const InputError& e) {
            for (const Diagnostic& d : e.diagnostics())
                diag_.add(d.where, d.key, d.message);
            loaded = false;
        }
        const auto include = t.string_array("include");
        const auto exclude = t.string_array("exclude");
        if (!t.get("include")) t.missing("include");
        t.finish();
        if (!loaded || !include) return false;

        std::set<std::size_t> chosen;
        bool ok = true; // false once a problem has been reported for include/exclude
        for (std::size_t i = 0; i < include->size(); ++i) {
            const auto& [code, node] = (*include)[i];
            const std::string key = t.key_path("include") + "[" + std::to_string(i) + "]";
            const auto expanded = s_.region_table.expand(code);
            if (expanded.empty()) {
                t.error_at(*node, key, "unknown region code '" + code + "'");
                ok = false;
                continue;
            }
            for (std::size_t r : expanded)
                if (!chosen.insert(r).second) {
                    t.error_at(*node, key,
                               "duplicate: region '" + s_.region_table.regions()[r].code +
                                   "' is already included");
                    ok = false;
                    break;
                }
        }
        if (exclude) {
            for (std::size_t i = 0; i < exclude->size(); ++i) {
                const auto& [code, node] = (*exclude)[i];
                const std::string key = t.key_path("exclude") + "[" + std::to_string(i) + "]";
                const auto expanded = s_.region_table.expand(code);
                if (expanded.empty()) {
                    t.error_at(*node, key, "unknown region code '" + code + "'");
                    ok = false;
                }
                for (std::size_t r : expanded)
                    if (chosen.erase(r) == 0) {
                        t.error_at(*node, key,
                                   "'" + code +
                                       "' is not in the scenario's regions (not included)");
                        ok = false;
                        break;
                    }
            }
        }
        if (ok && chosen.empty()) t.error("include", "no region is left to simulate");
        s_.regions.assign(chosen.begin(), chosen.end());
        // Regions that were valid still scope the rest of the file, so that its problems
        // are reported in the same pass.
        return !chosen.empty();
    }

    bool in_scenario(std::size_t region) const {
        return std::binary_search(s_.regions.begin(), s_.regions.end(), region);
    }

    /// A list of region codes that must all lie inside the scenario; absent means all.
    std::vector<std::size_t> read_region_list(TableReader& t, std::string_view key,
                                              bool have_regions) {
        const auto codes = t.string_array(key);
        if (!codes || !have_regions) return s_.regions;
        std::set<std::size_t> out;
        for (std::size_t i = 0; i < codes->size(); ++i) {
            const auto& [code, node] = (*codes)[i];
            const std::string path = t.key_path(key) + "[" + std::to_string(i) + "]";
            const auto expanded = s_.region_table.expand(code);
            if (expanded.empty()) {
                t.error_at(*node, path, "unknown region code '" + code + "'");
                continue;
            }
            for (std::size_t r : expanded) {
                if (!in_scenario(r)) {
                    t.error_at(*node, path, "'" + code + "' is not in the scenario's regions");
                    break;
                }
                if (!out.insert(r).second) {
                    t.error_at(*node, path, "duplicate: region '" + code + "' is listed twice");
                    break;
                }
            }
        }
        if (codes->empty()) t.error(key, "must list at least one region");
        return {out.begin(), out.end()};
    }

    /// One kabupaten/kota code inside the scenario.
    std::optional<std::size_t> read_kabkota(TableReader& t, std::string_view key,
                                            bool have_regions) {
        const auto code = t.string(key);
        if (!code) {
            if (!t.get(key)) t.missing(key);
            return std::nullopt;
        }
        if (!have_regions) return std::nullopt;
        const auto r = s_.region_table.find_region(*code);
        if (!r) {
            const bool province = s_.region_table.find_province(*code).has_value();
            t.error(key, province ? "'" + *code + "' is a province; a kabupaten/kota code is needed"
                                  : "unknown region code '" + *code + "'");
            return std::nullopt;
        }
        if (!in_scenario(*r)) {
            t.error(key, "'" + *code + "' is not in the scenario's regions");
            return std::nullopt;
        }
        return r;
    }

    void read_population(bool have_regions) {
        PopulationSpec& p = s_.population;
        p = default_population();
        TableReader t = root_.table("population");
        read_number(t, "scale", p.scale_workers_per_agent, {1, 1e9});
        if (const auto v = t.number("formal_share", detail::share_range)) p.formal_share = v;
        read_number(t, "vulnerable_share_of_informal", p.vulnerable_share_of_informal,
                    detail::share_range);
        read_number(t, "commuting_share", p.commuting_share, detail::share_range);

        TableReader coverage = t.table("initial_coverage");
        read_number(coverage, "formal_employer", p.initial_coverage.formal_employer,
                    detail::share_range);
        read_number(coverage, "informal_self", p.initial_coverage.informal_self,
                    detail::share_range);
        read_number(coverage, "vulnerable_self", p.initial_coverage.vulnerable_self,
                    detail::share_range);
        coverage.finish();

        TableReader awareness = t.table("awareness");
        read_named_numbers(awareness, segment_names, p.awareness_mean, detail::share_range);
        awareness.finish();

        TableReader fears = t.table("fears_bansos");
        read_number(fears, "informal", p.fears_bansos_share[1], detail::share_range);
        read_number(fears, "vulnerable", p.fears_bansos_share[2], detail::share_range);
        fears.finish();

        TableReader ages = t.table("age_bands");
        read_named_numbers(ages, age_band_names, p.age_band_shares, detail::share_range);
        check_sums_to_one(ages, p.age_band_shares);
        ages.finish();

        TableReader incomes = t.table("income_bands");
        for (std::size_t s = 0; s < segment_count; ++s) {
            const auto shares = incomes.number_array(segment_names[s], detail::share_range);
            if (!shares) continue;
            if (shares->size() != income_band_count) {
                incomes.error(segment_names[s], "expected " + std::to_string(income_band_count) +
                                                    " shares (bands 0 to 4), got " +
                                                    std::to_string(shares->size()));
                continue;
            }
            std::copy(shares->begin(), shares->end(), p.income_band_shares[s].begin());
            const double sum = std::accumulate(shares->begin(), shares->end(), 0.0);
            if (std::abs(sum - 1) > sum_tolerance)
                incomes.error(segment_names[s], "shares sum to " + format_share(sum) + ", not 1");
        }
        incomes.finish();

        TableReader occupations = t.table("occupations");
        for (std::size_t s = 0; s < segment_count; ++s) {
            TableReader mix = occupations.table(segment_names[s]);
            if (!mix.present()) continue;
            p.occupation_shares[s].fill(0);
            read_named_numbers(mix, occupation_names, p.occupation_shares[s], detail::share_range);
            check_sums_to_one(mix, p.occupation_shares[s]);
            mix.finish();
        }
        occupations.finish();

        std::set<std::size_t> seen;
        for (TableReader& o : t.array_of_tables("region")) {
            RegionPopulationOverride entry;
            const auto region = read_kabkota(o, "region", have_regions);
            if (region) {
                entry.region = *region;
                if (!seen.insert(*region).second)
                    o.error("region", "duplicate: this region already has an entry");
            }
            if (const auto v = o.integer("employed_workers", 0, int64_max))
                entry.employed_workers = *v;
            entry.formal_share = o.number("formal_share", detail::share_range);
            entry.vulnerable_share_of_informal =
                o.number("vulnerable_share_of_informal", detail::share_range);
            entry.km_to_office = o.number("km_to_office", {0, 1000});
            entry.commuting_share = o.number("commuting_share", detail::share_range);
            entry.formal_employer = o.number("formal_employer", detail::share_range);
            entry.informal_self = o.number("informal_self", detail::share_range);
            entry.vulnerable_self = o.number("vulnerable_self", detail::share_range);
            o.finish();
            if (region) p.region_overrides.push_back(entry);
        }
        t.finish();
    }

    void read_commuting(bool have_regions) {
        std::map<std::size_t, double> outflow;
        std::map<std::size_t, TableReader*> last_entry;
        std::vector<TableReader> flows = root_.array_of_tables("commuting");
        for (TableReader& f : flows) {
            const auto from = read_kabkota(f, "from", have_regions);
            const auto to = read_kabkota(f, "to", have_regions);
            const auto share = f.number("share", detail::share_range);
            if (!f.get("share")) f.missing("share");
            f.finish();
            if (from && to && *from == *to) f.error("to", "must differ from 'from'");
            if (!from || !to || !share || *from == *to) continue;
            s_.commuting.push_back({*from, *to, *share});
            outflow[*from] += *share;
            last_entry[*from] = &f;
        }
        for (const auto& [from, total] : outflow)
            if (total > 1 + 1e-9)
                last_entry[from]->error(
                    "share", "commuting shares out of '" + s_.region_table.regions()[from].code +
                                 "' sum to " + format_share(total) + ", more than 1");
    }

    void read_behaviour() {
        Behaviour& b = s_.behaviour;
        b = default_behaviour();
        TableReader t = root_.table("behaviour");
        read_number(t, "h0_self", b.h0_self, detail::hazard_range);
        read_number(t, "b_aware", b.b_aware, detail::coefficient_range);
        read_number(t, "b_peer", b.b_peer, detail::coefficient_range);
        read_number(t, "b_income", b.b_income, detail::coefficient_range);
        read_number(t, "b_fear", b.b_fear, detail::coefficient_range);
        read_number(t, "b_dist", b.b_dist, detail::coefficient_range);
        read_number(t, "registration_success", b.registration_success, detail::share_range);
        read_number(t, "h_lapse", b.h_lapse, detail::hazard_range);
        read_number(t, "b_lapse_income", b.b_lapse_income, detail::coefficient_range);
        read_number(t, "autodebit_share", b.autodebit_share, detail::share_range);
        read_number(t, "h_lapse_autodebit", b.h_lapse_autodebit, detail::hazard_range);
        read_int(t, "arrears_months", b.arrears_months, 0, 24);
        read_number(t, "h_reinstate", b.h_reinstate, detail::hazard_range);
        read_number(t, "continue_after_subsidy", b.continue_after_subsidy, detail::share_range);
        read_number(t, "h0_register", b.h0_register, detail::hazard_range);
        read_number(t, "h_employer_lapse", b.h_employer_lapse, detail::hazard_range);
        read_number(t, "h_formal_to_informal", b.h_formal_to_informal, detail::hazard_range);
        read_number(t, "h_informal_to_formal", b.h_informal_to_formal, detail::hazard_range);
        read_number(t, "h_informal_to_vulnerable", b.h_informal_to_vulnerable,
                    detail::hazard_range);
        read_number(t, "h_vulnerable_to_informal", b.h_vulnerable_to_informal,
                    detail::hazard_range);
        read_number(t, "entry_rate", b.entry_rate, {0, 0.1});
        read_int(t, "exit_age_years", b.exit_age_years, 50, 100);
        read_number(t, "awareness_decay", b.awareness_decay, detail::share_range);
        read_number(t, "awareness_peer_gain", b.awareness_peer_gain, detail::share_range);
        TableReader mortality = t.table("mortality");
        read_named_numbers(mortality, age_band_names, b.mortality_hazard, detail::share_range);
        mortality.finish();
        TableReader accidents = t.table("accidents");
        read_named_numbers(accidents, occupation_names, b.accident_hazard, detail::share_range);
        accidents.finish();
        t.finish();
    }

    void read_benefits() {
        Benefits& b = s_.benefits;
        TableReader t = root_.table("benefits");
        read_number(t, "jkm_idr", b.jkm_idr, detail::money_range);
        read_number(t, "jkm_waiting_idr", b.jkm_waiting_idr, detail::money_range);
        read_int(t, "jkm_waiting_months", b.jkm_waiting_months, 0, 24);
        read_number(t, "jkk_mean_claim_idr", b.jkk_mean_claim_idr, detail::money_range);
        read_number(t, "jkk_fatal_share", b.jkk_fatal_share, detail::share_range);
        read_number(t, "self_premium_idr_per_month", b.self_premium_idr_per_month,
                    detail::money_range);
        t.finish();
    }

    static bool valid_name(std::string_view name) {
        return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
        });
    }

    /// name: required, well-formed and unique among `taken`.
    std::string read_entry_name(TableReader& t, std::set<std::string>& taken, const char* what) {
        const auto name = t.string("name");
        if (!name) {
            if (!t.get("name")) t.missing("name");
            return {};
        }
        if (!valid_name(*name))
            t.error("name", "'" + *name + "' may use only letters, digits, '-' and '_'");
        else if (!taken.insert(*name).second)
            t.error("name", std::string("duplicate ") + what + " name '" + *name + "'");
        return *name;
    }

    template <class Enum, std::size_t N>
    void read_choice(TableReader& t, std::string_view key,
                     const std::array<std::string_view, N>& names, Enum& target) {
        if (const auto i = t.choice(key, names)) target = static_cast<Enum>(*i);
    }

    /// An array of names from a fixed list, as flags; absent leaves `flags` unchanged.
    template <std::size_t N>
    void read_name_set(TableReader& t, std::string_view key,
                       const std::array<std::string_view, N>& names, std::array<bool, N>& flags) {
        const auto list = t.string_array(key);
        if (!list) return;
        if (list->empty()) {
            t.error(key, "must list at least one");
            return;
        }
        std::array<bool, N> chosen{};
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto& [name, node] = (*list)[i];
            const std::string path = t.key_path(key) + "[" + std::to_string(i) + "]";
            const auto index = index_of(names, name);
            if (!index) {
                std::string allowed;
                for (std::string_view n : names)
                    allowed += (allowed.empty() ? "" : ", ") + std::string(n);
                t.error_at(*node, path, "'" + name + "' is not one of: " + allowed);
            } else if (chosen[*index]) {
                t.error_at(*node, path, "duplicate: '" + name + "' is listed twice");
            } else {
                chosen[*index] = true;
            }
        }
        flags = chosen;
    }

    void read_programmes(bool have_regions) {
        std::set<std::string> names;
        for (TableReader& t : root_.array_of_tables("programme")) {
            FundingProgramme p;
            p.name = read_entry_name(t, names, "programme");
            if (!t.get("kind")) t.missing("kind");
            read_choice(t, "kind", programme_kind_names, p.kind);
            p.description = t.string("description").value_or("");
            p.source = t.string("source").value_or("");
            p.regions = read_region_list(t, "regions", have_regions);
            static constexpr std::array<std::string_view, 3> village_names{"all", "desa",
                                                                           "kelurahan"};
            read_choice(t, "villages", village_names, p.villages);
            read_number(t, "premium_idr_per_month", p.premium_idr_per_month, detail::money_range);
            if (const auto v = t.integer("quota_workers", 1, int64_max)) p.quota_workers = v;
            if (const auto v = t.integer("sponsors", 1, int64_max)) p.sponsors = v;
            if (const auto v = t.integer("workers_per_sponsor", 1, int64_max))
                p.workers_per_sponsor = v;
            if (const auto v = t.integer("outreach_per_month", 1, int64_max))
                p.outreach_per_month = v;
            read_number(t, "acceptance", p.acceptance, detail::share_range);
            read_number(t, "fear_acceptance_factor", p.fear_acceptance_factor, detail::share_range);
            static constexpr std::array<std::string_view, 2> targeting_names{"random",
                                                                             "lowest_income_first"};
            read_choice(t, "targeting", targeting_names, p.targeting);
            read_into(p.renewal, t.boolean("renewal"));
            p.continue_after_subsidy = s_.behaviour.continue_after_subsidy;
            read_number(t, "continue_after_subsidy", p.continue_after_subsidy, detail::share_range);
            read_number(t, "member_lapse_per_month", p.member_lapse_per_month,
                        detail::hazard_range);

            if (t.get("sponsors") != nullptr && t.get("workers_per_sponsor") == nullptr)
                t.error("sponsors", "needs workers_per_sponsor too");
            if (t.get("workers_per_sponsor") != nullptr && t.get("sponsors") == nullptr)
                t.error("workers_per_sponsor", "needs sponsors too");
            if (p.sponsors && p.workers_per_sponsor) {
                if (t.get("quota_workers"))
                    t.error(
                        "quota_workers",
                        "give either quota_workers or sponsors × workers_per_sponsor, not both");
                p.quota_workers = *p.sponsors * *p.workers_per_sponsor;
            }

            read_windows(t, p);
            read_budget(t, p);
            read_eligibility(t, p.eligibility);
            t.finish();
            s_.programmes.push_back(std::move(p));
        }
    }

    void read_windows(TableReader& t, FundingProgramme& p) {
        std::vector<TableReader> windows = t.array_of_tables("window");
        if (windows.empty() && !t.get("window")) t.missing("window");
        std::optional<Month> previous_end;
        for (TableReader& w : windows) {
            const auto start = w.month("start");
            const auto end = w.month("end");
            if (!w.get("start")) w.missing("start");
            if (!w.get("end")) w.missing("end");
            std::optional<std::int64_t> quota;
            if (const auto v = w.integer("quota_workers", 1, int64_max)) quota = v;
            w.finish();
            if (!start || !end) continue;
            if (*end < *start) {
                w.error("end", "window ends before it starts (start " + start->to_string() +
                                   ", end " + end->to_string() + ")");
                continue;
            }
            if (previous_end && *start <= *previous_end)
                w.error("start", "window starting " + start->to_string() +
                                     " overlaps or precedes the previous window (ends " +
                                     previous_end->to_string() + ")");
            previous_end = *end;
            p.windows.push_back({*start, *end, quota});
        }
    }

    void read_budget(TableReader& t, FundingProgramme& p) {
        TableReader budget = t.table("budget_idr_per_year");
        for (std::string_view key : budget.keys()) {
            int year = 0;
            const auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), year);
            const auto amount = budget.number(key, detail::money_range);
            if (ec != std::errc() || ptr != key.data() + key.size() || year < 2000 || year > 2100) {
                budget.error(key, "'" + std::string(key) + "' is not a year (2000 … 2100)");
                continue;
            }
            const bool funded = std::any_of(p.windows.begin(), p.windows.end(), [&](auto& w) {
                return w.start.year() <= year && year <= w.end.year();
            });
            if (!funded && !p.windows.empty())
                budget.error(key,
                             "no window of this programme has a month in " + std::to_string(year));
            if (amount) p.budget_idr_per_year[year] = *amount;
        }
        budget.finish();
    }

    void read_eligibility(TableReader& t, Eligibility& e) {
        TableReader r = t.table("eligibility");
        read_name_set(r, "segments", segment_names, e.segments);
        read_name_set(r, "occupations", occupation_names, e.occupations);
        read_int(r, "max_income_band", e.max_income_band, 0, 4);
        read_int(r, "min_age_years", e.min_age_years, 15, 100);
        read_int(r, "max_age_years", e.max_age_years, 15, 100);
        if (e.max_age_years < e.min_age_years)
            r.error("max_age_years",
                    "is below min_age_years (" + std::to_string(e.min_age_years) + ")");
        r.finish();
    }

    void read_policies(bool have_regions) {
        std::set<std::string> names;
        for (TableReader& t : root_.array_of_tables("policy")) {
            Policy p;
            p.name = read_entry_name(t, names, "policy");
            if (!t.get("kind")) t.missing("kind");
            static constexpr std::array<std::string_view, 2> kinds{"enforcement", "campaign"};
            read_choice(t, "kind", kinds, p.kind);
            p.description = t.string("description").value_or("");
            p.source = t.string("source").value_or("");
            p.regions = read_region_list(t, "regions", have_regions);
            if (const auto start = t.month("start"))
                p.start = *start;
            else if (!t.get("start"))
                t.missing("start");
            p.end = t.month("end");
            if (p.end && t.get("start") && *p.end < p.start)
                t.error("end", "policy ends before it starts (start " + p.start.to_string() +
                                   ", end " + p.end->to_string() + ")");
            read_number(t, "register_multiplier", p.register_multiplier, {0, 100});
            read_number(t, "awareness_gain", p.awareness_gain, detail::share_range);
            read_number(t, "fear_reduction", p.fear_reduction, detail::share_range);
            p.registration_success = t.number("registration_success", detail::share_range);
            const bool kind_known = t.get("kind") && t.get("kind")->is_string();
            if (kind_known) {
                const bool enforcement = p.kind == PolicyKind::enforcement;
                for (std::string_view key : {"awareness_gain", "fear_reduction",
                                             "registration_success", "register_multiplier"}) {
                    const bool enforcement_key = key == "register_multiplier";
                    if (t.get(key) && enforcement_key != enforcement)
                        t.error(key, std::string("is only for kind '") +
                                         (enforcement_key ? "enforcement" : "campaign") + "'");
                }
            }
            t.finish();
            s_.policies.push_back(std::move(p));
        }
    }

    void read_observations(bool have_regions) {
        for (TableReader& t : root_.array_of_tables("observation")) {
            Observation o;
            if (const auto code = t.string("region")) {
                o.region_code = *code;
                if (have_regions) {
                    if (*code == "ID") {
                        o.regions = s_.regions;
                    } else {
                        const auto expanded = s_.region_table.expand(*code);
                        if (expanded.empty())
                            t.error("region", "unknown region code '" + *code + "'");
                        for (std::size_t r : expanded) {
                            if (!in_scenario(r)) {
                                t.error("region",
                                        "'" + *code + "' is not in the scenario's regions");
                                break;
                            }
                            o.regions.push_back(r);
                        }
                    }
                }
            } else if (!t.get("region")) {
                t.missing("region");
            }
            read_choice(t, "segment", segment_group_names, o.segment);
            if (const auto m = t.month("month")) {
                o.month = *m;
                if (run_valid_ && (*m < s_.run.start || *m > s_.run.last_month()))
                    t.error("month", "'" + m->to_string() + "' is outside the run (" +
                                         s_.run.start.to_string() + " … " +
                                         s_.run.last_month().to_string() + ")");
            } else if (!t.get("month")) {
                t.missing("month");
            }
            if (const auto v = t.number("value", {0, 2}))
                o.value = *v;
            else if (!t.get("value"))
                t.missing("value");
            read_choice(t, "measure", coverage_measure_names, o.measure);
            if (const auto source = t.string("source")) {
                o.source = *source;
                if (source->empty()) t.error("source", "must not be empty: cite where it is from");
            } else if (!t.get("source")) {
                t.missing("source");
            }
            static constexpr std::array<std::string_view, 3> statuses{"EXACT", "QUOTED",
                                                                      "ESTIMATE"};
            read_choice(t, "status", statuses, o.status);
            read_number(t, "weight", o.weight, {0, 1e9});
            t.finish();
            s_.observations.push_back(std::move(o));
        }
    }

    void read_ulc() {
        TableReader t = root_.table("ulc");
        read_number(t, "threshold", s_.ulc.threshold, {0, 2, true});
        read_choice(t, "measure", coverage_measure_names, s_.ulc.measure);
        t.finish();
    }

    Scenario& s_;
    detail::Diagnostics& diag_;
    TableReader& root_;
    bool run_valid_ = true;
};

} // namespace

Behaviour default_behaviour() {
    Behaviour b;
    b.accident_hazard.fill(0.0001);
    const auto set = [&](std::string_view occupation, double hazard) {
        b.accident_hazard[*index_of(occupation_names, occupation)] = hazard;
    };
    set("construction", 0.0008);
    set("fisher", 0.0006);
    set("transport", 0.0006);
    set("farmer", 0.0003);
    set("tobacco", 0.0003);
    set("waste", 0.0004);
    return b;
}

PopulationSpec default_population() {
    PopulationSpec p;
    const auto mix = [&](Segment segment,
                         std::initializer_list<std::pair<std::string_view, double>> shares) {
        auto& row = p.occupation_shares[static_cast<std::size_t>(segment)];
        row.fill(0);
        for (const auto& [name, share] : shares)
            row[*index_of(occupation_names, name)] = share;
    };
    mix(Segment::formal, {{"other", 0.70},
                          {"construction", 0.10},
                          {"transport", 0.05},
                          {"trader", 0.10},
                          {"tobacco", 0.05}});
    mix(Segment::informal, {{"farmer", 0.30},
                            {"fisher", 0.03},
                            {"tobacco", 0.02},
                            {"trader", 0.30},
                            {"transport", 0.10},
                            {"construction", 0.08},
                            {"other", 0.17}});
    mix(Segment::vulnerable, {{"farmer", 0.30},
                              {"fisher", 0.05},
                              {"tobacco", 0.05},
                              {"religious", 0.05},
                              {"transport", 0.10},
                              {"trader", 0.15},
                              {"construction", 0.08},
                              {"waste", 0.05},
                              {"community", 0.07},
                              {"other", 0.10}});
    return p;
}

double FundingProgramme::total_budget_idr() const {
    double total = 0;
    for (const auto& [year, amount] : budget_idr_per_year)
        total += amount;
    return total;
}

std::int64_t Scenario::employed_workers(std::size_t region) const {
    for (const RegionPopulationOverride& o : population.region_overrides)
        if (o.region == region && o.employed_workers) return *o.employed_workers;
    return region_table.regions()[region].employed_workers;
}

std::int64_t Scenario::total_employed_workers() const {
    std::int64_t total = 0;
    for (std::size_t r : regions)
        total += employed_workers(r);
    return total;
}

Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& overrides) {
    detail::Diagnostics diagnostics;
    auto document = detail::load_scenario_document(file, overrides, diagnostics);
    if (!document) throw InputError(std::move(diagnostics.problems()));

    Scenario scenario;
    scenario.file = file;
    std::ostringstream text;
    text << toml::toml_formatter(*document);
    scenario.resolved_toml = text.str();

    TableReader root(&*document, "", diagnostics, SourceLocation{file.string(), 1, 1, false});
    ScenarioBuilder(scenario, diagnostics, root).build();
    if (!diagnostics.empty()) throw InputError(std::move(diagnostics.problems()));
    return scenario;
}

} // namespace ulcsim
