// The report's figures gathered from run files through the typed readers (ulcsim/report.hpp).

#include "replicate_statistics.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/report.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/skill_file.hpp"
#include "ulcsim/stored_scenario.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>

namespace ulcsim {

namespace {

constexpr std::size_t all_segments = report_segment_count - 1;

[[noreturn]] void not_a_report_input(const std::filesystem::path& file, const std::string& why) {
    throw InputError(Diagnostic{SourceLocation{file.string()}, "", why});
}

// Strips the reader's "cannot read run file PATH: " so the message reads "FILE: error: …".
std::string reason_of(const std::exception& e, const std::filesystem::path& file) {
    std::string what = e.what();
    const std::string prefix = "cannot read run file " + file.string() + ": ";
    if (what.rfind(prefix, 0) == 0) what.erase(0, prefix.size());
    return what;
}

class Summary {
public:
    Summary(const RunFileReader& reader, SummaryLevel level, const std::string& metric)
        : a_(read_summary(reader, level, metric)) {
        const std::vector<std::string> names = read_summary_statistics(reader);
        for (std::size_t i = 0; i < names.size(); ++i)
            index_[names[i]] = i;
    }
    // The series of statistic `stat` over months at the given trailing indices.
    std::vector<double> over_months(const std::string& stat, std::size_t inner,
                                    double factor = 1) const {
        const std::size_t months = a_.dims.at(1);
        std::size_t inner_size = 1;
        for (std::size_t d = 2; d < a_.dims.size(); ++d)
            inner_size *= a_.dims[d];
        const std::size_t s = index_.at(stat);
        std::vector<double> out(months);
        for (std::size_t m = 0; m < months; ++m)
            out[m] = a_.values[(s * months + m) * inner_size + inner] * factor;
        return out;
    }

private:
    StoredArray a_;
    std::map<std::string, std::size_t> index_;
};

using SegmentRates = std::array<double, report_segment_count>;

// Coverage rate at the last month of every replicate, nation-wide by segment, from /series;
// empty when the run kept only its summaries.
std::vector<SegmentRates> last_month_rates(const RunFileReader& reader, const RunFileParts& parts) {
    const std::string covered_name(
        series_metric_names[static_cast<std::size_t>(SeriesMetric::covered)]);
    if (std::find(parts.series_members.begin(), parts.series_members.end(), covered_name) ==
        parts.series_members.end())
        return {};
    const StoredArray covered = read_series(reader, SeriesMetric::covered);
    const StoredArray workers = read_series(reader, SeriesMetric::labour_force);
    if (covered.dims.size() != 4 || covered.dims != workers.dims) return {};
    const std::size_t reps = covered.dims[0], months = covered.dims[1], regions = covered.dims[2],
                      segs = covered.dims[3];
    std::vector<SegmentRates> out(reps);
    for (std::size_t r = 0; r < reps; ++r) {
        SegmentRates c{}, w{};
        for (std::size_t g = 0; g < regions; ++g)
            for (std::size_t s = 0; s < segs && s < 3; ++s) {
                const std::size_t i = ((r * months + months - 1) * regions + g) * segs + s;
                c[s] += covered.values[i];
                w[s] += workers.values[i];
                c[all_segments] += covered.values[i];
                w[all_segments] += workers.values[i];
            }
        for (std::size_t s = 0; s < report_segment_count; ++s)
            out[r][s] = w[s] > 0 ? 100 * c[s] / w[s] : std::nan("");
    }
    return out;
}

ReportInterval interval_of(const std::vector<double>& values) {
    using report_detail::mean_of, report_detail::quantile;
    return {mean_of(values), quantile(values, 0.05), quantile(values, 0.95)};
}

// A run file read for the report, with what the comparison needs beside it.
struct ReadRun {
    ReportRun run;
    std::vector<SegmentRates> last; // per replicate; empty: summaries only
};

void read_nation(ReportRun& run, const RunFileReader& reader) {
    // Rates are stored as shares; the report shows percentages.
    const Summary nation(reader, SummaryLevel::nation, "coverage_rate");
    for (std::size_t s = 0; s < report_segment_count; ++s) {
        CoverageBands& b = run.nation[s];
        b.mean = nation.over_months("mean", s, 100);
        b.p05 = nation.over_months("p05", s, 100);
        b.p25 = nation.over_months("p25", s, 100);
        b.p50 = nation.over_months("p50", s, 100);
        b.p75 = nation.over_months("p75", s, 100);
        b.p95 = nation.over_months("p95", s, 100);
    }
    // Covered workers by who pays (means over replicates, whole area, all segments).
    const auto covered_by = [&](const std::string& payer) {
        return Summary(reader, SummaryLevel::nation, "covered_" + payer)
            .over_months("mean", all_segments);
    };
    run.payers = {covered_by("employer"), covered_by("self"), covered_by("programme")};

    const std::vector<std::string> metrics = read_summary_members(reader, SummaryLevel::nation);
    if (std::find(metrics.begin(), metrics.end(), "registered_rate") == metrics.end()) return;
    const auto first_and_last = [&](const std::string& metric) {
        const std::vector<double> v =
            Summary(reader, SummaryLevel::nation, metric).over_months("mean", all_segments, 100);
        return std::array<double, 2>{v.front(), v.back()};
    };
    run.registration =
        ReportRun::Registration{first_and_last("coverage_rate"), first_and_last("registered_rate"),
                                first_and_last("coverage_share")};
}

void read_areas(ReportRun& run, const RunFileReader& reader) {
    // Small multiples by province when there are several, else by kabupaten/kota.
    const std::vector<std::string> provinces = read_summary_provinces(reader).name;
    const bool by_province = provinces.size() > 1;
    const std::vector<std::string> names = by_province ? provinces : read_regions(reader).name;
    const Summary areas(reader, by_province ? SummaryLevel::province : SummaryLevel::region,
                        "coverage_rate");
    const std::size_t shown = std::min(names.size(), report_max_small_multiples);
    ReportRun::Areas& a = run.areas;
    a.level = by_province ? "province" : "region";
    a.total = names.size();
    a.names.assign(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown));
    for (std::size_t i = 0; i < shown; ++i) {
        const std::size_t at = i * report_segment_count + all_segments;
        a.p05.push_back(areas.over_months("p05", at, 100));
        a.p50.push_back(areas.over_months("p50", at, 100));
        a.p95.push_back(areas.over_months("p95", at, 100));
    }
}

void read_programmes(ReportRun& run, const RunFileReader& reader) {
    ReportRun::Programmes& p = run.programmes;
    p.names = read_programme_names(reader);
    if (p.names.empty()) return;
    const auto means = [&](const char* metric) {
        const Summary s(reader, SummaryLevel::programme, metric);
        std::vector<std::vector<double>> out;
        for (std::size_t j = 0; j < p.names.size(); ++j)
            out.push_back(s.over_months("mean", j));
        return out;
    };
    p.members = means("members");
    p.spent_idr = means("spent_idr");
    p.budget_idr = means("budget_idr");
}

ReadRun read_run(const std::filesystem::path& file) {
    std::unique_ptr<RunFileReader> reader_ptr;
    try {
        reader_ptr = std::make_unique<RunFileReader>(file);
    } catch (const std::exception& e) {
        not_a_report_input(file, reason_of(e, file));
    }
    const RunFileReader& reader = *reader_ptr;
    RunFileParts parts;
    try {
        parts = run_file_parts(reader);
    } catch (const std::exception& e) {
        not_a_report_input(file, "not a complete run file: " + reason_of(e, file));
    }
    if (!parts.summary || !parts.months)
        not_a_report_input(file, "not a run file with summaries (a compare or sweep result, or "
                                 "a fit file?); give the output of run or forecast");

    ReadRun read;
    ReportRun& run = read.run;
    try {
        const RunMeta meta = read_run_meta(reader);
        const StoredScenarioText text = stored_scenario_text(meta.scenario_toml);
        run.file = file.filename().string();
        run.scenario = meta.scenario_name;
        run.description = text.description;
        for (const auto& s : text.sources)
            run.sources.push_back({s.what, s.source});
        run.seed = static_cast<std::uint64_t>(meta.seed);
        run.replicates = meta.replicates;
        run.engine_version = meta.engine_version.value_or("unknown");
        run.months = read_months(reader);
        read_nation(run, reader);
        read_areas(run, reader);
        read_programmes(run, reader);
        if (parts.forecast) {
            run.forecast = read_forecast(reader);
            // The page draws probability_by as rows; a shapeless one is a damaged file.
            if (run.forecast->probability_by.dims.empty())
                throw std::runtime_error("/forecast/probability_by has no rows");
        }
        run.observations = read_observation_tracks(reader);
        run.skill = read_skill_if_any(reader, SkillPlace::forecast);
        read.last = last_month_rates(reader, parts);
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        not_a_report_input(file, "not a complete run file: " + reason_of(e, file));
    }
    return read;
}

// Paired differences need every replicate of both runs and the same draws (seed and
// replicate count); otherwise only the intervals of each run are shown.
std::vector<ReportComparison> compare_runs(const std::vector<ReadRun>& runs) {
    std::vector<ReportComparison> out;
    if (runs.size() < 2) return out;
    const ReadRun& base = runs.front();
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const ReadRun& run = runs[i];
        ReportComparison c;
        c.kept_replicates = !run.last.empty();
        c.paired = i > 0 && !run.last.empty() && run.last.size() == base.last.size() &&
                   run.run.seed == base.run.seed;
        for (std::size_t s = 0; s < report_segment_count; ++s) {
            if (run.last.empty()) {
                // The summaries' statistics at the last month stand in for the replicates.
                const CoverageBands& b = run.run.nation[s];
                c.level[s] = {b.mean.back(), b.p05.back(), b.p95.back()};
                continue;
            }
            std::vector<double> level, difference;
            for (std::size_t r = 0; r < run.last.size(); ++r) {
                level.push_back(run.last[r][s]);
                if (c.paired) difference.push_back(run.last[r][s] - base.last[r][s]);
            }
            c.level[s] = interval_of(level);
            if (c.paired) c.difference[s] = interval_of(difference);
        }
        out.push_back(c);
    }
    return out;
}

// A baseline over other months than the run is the user's mistake: named as the input.
PlannerSummary checked_summary(const RunTotals& run, const std::filesystem::path& file,
                               const RunTotals* baseline, BaselineSource source,
                               const std::string& note) {
    try {
        return planner_summary(run, baseline, source, note);
    } catch (const std::invalid_argument& e) {
        std::string why = e.what();
        if (why.rfind("planner_summary: ", 0) == 0) why.erase(0, 17);
        not_a_report_input(file, "cannot compare with " + baseline->scenario + " (" +
                                     baseline->file + "): " + why);
    }
}

PlannerSummary summary_of(const RunTotals& run, const std::filesystem::path& file,
                          const std::optional<RunTotals>& given, const ReportOptions& options) {
    if (given) return checked_summary(run, file, &*given, BaselineSource::given, "");
    const BaselinePlan plan = baseline_of(run);
    if (!plan.needed) return planner_summary(run, nullptr, BaselineSource::not_needed);
    if (!options.simulate_baseline) return planner_summary(run, nullptr, BaselineSource::not_given);
    if (!plan.scenario)
        return planner_summary(run, nullptr, BaselineSource::unavailable, plan.why_not);
    if (options.on_progress)
        options.on_progress("simulating the baseline of " + run.file + " (" + run.scenario +
                            " without its programmes and the policies starting within the run, "
                            "seed " +
                            std::to_string(run.seed) + ", " + std::to_string(run.replicates) +
                            " replicates)");
    const RunTotals baseline = simulate_run_totals(*plan.scenario, options.context);
    return checked_summary(run, file, &baseline, BaselineSource::simulated, "");
}

// What kind of ulcsim output a file is; unknown when it cannot be opened (read_run says why).
OutputKind kind_of(const std::filesystem::path& file) {
    try {
        return output_kind(RunFileReader(file));
    } catch (const std::exception&) {
        return OutputKind::unknown;
    }
}

} // namespace

ReportData compared_report_data(const ComparedTotals& c) {
    ReportData data;
    ReportData::Compared& about = data.compared.emplace();
    about.file = c.file;
    about.engine_version = c.engine_version;
    about.method = c.method;
    for (const RunTotals& t : c.scenarios)
        about.scenarios.push_back(t.scenario);
    about.replicates = c.scenarios.empty() ? 0 : c.scenarios.front().replicates;
    for (std::size_t i = 1; i < c.scenarios.size(); ++i) {
        PlannerSummary s =
            planner_summary(c.scenarios[i], &c.scenarios[0], BaselineSource::compared);
        s.baseline_name = c.scenarios[0].scenario;
        data.summaries.push_back(std::move(s));
    }
    return data;
}

namespace {

ReportData compared_report(const std::filesystem::path& file) {
    return compared_report_data(read_compared_totals(file));
}

// A sweep's table: every grid point (the first axis varying slowest) with the mean and 90%
// interval of each measure and of its paired difference against the first point.
ReportData swept_report(const std::filesystem::path& file) {
    ReportData data;
    ReportData::Swept& out = data.swept.emplace();
    out.file = file.filename().string();
    try {
        const RunFileReader reader(file);
        const SweepFile sweep = read_sweep(reader);
        out.engine_version = sweep.engine_version.value_or("unknown");
        out.replicates = sweep.replicates.value_or(0);
        out.measures = sweep.measures;
        std::size_t points = 1;
        for (const SweepFile::Axis& axis : sweep.axes) {
            out.keys.push_back(axis.key);
            points *= axis.values.size();
        }
        const std::size_t M = out.measures.size(), S = summary_statistic_count;
        if (sweep.axes.empty() || M == 0 || sweep.statistics.values.size() != points * M * S ||
            sweep.differences.values.size() != points * M * S)
            throw std::runtime_error("its grid, measures and statistics do not agree");
        out.units = reader.strings("/measures/units");
        if (out.units.size() != M)
            throw std::runtime_error("its measures and their units do not agree");
        const auto at = [&](const StoredArray& a, std::size_t p, std::size_t m) {
            const std::size_t base = (p * M + m) * S;
            const auto stat = [&](Statistic st) {
                return a.values[base + static_cast<std::size_t>(st)];
            };
            return ReportInterval{stat(Statistic::mean), stat(Statistic::p05),
                                  stat(Statistic::p95)};
        };
        for (std::size_t p = 0; p < points; ++p) {
            // Row-major: the last axis varies fastest.
            std::vector<std::string> values(sweep.axes.size());
            std::size_t rest = p;
            for (std::size_t a = sweep.axes.size(); a-- > 0;) {
                values[a] = sweep.axes[a].values[rest % sweep.axes[a].values.size()];
                rest /= sweep.axes[a].values.size();
            }
            out.points.push_back(values);
            std::vector<ReportInterval> level, difference;
            for (std::size_t m = 0; m < M; ++m) {
                level.push_back(at(sweep.statistics, p, m));
                difference.push_back(at(sweep.differences, p, m));
            }
            out.levels.push_back(level);
            out.differences.push_back(difference);
        }
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        not_a_report_input(file, std::string("not a complete sweep result: ") + e.what());
    }
    return data;
}

} // namespace

ReportData read_report_data(const std::vector<std::filesystem::path>& run_files,
                            const ReportOptions& options) {
    for (const std::filesystem::path& file : run_files)
        switch (kind_of(file)) {
        case OutputKind::comparison:
            if (run_files.size() > 1 || options.baseline)
                not_a_report_input(file, "a compare result is reported alone (its first "
                                         "scenario is the baseline of the others)");
            return compared_report(file);
        case OutputKind::sweep:
            if (run_files.size() > 1 || options.baseline)
                not_a_report_input(file, "a sweep result is reported alone (its first point "
                                         "is the baseline of the others)");
            return swept_report(file);
        case OutputKind::fit:
            not_a_report_input(file, "a fit file of calibrate: report its forecast (`ulcsim "
                                     "forecast … --posterior FIT.h5 -o forecast.h5`)");
        default:
            break;
        }
    std::vector<ReadRun> runs;
    for (const std::filesystem::path& file : run_files)
        runs.push_back(read_run(file));
    ReportData data;
    data.comparison = compare_runs(runs);
    for (ReadRun& r : runs)
        data.runs.push_back(std::move(r.run));

    std::vector<RunTotals> totals;
    for (const std::filesystem::path& file : run_files)
        totals.push_back(read_run_totals(file));
    std::optional<RunTotals> given;
    if (options.baseline) given = read_run_totals(*options.baseline);
    for (std::size_t i = 0; i < totals.size(); ++i)
        data.summaries.push_back(summary_of(totals[i], run_files[i], given, options));
    // Runs over other months (a forecast to 2053 beside a target run to 2030) are shown side
    // by side all the same; only their month-by-month difference is left out, and says why.
    for (std::size_t i = 1; i < totals.size(); ++i) {
        try {
            data.against_first.push_back(
                planner_summary(totals[i], &totals[0], BaselineSource::given));
        } catch (const std::invalid_argument& e) {
            std::string why = e.what();
            if (why.rfind("planner_summary: ", 0) == 0) why.erase(0, 17);
            data.against_first.push_back(
                planner_summary(totals[i], nullptr, BaselineSource::unavailable,
                                "not compared with " + totals[0].scenario + " (" + totals[0].file +
                                    ") month by month: " + why));
        }
    }
    return data;
}

} // namespace ulcsim
