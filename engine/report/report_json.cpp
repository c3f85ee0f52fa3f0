// The report's figures as the JSON document the page's script draws from (ulcsim/report.hpp).

#include "json_writer.hpp"
#include "ulcsim/report.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace ulcsim {

namespace {

constexpr const char* segment_names[report_segment_count] = {"formal", "informal", "vulnerable",
                                                             "all"};

using Json = detail::JsonWriter;

// A stored [rows, columns] array as rows (a one-dimensional one as one column).
std::vector<std::vector<double>> rows_of(const StoredArray& a) {
    const std::size_t n = a.dims.at(0), k = a.dims.size() > 1 ? a.dims[1] : 1;
    std::vector<std::vector<double>> out;
    for (std::size_t i = 0; i < n; ++i)
        out.emplace_back(a.values.begin() + static_cast<std::ptrdiff_t>(i * k),
                         a.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * k));
    return out;
}

void write_forecast(Json& j, const ForecastFile& f) {
    j.raw("{");
    j.key("codes").strs(f.code);
    j.key("names").strs(f.name);
    j.key("levels").strs(f.level);
    j.key("measure").str(f.measure.value_or(""));
    j.key("threshold").nums({f.threshold});
    j.key("quantile_level").nums(f.quantile_level);
    j.key("quantile").rows(rows_of(f.quantile));
    j.key("first_month").rows(rows_of(f.first_month));
    j.key("by").strs(f.by);
    j.key("probability_by").rows(rows_of(f.probability_by));
    j.key("never").nums(f.never);
    j.raw("}");
}

std::vector<double> percent(const std::vector<double>& shares) {
    std::vector<double> out;
    out.reserve(shares.size());
    for (const double v : shares)
        out.push_back(v * 100);
    return out;
}

// Shares as percentages, like every other coverage figure of the page.
void write_observations(Json& j, const StoredObservationTracks& o) {
    j.raw("{").key("tracks").raw("[");
    for (std::size_t t = 0; t < o.tracks.size(); ++t) {
        const StoredObservationTracks::Track& track = o.tracks[t];
        if (t) j.comma();
        j.raw("{").key("region").str(track.region).key("segment").str(track.segment);
        j.key("measure").str(track.measure);
        j.key("mean").nums(percent(track.mean)).key("p05").nums(percent(track.p05));
        j.key("p95").nums(percent(track.p95)).raw("}");
    }
    j.raw("]").key("points").raw("[");
    for (std::size_t i = 0; i < o.point_track.size(); ++i) {
        if (i) j.comma();
        j.raw("{").key("track").num(static_cast<double>(o.point_track[i]));
        j.key("month").str(o.points.month[i]).key("observed").num(o.points.observed[i] * 100);
        j.key("source").str(i < o.points.source.size() ? o.points.source[i] : "").raw("}");
    }
    j.raw("]}");
}

void write_skill_row(Json& j, const SkillRow& row) {
    j.raw("{").key("from").num(row.horizon_from).key("to").num(row.horizon_to);
    j.key("points").num(static_cast<double>(row.points));
    j.key("mae").num(row.mean_absolute_error * 100);
    j.key("inside_80").num(row.inside_80 * 100);
    j.key("widened_inside_80").num(row.widened_inside_80 * 100);
    j.key("widened_inside_95").num(row.widened_inside_95 * 100);
    j.key("persistence_ratio").num(row.persistence.ratio());
    j.key("trend_ratio").num(row.linear_trend.ratio());
    j.raw("}");
}

void write_skill(Json& j, const Skill& skill) {
    std::vector<std::string> cut_offs;
    for (const Month m : skill.cut_offs)
        cut_offs.push_back(m.to_string());
    j.raw("{").key("cut_offs").strs(cut_offs).key("rows").raw("[");
    for (std::size_t i = 0; i < skill.by_horizon.size(); ++i) {
        if (i) j.comma();
        write_skill_row(j, skill.by_horizon[i]);
    }
    j.raw("]").key("overall");
    write_skill_row(j, skill.overall);
    j.raw("}");
}

void write_run(Json& j, const ReportRun& run) {
    j.raw("{");
    j.key("file").str(run.file);
    j.key("scenario").str(run.scenario);
    j.key("description").str(run.description);
    j.key("sources").raw("[");
    for (std::size_t i = 0; i < run.sources.size(); ++i) {
        if (i) j.comma();
        j.raw("{").key("what").str(run.sources[i].what).key("source").str(run.sources[i].source);
        j.raw("}");
    }
    j.raw("]");
    j.key("seed").num(static_cast<double>(run.seed));
    j.key("replicates").num(static_cast<double>(run.replicates));
    j.key("engine_version").str(run.engine_version);
    j.key("months").strs(run.months);

    j.key("nation").raw("{");
    for (std::size_t s = 0; s < report_segment_count; ++s) {
        const CoverageBands& b = run.nation[s];
        j.key(segment_names[s]).raw("{");
        j.key("mean").nums(b.mean).key("p05").nums(b.p05).key("p25").nums(b.p25);
        j.key("p50").nums(b.p50).key("p75").nums(b.p75).key("p95").nums(b.p95);
        j.raw("}");
    }
    j.raw("}");

    j.key("payers").raw("{");
    j.key("employer").nums(run.payers.employer);
    j.key("self").nums(run.payers.self);
    j.key("programme").nums(run.payers.programme);
    j.raw("}");

    if (run.registration) {
        const auto pair = [](const std::array<double, 2>& v) {
            return std::vector<double>{v[0], v[1]};
        };
        j.key("registration").raw("{");
        j.key("coverage_rate").nums(pair(run.registration->coverage_rate));
        j.key("registered_rate").nums(pair(run.registration->registered_rate));
        j.key("coverage_share").nums(pair(run.registration->coverage_share));
        j.raw("}");
    }

    const ReportRun::Areas& a = run.areas;
    j.key("areas").raw("{").key("level").str(a.level);
    j.key("total").num(static_cast<double>(a.total));
    j.key("names").strs(a.names);
    j.key("p05").rows(a.p05).key("p50").rows(a.p50).key("p95").rows(a.p95);
    j.raw("}");

    const ReportRun::Programmes& p = run.programmes;
    j.key("programmes").raw("{").key("names").strs(p.names);
    if (!p.names.empty()) {
        j.key("members").rows(p.members);
        j.key("spent_idr").rows(p.spent_idr);
        j.key("budget_idr").rows(p.budget_idr);
    }
    j.raw("}");

    j.key("forecast");
    if (run.forecast)
        write_forecast(j, *run.forecast);
    else
        j.raw("null");
    j.key("observations");
    if (run.observations)
        write_observations(j, *run.observations);
    else
        j.raw("null");
    j.key("skill");
    if (run.skill)
        write_skill(j, *run.skill);
    else
        j.raw("null");
    j.raw("}");
}

void write_comparison(Json& j, const ReportComparison& c) {
    j.raw("{").key("kept_replicates").boolean(c.kept_replicates);
    j.key("paired").boolean(c.paired);
    for (std::size_t s = 0; s < report_segment_count; ++s) {
        j.key(segment_names[s])
            .raw("{")
            .key("level")
            .interval(c.level[s].mean, c.level[s].p05, c.level[s].p95);
        if (c.paired)
            j.key("difference")
                .interval(c.difference[s].mean, c.difference[s].p05, c.difference[s].p95);
        j.raw("}");
    }
    j.raw("}");
}

constexpr const char* baseline_sources[] = {"not_needed", "not_given", "unavailable",
                                            "given",      "simulated", "compared"};

void write_interval(Json& j, const SummaryInterval& v) {
    j.interval(v.mean, v.p05, v.p95);
}

void write_intervals(Json& j, const std::vector<SummaryInterval>& values) {
    j.raw("[");
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) j.comma();
        write_interval(j, values[i]);
    }
    j.raw("]");
}

// Months are written as "YYYY-MM" so that the page needs no arithmetic on them.
void write_summary(Json& j, const PlannerSummary& s) {
    const auto month = [&](std::size_t m) { return s.months.at(m); };
    j.raw("{").key("scenario").str(s.scenario);
    j.key("area").raw("{").key("name").str(s.area.name).key("level").str(s.area.level);
    j.key("regions").num(static_cast<double>(s.area.regions));
    j.key("provinces").num(static_cast<double>(s.area.provinces)).raw("}");
    j.key("months").strs(s.months);
    j.key("first_month").str(s.months.front()).key("last_month").str(s.months.back());
    j.key("replicates").num(static_cast<double>(s.replicates));
    j.key("intervals").boolean(s.intervals);
    j.key("covered_start");
    write_interval(j, s.covered_start);
    j.key("covered_end");
    write_interval(j, s.covered_end);
    j.key("covered_peak");
    write_interval(j, s.covered_peak);
    j.key("peak_month").str(s.peak_month);
    j.key("coverage_start");
    write_interval(j, s.coverage_start);
    j.key("coverage_end");
    write_interval(j, s.coverage_end);

    j.key("baseline").str(baseline_sources[static_cast<std::size_t>(s.baseline)]);
    j.key("baseline_name").str(s.baseline_name).key("baseline_note").str(s.baseline_note);
    j.key("baseline_levers");
    if (s.baseline_levers)
        j.raw(baseline_contents_json(*s.baseline_levers));
    else
        j.raw("null");
    j.key("paired").boolean(s.paired);
    if (!s.added_workers.empty()) {
        j.key("added_workers");
        write_intervals(j, s.added_workers);
        j.key("added_points");
        write_intervals(j, s.added_points);
        j.key("added_worker_months");
        write_interval(j, s.added_worker_months);
        j.key("peak_effect").raw("{").key("month").str(month(s.peak_effect_month));
        j.key("workers");
        write_interval(j, s.added_workers[s.peak_effect_month]);
        j.key("points");
        write_interval(j, s.added_points[s.peak_effect_month]);
        j.raw("}");
        j.key("end_effect").raw("{").key("month").str(s.months.back()).key("workers");
        write_interval(j, s.added_workers.back());
        j.key("points");
        write_interval(j, s.added_points.back());
        j.raw("}");
    }
    j.key("funding_end");
    if (s.funding_end_month) {
        const std::size_t m = *s.funding_end_month;
        j.raw("{").key("month").str(month(m));
        if (!s.added_workers.empty()) {
            j.key("workers");
            write_interval(j, s.added_workers[m]);
            j.key("points");
            write_interval(j, s.added_points[m]);
        }
        j.raw("}");
    } else {
        j.raw("null");
    }

    j.key("spending").raw("[");
    for (std::size_t i = 0; i < s.spending.size(); ++i) {
        if (i) j.comma();
        j.raw("{").key("programme").str(s.spending[i].programme);
        j.key("kind").str(s.spending[i].kind).key("idr").num(s.spending[i].idr).raw("}");
    }
    j.raw("]");
    j.key("policy_cost_idr").num(s.policy_cost_idr);
    j.key("money_idr");
    write_interval(j, s.money_idr);
    j.key("baseline_money_idr").num(s.baseline_money_idr);
    j.key("cost_per_added_worker_year_idr");
    if (s.cost_per_added_worker_year_idr)
        write_interval(j, *s.cost_per_added_worker_year_idr);
    else
        j.raw("null");

    j.key("goal");
    if (s.goal) {
        const PlannerSummary::Goal& g = *s.goal;
        j.raw("{").key("threshold").num(g.threshold * 100).key("measure").str(g.measure);
        j.key("probability").num(g.probability);
        j.key("median_month").str(g.median_month ? month(*g.median_month) : "");
        j.key("settles_at").num(g.settles_at);
        j.key("settling_months").num(static_cast<double>(g.settling_months)).raw("}");
    } else {
        j.raw("null");
    }
    j.raw("}");
}

void write_summaries(Json& j, const std::vector<PlannerSummary>& summaries) {
    j.raw("[");
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        if (i) j.comma();
        write_summary(j, summaries[i]);
    }
    j.raw("]");
}

} // namespace

std::string report_json(const ReportData& data) {
    Json j;
    j.raw("{").key("runs").raw("[");
    for (std::size_t i = 0; i < data.runs.size(); ++i) {
        if (i) j.comma();
        write_run(j, data.runs[i]);
    }
    j.raw("]").key("summaries");
    write_summaries(j, data.summaries);
    j.key("against_first");
    write_summaries(j, data.against_first);
    j.key("compared");
    if (data.compared) {
        const ReportData::Compared& c = *data.compared;
        j.raw("{").key("file").str(c.file).key("engine_version").str(c.engine_version);
        j.key("method").str(c.method).key("scenarios").strs(c.scenarios);
        j.key("replicates").num(static_cast<double>(c.replicates)).raw("}");
    } else {
        j.raw("null");
    }
    j.key("swept");
    if (data.swept) {
        const ReportData::Swept& w = *data.swept;
        j.raw("{").key("file").str(w.file).key("engine_version").str(w.engine_version);
        j.key("replicates").num(static_cast<double>(w.replicates));
        j.key("keys").strs(w.keys).key("points").raw("[");
        for (std::size_t p = 0; p < w.points.size(); ++p) {
            if (p) j.comma();
            j.strs(w.points[p]);
        }
        j.raw("]").key("measures").strs(w.measures).key("units").strs(w.units);
        const auto table = [&](const std::vector<std::vector<ReportInterval>>& rows) {
            j.raw("[");
            for (std::size_t p = 0; p < rows.size(); ++p) {
                if (p) j.comma();
                j.raw("[");
                for (std::size_t m = 0; m < rows[p].size(); ++m) {
                    if (m) j.comma();
                    j.interval(rows[p][m].mean, rows[p][m].p05, rows[p][m].p95);
                }
                j.raw("]");
            }
            j.raw("]");
        };
        j.key("levels");
        table(w.levels);
        j.key("differences");
        table(w.differences);
        j.raw("}");
    } else {
        j.raw("null");
    }
    j.key("comparison");
    if (data.comparison.empty()) return j.raw("null}").take();
    j.raw("[");
    for (std::size_t i = 0; i < data.comparison.size(); ++i) {
        if (i) j.comma();
        write_comparison(j, data.comparison[i]);
    }
    return j.raw("]}").take();
}

} // namespace ulcsim
