#pragma once
// The sheets more than one command's workbook holds (ulcsim/planner_workbook.hpp), and the
// formats that go with a unit.

#include "ulcsim/planner_summary.hpp"
#include "ulcsim/workbook.hpp"

#include <string>
#include <string_view>

namespace ulcsim::workbook_detail {

/// The format of a quantity in `units` as ulcsim's files name them ("share", "workers",
/// "worker-months", "IDR", "IDR per worker-year", …).
CellFormat format_of_units(std::string_view units);
/// The units as a header shows them: "%" for a share, "Rp" for IDR, else as they are.
std::string header_units(std::string_view units);

/// "Summary": one block of rows per planner summary (its scenario's name in the first column).
WorkbookSheet& add_summary_sheet(Workbook& book);
void add_summary_rows(WorkbookSheet& sheet, const PlannerSummary& summary);

} // namespace ulcsim::workbook_detail
