// A workbook written with libxlsxwriter (ulcsim/workbook.hpp): the one place that library is
// used, so that the formats of every sheet a command writes are the same.

#include "ulcsim/workbook.hpp"

#include "ulcsim/input_error.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <xlsxwriter.h>

namespace ulcsim {

namespace {

constexpr std::size_t format_count = 7;
// Excel's own limit: 2^20 rows.
constexpr std::size_t most_rows = 1'048'576;

const char* number_format(CellFormat f) {
    switch (f) {
    case CellFormat::number:
        return "General";
    case CellFormat::count:
    case CellFormat::rupiah:
        return "#,##0";
    case CellFormat::percent:
        return "0.00%";
    case CellFormat::points:
        return "0.00\" pp\"";
    case CellFormat::month:
        return "yyyy-mm";
    case CellFormat::text:
        return "@";
    }
    return "General";
}

} // namespace

struct Workbook::Impl {
    std::filesystem::path file;
    lxw_workbook* book = nullptr;
    std::array<lxw_format*, format_count> formats{};
    lxw_format* header = nullptr;
    std::vector<std::unique_ptr<WorkbookSheet>> sheets;
    std::vector<std::string> names;

    lxw_format* format(CellFormat f) const { return formats[static_cast<std::size_t>(f)]; }
};

Workbook::Workbook(const std::filesystem::path& file) : impl_(std::make_unique<Impl>()) {
    impl_->file = file;
    lxw_workbook_options options{};
    // Rows go to temporary files as they are written, not into memory.
    options.constant_memory = LXW_TRUE;
    options.use_zip64 = LXW_TRUE;
    const std::string name = file.string();
    impl_->book = workbook_new_opt(name.c_str(), &options);
    if (!impl_->book) throw std::bad_alloc();
    for (std::size_t f = 0; f < format_count; ++f) {
        impl_->formats[f] = workbook_add_format(impl_->book);
        format_set_num_format(impl_->formats[f], number_format(static_cast<CellFormat>(f)));
    }
    impl_->header = workbook_add_format(impl_->book);
    format_set_bold(impl_->header);
    format_set_text_wrap(impl_->header);
    format_set_align(impl_->header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(impl_->header, LXW_BORDER_THIN);
}

Workbook::~Workbook() {
    if (!impl_->book) return;
    lxw_workbook_free(impl_->book);
    std::error_code ec;
    std::filesystem::remove(impl_->file, ec);
}

WorkbookSheet& Workbook::add_sheet(const std::string& name, std::vector<WorkbookColumn> columns) {
    if (!impl_->book) throw std::logic_error("Workbook: already closed");
    if (name.empty() || name.size() > 31 || name.find_first_of("[]:*?/\\") != std::string::npos)
        throw std::invalid_argument("Workbook: '" + name + "' is not a sheet name Excel takes");
    for (const std::string& used : impl_->names)
        if (used == name) throw std::invalid_argument("Workbook: two sheets named " + name);
    lxw_worksheet* sheet = workbook_add_worksheet(impl_->book, name.c_str());
    if (!sheet) throw std::invalid_argument("Workbook: cannot add the sheet " + name);
    impl_->names.push_back(name);
    // Before its cells: in constant-memory mode a row is final once written.
    worksheet_set_row(sheet, 0, 45, nullptr);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto col = static_cast<lxw_col_t>(c);
        worksheet_set_column(sheet, col, col, columns[c].width, nullptr);
        worksheet_write_string(sheet, 0, col, columns[c].header.c_str(), impl_->header);
    }
    worksheet_freeze_panes(sheet, 1, 0);
    impl_->sheets.push_back(
        std::unique_ptr<WorkbookSheet>(new WorkbookSheet(*this, sheet, std::move(columns))));
    return *impl_->sheets.back();
}

void Workbook::close() {
    if (!impl_->book) throw std::logic_error("Workbook: already closed");
    lxw_workbook* book = impl_->book;
    impl_->book = nullptr; // workbook_close frees it, whatever happens
    errno = 0;
    const lxw_error error = workbook_close(book);
    if (error == LXW_NO_ERROR) return;
    const int system_error = errno;
    std::error_code ec;
    std::filesystem::remove(impl_->file, ec);
    std::string why = lxw_strerror(error);
    if (system_error != 0) why += ": " + std::string(std::strerror(system_error));
    throw OutputError(
        Diagnostic{{impl_->file.string(), 0, 0, false}, "", "cannot write it: " + why});
}

WorkbookSheet::WorkbookSheet(Workbook& book, void* sheet, std::vector<WorkbookColumn> columns)
    : book_(&book), sheet_(sheet), columns_(std::move(columns)) {}

void WorkbookSheet::add_row(const std::vector<WorkbookCell>& cells) {
    if (cells.size() > columns_.size())
        throw std::invalid_argument("WorkbookSheet: a row of " + std::to_string(cells.size()) +
                                    " cells under " + std::to_string(columns_.size()) + " columns");
    if (rows_ >= most_rows)
        throw std::length_error("a sheet holds at most 1,048,576 rows (Excel's limit)");
    auto* sheet = static_cast<lxw_worksheet*>(sheet_);
    const auto row = static_cast<lxw_row_t>(rows_);
    const Workbook::Impl& book = *book_->impl_;
    for (std::size_t c = 0; c < cells.size(); ++c) {
        const WorkbookCell& cell = cells[c];
        const auto col = static_cast<lxw_col_t>(c);
        lxw_format* format = book.format(cell.format.value_or(columns_[c].format));
        lxw_error error = LXW_NO_ERROR;
        if (const double* number = std::get_if<double>(&cell.value)) {
            if (!std::isnan(*number))
                error = worksheet_write_number(sheet, row, col, *number, format);
        } else if (const std::string* text = std::get_if<std::string>(&cell.value)) {
            error = worksheet_write_string(sheet, row, col, text->c_str(), nullptr);
        } else if (const Month* month = std::get_if<Month>(&cell.value)) {
            lxw_datetime date{month->year(), month->month_of_year(), 1, 0, 0, 0};
            error =
                worksheet_write_datetime(sheet, row, col, &date, book.format(CellFormat::month));
        }
        if (error != LXW_NO_ERROR)
            throw std::runtime_error(std::string("workbook: ") + lxw_strerror(error));
    }
    ++rows_;
}

} // namespace ulcsim
