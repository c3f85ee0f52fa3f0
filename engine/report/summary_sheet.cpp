// The "Summary" sheet of a workbook: a planner's four answers (ulcsim/planner_summary.hpp) as
// rows of numbers, each with its month, 90% interval, units and a note, and the formats that
// go with ulcsim's units.

#include "workbook_sheets.hpp"

#include <cmath>
#include <limits>

namespace ulcsim::workbook_detail {

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

Month month_of(const PlannerSummary& s, std::size_t m) {
    return Month::parse(s.months.at(m)).value_or(Month{});
}

// PlannerSummary keeps coverage in percent; the sheet stores shares, shown as percentages.
SummaryInterval share(const SummaryInterval& percent) {
    return {percent.mean / 100, percent.p05 / 100, percent.p95 / 100};
}

struct Rows {
    WorkbookSheet& sheet;
    const PlannerSummary& s;

    void add(const std::string& question, const std::string& what, std::optional<Month> month,
             const SummaryInterval& value, CellFormat format, const std::string& units,
             const std::string& note = "") {
        sheet.add_row({s.scenario, question, what, month ? WorkbookCell(*month) : WorkbookCell(),
                       WorkbookCell(value.mean, format), WorkbookCell(value.p05, format),
                       WorkbookCell(value.p95, format), units, note});
    }
    void note(const std::string& question, const std::string& what, const std::string& text) {
        sheet.add_row({s.scenario, question, what, {}, {}, {}, {}, {}, text});
    }
};

std::string baseline_missing(const PlannerSummary& s) {
    switch (s.baseline) {
    case BaselineSource::not_needed:
        return "the scenario has no programmes and no policies starting within the run: "
               "nothing to add against";
    case BaselineSource::not_given:
    case BaselineSource::unavailable:
        return s.baseline_note;
    case BaselineSource::given:
    case BaselineSource::simulated:
    case BaselineSource::compared:
        break;
    }
    return "";
}

} // namespace

CellFormat format_of_units(std::string_view units) {
    if (units == "share") return CellFormat::percent;
    if (units.starts_with("IDR")) return CellFormat::rupiah;
    if (units == "workers" || units == "worker-months") return CellFormat::count;
    return CellFormat::number;
}

std::string header_units(std::string_view units) {
    if (units == "share") return "%";
    if (units == "IDR") return "Rp";
    if (units.starts_with("IDR ")) return "Rp " + std::string(units.substr(4));
    return std::string(units);
}

WorkbookSheet& add_summary_sheet(Workbook& book) {
    return book.add_sheet("Summary", {{"Scenario", CellFormat::text, 22},
                                      {"Question", CellFormat::text, 26},
                                      {"Figure", CellFormat::text, 44},
                                      {"Month", CellFormat::month, 10},
                                      {"Mean", CellFormat::number, 16},
                                      {"5th percentile", CellFormat::number, 16},
                                      {"95th percentile", CellFormat::number, 16},
                                      {"Units", CellFormat::text, 24},
                                      {"Note", CellFormat::text, 60}});
}

void add_summary_rows(WorkbookSheet& sheet, const PlannerSummary& s) {
    Rows rows{sheet, s};
    const std::size_t T = s.months.size();
    const std::string interval_note =
        s.intervals ? "" : "the run kept only means over replicates: no interval";

    const std::string covered = "1. Workers covered";
    rows.add(covered, "covered workers, first month", month_of(s, 0), s.covered_start,
             CellFormat::count, "workers", interval_note);
    rows.add(covered, "covered workers, last month", month_of(s, T - 1), s.covered_end,
             CellFormat::count, "workers");
    rows.add(covered, "covered workers, peak (highest mean)", Month::parse(s.peak_month),
             s.covered_peak, CellFormat::count, "workers");
    rows.add(covered, "coverage of resident workers, first month", month_of(s, 0),
             share(s.coverage_start), CellFormat::percent, "% of resident workers");
    rows.add(covered, "coverage of resident workers, last month", month_of(s, T - 1),
             share(s.coverage_end), CellFormat::percent, "% of resident workers");

    const std::string added = "2. Added against the baseline";
    if (s.added_workers.empty()) {
        rows.note(added, "baseline", baseline_missing(s));
    } else {
        const std::string pairing =
            s.paired ? "replicate by replicate (common random numbers)"
                     : "difference of the means over replicates (not paired): no interval";
        rows.note(added, "baseline", s.baseline_name + "; " + pairing);
        if (s.baseline_levers)
            rows.note(added, "what the baseline removed and kept",
                      baseline_contents_line(*s.baseline_levers));
        const auto at = [&](const std::string& what, std::size_t m) {
            rows.add(added, "added covered workers, " + what, month_of(s, m), s.added_workers[m],
                     CellFormat::count, "workers");
            rows.add(added, "added coverage, " + what, month_of(s, m), s.added_points[m],
                     CellFormat::points, "percentage points");
        };
        at("last month", T - 1);
        at("peak effect", s.peak_effect_month);
        if (s.funding_end_month) at("first month after funding ends", *s.funding_end_month);
        rows.add(added, "added covered worker-months, whole run", std::nullopt,
                 s.added_worker_months, CellFormat::count, "worker-months",
                 "the sum over the months of the added covered workers");
    }

    const std::string money = "3. Rupiah by source";
    for (const PlannerSummary::Spending& p : s.spending)
        rows.add(money, p.programme.empty() ? "all programmes" : "programme " + p.programme,
                 std::nullopt, {p.idr, not_a_number, not_a_number}, CellFormat::rupiah,
                 "Rp, whole run", p.kind.empty() ? "" : "kind " + p.kind);
    rows.add(money, "policies (campaigns, regulations)", std::nullopt,
             {s.policy_cost_idr, not_a_number, not_a_number}, CellFormat::rupiah, "Rp, whole run");
    rows.add(money, "programmes and policies together", std::nullopt, s.money_idr,
             CellFormat::rupiah, "Rp, whole run");
    if (!s.added_workers.empty())
        rows.add(money, "baseline, programmes and policies together", std::nullopt,
                 {s.baseline_money_idr, not_a_number, not_a_number}, CellFormat::rupiah,
                 "Rp, whole run");

    const std::string cost = "4. Cost per added covered worker-year";
    if (s.cost_per_added_worker_year_idr)
        rows.add(cost, "extra rupiah ÷ added covered worker-years", std::nullopt,
                 *s.cost_per_added_worker_year_idr, CellFormat::rupiah, "Rp per worker-year",
                 "ratio of the means; the interval over the replicates that gained coverage");
    else
        rows.note(cost, "extra rupiah ÷ added covered worker-years",
                  s.added_workers.empty() ? "needs a baseline (see 2.)"
                                          : "coverage did not gain against the baseline");

    const std::string ulc = "5. Universal coverage (ULC)";
    if (!s.goal) {
        rows.note(ulc, "threshold", "the scenario's ULC threshold is not known here");
        return;
    }
    const PlannerSummary::Goal& g = *s.goal;
    rows.add(ulc, "threshold", std::nullopt, {g.threshold, not_a_number, not_a_number},
             CellFormat::percent, "% (" + g.measure + ")");
    rows.add(ulc, "probability of reaching it within the run", std::nullopt,
             {g.probability, not_a_number, not_a_number}, CellFormat::percent, "% of replicates");
    if (g.median_month)
        rows.add(ulc, "median month of reaching it", month_of(s, *g.median_month),
                 {not_a_number, not_a_number, not_a_number}, CellFormat::number, "",
                 "the first month by which at least half the replicates had reached it");
    else
        rows.note(ulc, "median month of reaching it",
                  "not within the run: fewer than half the replicates reach it by " +
                      s.months.back());
    rows.add(ulc, "where coverage settles", std::nullopt,
             {g.settles_at / 100, not_a_number, not_a_number}, CellFormat::percent,
             "% (" + g.measure + ")",
             "mean over the last " + std::to_string(g.settling_months) + " months");
}

} // namespace ulcsim::workbook_detail
