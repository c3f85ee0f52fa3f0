#pragma once
/// \file
/// A spreadsheet workbook (.xlsx, Office Open XML) written sheet by sheet and row by row:
/// the tables a planner opens in Excel or LibreOffice. Numbers are stored as numbers (never
/// as text), months as real dates shown yyyy-mm, and each column has a format for its units
/// (workers with a thousands separator, rupiah likewise, shares as percentages), a width and
/// a header naming the units; the header row stays in view as the sheet scrolls. NaN is an
/// empty cell, as in the CSV files.
///
/// Rows go to disk as they are added (libxlsxwriter's constant-memory mode), so a sheet of a
/// national run's every kab/kota × segment × month does not sit in memory. Only this
/// concept's implementation includes libxlsxwriter.

#include "ulcsim/calendar.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ulcsim {

/// How a cell shows its number.
enum class CellFormat {
    number,  ///< as it is (General)
    count,   ///< workers, worker-months, replicates: #,##0
    rupiah,  ///< whole rupiah: #,##0
    percent, ///< a share shown as a percentage: 0.00%
    points,  ///< percentage points: 0.00 "pp"
    month,   ///< a date shown yyyy-mm
    text,
};

/// One cell: empty, a number, a text or a month, in its column's format unless it says
/// otherwise.
struct WorkbookCell {
    std::variant<std::monostate, double, std::string, Month> value;
    std::optional<CellFormat> format;

    WorkbookCell() = default;
    WorkbookCell(double number, std::optional<CellFormat> f = {}) : value(number), format(f) {}
    WorkbookCell(std::string text) : value(std::move(text)) {}
    WorkbookCell(const char* text) : value(std::string(text)) {}
    WorkbookCell(Month month) : value(month) {}
};

struct WorkbookColumn {
    std::string header; ///< with its units: "covered, mean (workers)"
    CellFormat format = CellFormat::number;
    double width = 14; ///< in characters
};

class Workbook;

/// A sheet of a Workbook: a header row, then rows added in order.
class WorkbookSheet {
public:
    /// Adds the next row (at most as many cells as columns). Throws std::length_error past
    /// Excel's 1,048,576 rows.
    void add_row(const std::vector<WorkbookCell>& cells);
    std::size_t rows() const { return rows_; } ///< the header included

private:
    friend class Workbook;
    WorkbookSheet(Workbook& book, void* sheet, std::vector<WorkbookColumn> columns);
    Workbook* book_;
    void* sheet_; // lxw_worksheet
    std::vector<WorkbookColumn> columns_;
    std::size_t rows_ = 1;
};

class Workbook {
public:
    /// A workbook that close() writes to `file`. Nothing is written before close().
    explicit Workbook(const std::filesystem::path& file);
    /// Without close(), discards the workbook and removes whatever it wrote of `file`.
    ~Workbook();
    Workbook(const Workbook&) = delete;
    Workbook& operator=(const Workbook&) = delete;

    /// A new sheet with its header row frozen. Names are at most 31 characters, without
    /// []:*?/\ (Excel's rule); std::invalid_argument otherwise or for a name already used.
    /// The sheet lives as long as the workbook.
    WorkbookSheet& add_sheet(const std::string& name, std::vector<WorkbookColumn> columns);

    /// Writes the file. Throws OutputError naming it when it cannot be written.
    void close();

private:
    friend class WorkbookSheet;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ulcsim
