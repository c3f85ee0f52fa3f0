// A run's monthly totals over its whole area (ulcsim/planner_summary.hpp): read from a run
// file, or simulated here for the automatic baseline.

#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/planner_summary.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/run_plan.hpp"

#include <algorithm>
#include <memory>
#include <set>

namespace ulcsim {

namespace {

[[noreturn]] void not_a_run(const std::filesystem::path& file, const std::string& why) {
    throw InputError(Diagnostic{SourceLocation{file.string()}, "", why});
}

using Rows = std::vector<std::vector<double>>;

bool has(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

// /series/<metric> summed over regions and segments: [replicate][month].
Rows series_totals(const RunFileReader& reader, SeriesMetric metric) {
    const StoredArray a = read_series(reader, metric);
    const std::size_t R = a.dims.at(0), T = a.dims.at(1), inner = a.dims.at(2) * a.dims.at(3);
    Rows out(R, std::vector<double>(T, 0.0));
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t i = 0; i < inner; ++i)
                out[r][t] += a.values[(r * T + t) * inner + i];
    return out;
}

// The mean over replicates of a nation summary, all segments: one row.
Rows nation_means(const RunFileReader& reader, const std::string& metric) {
    const StoredArray a = read_summary(reader, SummaryLevel::nation, metric);
    const std::vector<std::string> stats = read_summary_statistics(reader);
    const auto s =
        static_cast<std::size_t>(std::find(stats.begin(), stats.end(), "mean") - stats.begin());
    const std::size_t T = a.dims.at(1), segments = a.dims.at(2);
    std::vector<double> row(T);
    for (std::size_t t = 0; t < T; ++t)
        row[t] = a.values[(s * T + t) * segments + segments - 1];
    return {row};
}

SummaryArea area_of(const RunFileReader& reader) {
    const RunRegions regions = read_regions(reader);
    SummaryArea area;
    area.regions = regions.code.size();
    area.provinces = std::set<std::string>(regions.province.begin(), regions.province.end()).size();
    if (area.regions == 1) {
        area.level = "kabkota";
        area.name = regions.name.front();
    } else if (area.provinces == 1) {
        area.level = "province";
        const SummaryProvinces provinces = read_summary_provinces(reader);
        area.name = provinces.name.empty() ? regions.province.front() : provinces.name.front();
    } else {
        area.level = "regions";
    }
    return area;
}

void read_totals(RunTotals& t, const RunFileReader& reader, const RunFileParts& parts) {
    const auto kept = [&](SeriesMetric m) {
        return has(parts.series_members, series_metric_names[static_cast<std::size_t>(m)]);
    };
    t.per_replicate = kept(SeriesMetric::covered) && kept(SeriesMetric::labour_force);
    if (t.per_replicate) {
        t.labour_force = series_totals(reader, SeriesMetric::labour_force);
        t.covered = series_totals(reader, SeriesMetric::covered);
        if (kept(SeriesMetric::covered_registered))
            t.covered_registered = series_totals(reader, SeriesMetric::covered_registered);
        t.policy_cost_idr = kept(SeriesMetric::policy_cost_idr)
                                ? series_totals(reader, SeriesMetric::policy_cost_idr)
                                : Rows(t.covered.size(), std::vector<double>(t.months.size()));
    } else {
        const std::vector<std::string> metrics = read_summary_members(reader, SummaryLevel::nation);
        t.labour_force = nation_means(reader, "labour_force");
        t.covered = nation_means(reader, "covered");
        if (has(metrics, "covered_registered"))
            t.covered_registered = nation_means(reader, "covered_registered");
        t.policy_cost_idr = has(metrics, "policy_cost_idr")
                                ? nation_means(reader, "policy_cost_idr")
                                : Rows(1, std::vector<double>(t.months.size()));
    }
    const std::size_t rows = t.covered.size(), T = t.months.size(), P = t.programmes.size();
    t.programme_members.assign(rows, std::vector<double>(T, 0.0));
    t.spent_idr.assign(rows, Rows(P, std::vector<double>(T, 0.0)));
    if (P == 0) return;
    const bool programme_series = t.per_replicate && has(parts.programme_members, "members") &&
                                  has(parts.programme_members, "spent_idr");
    if (programme_series) {
        const StoredArray members = read_programme_series(reader, ProgrammeMetric::members);
        const StoredArray spent = read_programme_series(reader, ProgrammeMetric::spent_idr);
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t m = 0; m < T; ++m)
                for (std::size_t j = 0; j < P; ++j) {
                    const std::size_t i = (r * T + m) * P + j;
                    t.programme_members[r][m] += members.values[i];
                    t.spent_idr[r][j][m] = spent.values[i];
                }
        return;
    }
    // Only the summaries: every row is the means (one row, or the same means for each when
    // the series of coverage were kept but not the programmes').
    const std::vector<std::string> stats = read_summary_statistics(reader);
    const auto s =
        static_cast<std::size_t>(std::find(stats.begin(), stats.end(), "mean") - stats.begin());
    const StoredArray members = read_summary(reader, SummaryLevel::programme, "members");
    const StoredArray spent = read_summary(reader, SummaryLevel::programme, "spent_idr");
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t m = 0; m < T; ++m)
            for (std::size_t j = 0; j < P; ++j) {
                const std::size_t i = (s * T + m) * P + j;
                t.programme_members[r][m] += members.values[i];
                t.spent_idr[r][j][m] = spent.values[i];
            }
}

// The scenario's ULC and programme kinds, when its stored text can be read back here; else
// the threshold of a forecast's file.
void read_scenario_facts(RunTotals& t, const RunFileReader& reader, const RunFileParts& parts) {
    t.programme_kinds.assign(t.programmes.size(), "");
    if (!t.scenario_toml.empty()) try {
            const Scenario s = load_scenario_text(t.scenario_toml, t.file);
            t.ulc = s.ulc;
            t.levers = scenario_levers(s);
            for (std::size_t j = 0; j < t.programmes.size(); ++j)
                for (const FundingProgramme& p : s.programmes)
                    if (p.name == t.programmes[j])
                        t.programme_kinds[j] =
                            std::string(programme_kind_names[static_cast<std::size_t>(p.kind)]);
            return;
        } catch (const InputError&) {
            // A scenario that names files (a posterior, its own region data): no facts here.
        }
    if (parts.forecast) {
        const ForecastFile f = read_forecast(reader);
        UlcDefinition ulc;
        ulc.threshold = f.threshold;
        if (f.measure == "resident_coverage") ulc.measure = CoverageMeasure::resident_coverage;
        t.ulc = ulc;
    }
}

} // namespace

RunTotals read_run_totals(const std::filesystem::path& file) {
    std::unique_ptr<RunFileReader> reader;
    try {
        reader = std::make_unique<RunFileReader>(file);
    } catch (const std::exception& e) {
        // The reader's "cannot read run file PATH: " would name the file twice.
        std::string why = e.what();
        const std::string prefix = "cannot read run file " + file.string() + ": ";
        if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
        not_a_run(file, why);
    }
    RunTotals t;
    try {
        const RunFileParts parts = run_file_parts(*reader);
        if (!parts.summary || !parts.months)
            not_a_run(file, "not a run file with summaries; give the output of run or forecast");
        const RunMeta meta = read_run_meta(*reader);
        t.scenario = meta.scenario_name;
        t.file = file.filename().string();
        t.seed = static_cast<std::uint64_t>(meta.seed);
        t.replicates = static_cast<std::size_t>(meta.replicates);
        t.scenario_toml = meta.scenario_toml;
        t.from_checkpoint = meta.from_checkpoint;
        t.months = read_months(*reader);
        t.area = area_of(*reader);
        t.programmes = read_programme_names(*reader);
        read_totals(t, *reader, parts);
        read_scenario_facts(t, *reader, parts);
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        not_a_run(file, std::string("not a complete run file: ") + e.what());
    }
    return t;
}

SummaryArea summary_area_of(const Scenario& s) {
    std::set<std::string> provinces;
    for (const std::size_t k : s.regions)
        provinces.insert(s.region_table.regions()[k].province_code);
    SummaryArea area;
    area.regions = s.regions.size();
    area.provinces = provinces.size();
    if (s.regions.size() == 1) {
        area.level = "kabkota";
        area.name = s.region_table.regions()[s.regions.front()].name;
    } else if (provinces.size() == 1) {
        area.level = "province";
        const auto p = s.region_table.find_province(*provinces.begin());
        area.name = p ? s.region_table.provinces()[*p].name : *provinces.begin();
    } else {
        area.level = "regions";
    }
    return area;
}

RunTotals run_totals_of(const Scenario& scenario) {
    RunTotals t;
    t.scenario = scenario.run.name;
    t.seed = scenario.run.seed;
    t.replicates = static_cast<std::size_t>(scenario.run.replicates);
    t.ulc = scenario.ulc;
    t.scenario_toml = scenario.resolved_toml;
    t.area = summary_area_of(scenario);
    t.levers = scenario_levers(scenario);
    const auto T = static_cast<std::size_t>(scenario.run.months);
    for (std::size_t m = 0; m < T; ++m)
        t.months.push_back((scenario.run.start + static_cast<int>(m)).to_string());
    for (const FundingProgramme& p : scenario.programmes) {
        t.programmes.push_back(p.name);
        t.programme_kinds.emplace_back(programme_kind_names[static_cast<std::size_t>(p.kind)]);
    }
    const std::size_t R = t.replicates, P = t.programmes.size();
    const auto rows = [&] { return Rows(R, std::vector<double>(T, 0.0)); };
    t.labour_force = rows();
    t.covered = rows();
    t.covered_registered = rows();
    t.policy_cost_idr = rows();
    t.programme_members = rows();
    t.spent_idr.assign(R, Rows(P, std::vector<double>(T, 0.0)));
    return t;
}

void add_replicate_totals(RunTotals& t, std::uint32_t r, const ReplicateSeries& series) {
    const std::size_t T = t.months.size(), P = t.programmes.size();
    for (std::size_t m = 0; m < T; ++m) {
        t.labour_force[r][m] = series.total(SeriesMetric::labour_force, m);
        t.covered[r][m] = series.total(SeriesMetric::covered, m);
        t.covered_registered[r][m] = series.total(SeriesMetric::covered_registered, m);
        t.policy_cost_idr[r][m] = series.total(SeriesMetric::policy_cost_idr, m);
        t.programme_members[r][m] = 0;
        for (std::size_t j = 0; j < P; ++j) {
            t.programme_members[r][m] += series.at(ProgrammeMetric::members, m, j);
            t.spent_idr[r][j][m] = series.at(ProgrammeMetric::spent_idr, m, j);
        }
    }
}

RunTotals simulate_run_totals(const Scenario& scenario, const ExecutionContext& context) {
    RunTotals t = run_totals_of(scenario);
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        add_replicate_totals(t, r, series);
    };
    run_ensemble(RunPlan::replicates_of(scenario), context, options);
    return t;
}

BaselinePlan baseline_of(const RunTotals& run) {
    BaselinePlan plan;
    // Until its scenario is read, programmes are what there is to measure.
    plan.needed = !run.programmes.empty();
    const auto cannot = [&](const std::string& why) {
        if (plan.needed) plan.why_not = why;
        return plan;
    };
    if (run.from_checkpoint)
        return cannot("the run continues from a checkpoint (" + *run.from_checkpoint +
                      "), which the report cannot replay");
    if (run.scenario_toml.empty()) return cannot("the run file does not hold its scenario");
    try {
        const Scenario stored = load_scenario_text(run.scenario_toml, run.file);
        plan.needed = !planner_baseline_overrides(stored).empty();
        if (plan.needed) plan.scenario = planner_baseline(stored);
    } catch (const InputError& e) {
        std::string what = e.what();
        if (const auto nl = what.find('\n'); nl != std::string::npos) what.erase(nl);
        return cannot("its stored scenario cannot be run again here (" + what + ")");
    }
    return plan;
}

} // namespace ulcsim
