// The workbook of `compare --xlsx` (ulcsim/planner_workbook.hpp): each scenario's planner
// summary (the others against the first), what each adds to the first at every month, and the
// compare CSV's rows.

#include "ulcsim/planner_workbook.hpp"
#include "workbook_sheets.hpp"

#include <array>

namespace ulcsim {

namespace {

using workbook_detail::format_of_units;

constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

std::vector<PlannerSummary> summaries(const ComparedTotals& totals) {
    std::vector<PlannerSummary> out;
    const RunTotals& base = totals.scenarios.front();
    out.push_back(planner_summary(base, nullptr, BaselineSource::not_given,
                                  "the base of the comparison: the other scenarios are "
                                  "measured against it"));
    for (std::size_t s = 1; s < totals.scenarios.size(); ++s)
        out.push_back(planner_summary(totals.scenarios[s], &base, BaselineSource::compared));
    return out;
}

void add_monthly(Workbook& book, const std::vector<PlannerSummary>& summaries) {
    WorkbookSheet& sheet = book.add_sheet(
        "Comparison", {{"Scenario", CellFormat::text, 22},
                       {"Against", CellFormat::text, 22},
                       {"Month", CellFormat::month, 9},
                       {"Added covered workers, mean (workers)", CellFormat::count, 14},
                       {"Added covered workers, p05 (workers)", CellFormat::count, 14},
                       {"Added covered workers, p95 (workers)", CellFormat::count, 14},
                       {"Added coverage, mean (percentage points)", CellFormat::points, 14},
                       {"Added coverage, p05 (percentage points)", CellFormat::points, 14},
                       {"Added coverage, p95 (percentage points)", CellFormat::points, 14}});
    for (std::size_t s = 1; s < summaries.size(); ++s) {
        const PlannerSummary& p = summaries[s];
        for (std::size_t m = 0; m < p.months.size(); ++m) {
            const SummaryInterval& w = p.added_workers[m];
            const SummaryInterval& c = p.added_points[m];
            sheet.add_row({p.scenario, summaries.front().scenario,
                           Month::parse(p.months[m]).value_or(Month{}), w.mean, w.p05, w.p95,
                           c.mean, c.p05, c.p95});
        }
    }
}

// The rows of write_comparison_csv (ulcsim/result_file.hpp), in its order.
void add_measures(Workbook& book, const std::vector<Scenario>& scenarios,
                  const std::vector<OutcomeMeasure>& measures, const MeasuredScenarios& measured) {
    WorkbookSheet& sheet = book.add_sheet(
        "Measures", {{"Measure", CellFormat::text, 34},
                     {"Units", CellFormat::text, 18},
                     {"Scenario", CellFormat::text, 22},
                     {"Mean (units)", CellFormat::number, 16},
                     {"p05 (units)", CellFormat::number, 16},
                     {"p95 (units)", CellFormat::number, 16},
                     {"Difference to the first, mean (units)", CellFormat::number, 16},
                     {"Difference to the first, p05 (units)", CellFormat::number, 16},
                     {"Difference to the first, p95 (units)", CellFormat::number, 16}});
    for (std::size_t m = 0; m < measures.size(); ++m)
        for (std::size_t i = 0; i < scenarios.size(); ++i) {
            const CellFormat f = format_of_units(measures[m].units);
            const auto& level = measured.levels[i][m];
            std::vector<WorkbookCell> row{measures[m].name,
                                          measures[m].units,
                                          scenarios[i].run.name,
                                          WorkbookCell(level[mean], f),
                                          WorkbookCell(level[p05], f),
                                          WorkbookCell(level[p95], f)};
            if (i > 0)
                for (const std::size_t st : {mean, p05, p95})
                    row.emplace_back(measured.differences[i][m][st], f);
            sheet.add_row(row);
        }
}

} // namespace

void write_comparison_workbook(const std::filesystem::path& file,
                               const std::vector<Scenario>& scenarios,
                               const std::vector<OutcomeMeasure>& measures,
                               const MeasuredScenarios& measured, const ComparedTotals& totals) {
    const std::vector<PlannerSummary> all = summaries(totals);
    Workbook book(file);
    WorkbookSheet& summary = workbook_detail::add_summary_sheet(book);
    for (const PlannerSummary& s : all)
        workbook_detail::add_summary_rows(summary, s);
    add_monthly(book, all);
    add_measures(book, scenarios, measures, measured);
    book.close();
}

} // namespace ulcsim
