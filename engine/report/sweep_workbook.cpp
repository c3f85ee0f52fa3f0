// The workbook of `sweep --xlsx` (ulcsim/planner_workbook.hpp): the sweep CSV's rows, one per
// grid point, with each axis's value as a number, a date or a text as its key takes.

#include "ulcsim/planner_workbook.hpp"
#include "workbook_sheets.hpp"

#include <type_traits>

namespace ulcsim {

namespace {

constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

WorkbookCell axis_value(const SweepAxis& axis, std::size_t i) {
    return std::visit(
        [&](const auto& v) -> WorkbookCell {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, double>)
                return v;
            else if constexpr (std::is_same_v<T, std::int64_t>)
                return static_cast<double>(v);
            else if constexpr (std::is_same_v<T, Month>)
                return v;
            else
                return axis.labels[i]; // true/false, a name
        },
        axis.values[i]);
}

} // namespace

void write_sweep_workbook(const std::filesystem::path& file, const std::vector<SweepAxis>& axes,
                          const std::vector<OutcomeMeasure>& measures,
                          const MeasuredScenarios& measured) {
    using workbook_detail::format_of_units;
    using workbook_detail::header_units;
    std::vector<WorkbookColumn> columns;
    for (const SweepAxis& a : axes)
        columns.push_back({a.key, CellFormat::number, 20});
    for (const OutcomeMeasure& m : measures) {
        const CellFormat f = format_of_units(m.units);
        const std::string units = " (" + header_units(m.units) + ")";
        for (const char* s : {", mean", ", p05", ", p95"})
            columns.push_back({m.name + s + units, f, 16});
        for (const char* s :
             {", difference to the first point, mean", ", difference to the first point, p05",
              ", difference to the first point, p95"})
            columns.push_back({m.name + s + units, f, 16});
    }
    Workbook book(file);
    WorkbookSheet& sheet = book.add_sheet("Sweep", std::move(columns));
    for (std::size_t i = 0; i < grid_points(axes); ++i) {
        const std::vector<std::size_t> at = grid_coordinates(axes, i);
        std::vector<WorkbookCell> row;
        for (std::size_t a = 0; a < axes.size(); ++a)
            row.push_back(axis_value(axes[a], at[a]));
        for (std::size_t m = 0; m < measures.size(); ++m) {
            for (const std::size_t st : {mean, p05, p95})
                row.emplace_back(measured.levels[i][m][st]);
            for (const std::size_t st : {mean, p05, p95})
                row.emplace_back(measured.differences[i][m][st]);
        }
        sheet.add_row(row);
    }
    book.close();
}

} // namespace ulcsim
