// The workbook of `run --xlsx` and `forecast --xlsx` (ulcsim/planner_workbook.hpp): the
// planner's summary, then the rows of the summary, programmes and forecast CSV files, in
// their order and from the same arrays, with dates, units and formats.

#include "ulcsim/planner_workbook.hpp"
#include "workbook_sheets.hpp"

#include <array>

namespace ulcsim {

namespace {

using workbook_detail::format_of_units;
using workbook_detail::header_units;

constexpr std::array<const char*, 3> statistic_labels{"mean", "p05", "p95"};

std::string label(std::string_view name) {
    std::string text(name);
    for (char& c : text)
        if (c == '_') c = ' ';
    return text;
}

void add_summary(Workbook& book, const RunTotals& totals) {
    WorkbookSheet& sheet = workbook_detail::add_summary_sheet(book);
    const bool programmes = !totals.programmes.empty();
    workbook_detail::add_summary_rows(
        sheet, planner_summary(totals, nullptr,
                               programmes ? BaselineSource::not_given : BaselineSource::not_needed,
                               "the workers a programme adds need a run without it: `ulcsim "
                               "compare` with the scenario without programmes (`--set "
                               "'programme=[]'`), or `ulcsim report` on the run file"));
}

// The rows of write_summary_csv (ulcsim/summary.hpp), in its order.
void add_coverage(Workbook& book, const Scenario& scenario, const EnsembleSummary& summary) {
    const std::vector<std::size_t>& metrics = summary.kept_metrics;
    std::vector<WorkbookColumn> columns{{"Level", CellFormat::text, 9},
                                        {"Code", CellFormat::text, 8},
                                        {"Name", CellFormat::text, 24},
                                        {"Segment", CellFormat::text, 11},
                                        {"Month", CellFormat::month, 9}};
    for (const std::size_t m : metrics) {
        const std::string_view units = summary_metric_units(m);
        for (const char* statistic : statistic_labels)
            columns.push_back({label(summary_metric_name(m)) + ", " + statistic + " (" +
                                   header_units(units) + ")",
                               format_of_units(units), 14});
    }
    WorkbookSheet& sheet = book.add_sheet("Coverage", std::move(columns));
    for_each_summary_row(scenario, summary, [&](const SummaryRow& r) {
        std::vector<WorkbookCell> row{std::string(r.level), std::string(r.code),
                                      std::string(r.name), std::string(r.segment), r.month};
        for (const double x : r.values)
            row.emplace_back(x);
        sheet.add_row(row);
    });
}

// The rows of write_programmes_csv (ulcsim/summary.hpp), in its order.
void add_programmes(Workbook& book, const Scenario& scenario, const EnsembleSummary& summary) {
    std::vector<WorkbookColumn> columns{{"Programme", CellFormat::text, 24},
                                        {"Kind", CellFormat::text, 14},
                                        {"Month", CellFormat::month, 9}};
    for (const std::string_view name : programme_metric_names) {
        const bool rupiah = name.ends_with("_idr");
        for (const char* statistic : statistic_labels)
            columns.push_back({label(name) + ", " + statistic + (rupiah ? " (Rp)" : " (workers)"),
                               rupiah ? CellFormat::rupiah : CellFormat::count, 14});
    }
    WorkbookSheet& sheet = book.add_sheet("Programmes", std::move(columns));
    for_each_programme_row(scenario, summary, [&](const ProgrammeRow& r) {
        std::vector<WorkbookCell> row{std::string(r.programme), std::string(r.kind), r.month};
        for (const double x : r.values)
            row.emplace_back(x);
        sheet.add_row(row);
    });
}

// A first-passage month: a date within the run, else when it is known only to be later.
WorkbookCell passage(const Forecast& f, int month) {
    if (month < 0) return "after " + (f.start + (f.months - 1)).to_string();
    return f.start + month;
}

// The rows of write_forecast_csv (ulcsim/forecast_file.hpp), in its order.
void add_forecast(Workbook& book, const Forecast& f) {
    std::vector<WorkbookColumn> columns{
        {"Level", CellFormat::text, 9},
        {"Code", CellFormat::text, 8},
        {"Name", CellFormat::text, 24},
        {"Threshold (%)", CellFormat::percent, 11},
        {"Measure", CellFormat::text, 18},
        {"Coverage, first month, mean (%)", CellFormat::percent, 12},
        {"Median month of reaching it", CellFormat::month, 12},
        {"10th percentile (month)", CellFormat::month, 12},
        {"90th percentile (month)", CellFormat::month, 12},
        {"2.5th percentile (month)", CellFormat::month, 12},
        {"97.5th percentile (month)", CellFormat::month, 12},
        {"Replicates", CellFormat::count, 11},
        {"Never within the run (replicates)", CellFormat::count, 12}};
    for (const Month m : f.settings.by)
        columns.push_back(
            {"Probability of reaching it by " + m.to_string() + " (%)", CellFormat::percent, 14});
    WorkbookSheet& sheet = book.add_sheet("Forecast", std::move(columns));
    for (std::size_t a = 0; a < f.areas.size(); ++a) {
        const ForecastArea& area = f.areas[a];
        const FirstPassageDistribution& d = f.distributions[a];
        std::vector<WorkbookCell> row{
            std::string(area.level),
            area.code,
            area.name,
            f.settings.threshold,
            std::string(coverage_measure_names[static_cast<std::size_t>(f.settings.measure)]),
            f.start_coverage_mean[a]};
        for (const std::size_t q : {2, 1, 3, 0, 4})
            row.push_back(passage(f, d.quantiles[q]));
        row.emplace_back(static_cast<double>(f.first_month[a].size()));
        row.emplace_back(static_cast<double>(d.never));
        for (const double p : d.probability_by)
            row.emplace_back(p);
        sheet.add_row(row);
    }
}

} // namespace

void write_run_workbook(const std::filesystem::path& file, const Scenario& scenario,
                        const EnsembleSummary& summary, const RunTotals& totals,
                        const Forecast* forecast) {
    Workbook book(file);
    add_summary(book, totals);
    if (forecast) add_forecast(book, *forecast);
    add_coverage(book, scenario, summary);
    add_programmes(book, scenario, summary);
    book.close();
}

} // namespace ulcsim
