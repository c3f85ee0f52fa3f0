// The workbook of `target --xlsx` (ulcsim/planner_workbook.hpp): the goal and its answer, and
// every candidate the search tried with its probability and its coverage in the goal's month.

#include "ulcsim/planner_workbook.hpp"
#include "workbook_sheets.hpp"

namespace ulcsim {

void write_target_workbook(const std::filesystem::path& file, const TargetOutcome& target) {
    constexpr std::size_t mean = 0, p05 = 2, p95 = 8;
    Workbook book(file);
    WorkbookSheet& summary = book.add_sheet(
        "Summary", {{"Figure", CellFormat::text, 24}, {"Value", CellFormat::text, 90}});
    summary.add_row({"goal", target.goal});
    summary.add_row({"varying", target.lever});
    summary.add_row({"answer", target.answer});
    summary.add_row({"candidates tried", static_cast<double>(target.candidates.size())});

    const std::string units = target.units.empty() ? "" : " (" + target.units + ")";
    const std::string by = target.by.to_string();
    WorkbookSheet& sheet = book.add_sheet(
        "Target",
        {{target.lever + units, target.rupiah ? CellFormat::rupiah : CellFormat::number, 22},
         {"Probability of the goal (%)", CellFormat::percent, 14},
         {"Replicates reaching it", CellFormat::count, 12},
         {"Replicates", CellFormat::count, 11},
         {"Coverage in " + by + ", mean (%)", CellFormat::percent, 14},
         {"Coverage in " + by + ", p05 (%)", CellFormat::percent, 14},
         {"Coverage in " + by + ", p95 (%)", CellFormat::percent, 14},
         {"Answer", CellFormat::text, 10}});
    for (const TargetOutcome::Candidate& c : target.candidates) {
        const GoalTrial& t = *c.trial;
        sheet.add_row({c.value, t.probability, static_cast<double>(t.reached),
                       static_cast<double>(t.replicates), t.coverage_at_date[mean],
                       t.coverage_at_date[p05], t.coverage_at_date[p95], c.answer ? "answer" : ""});
    }
    book.close();
}

} // namespace ulcsim
