#pragma once
// A small RFC 4180 reader for the region tables: header-addressed columns, quoted fields,
// and errors that name file, line, column and the column's header.

#include "ulcsim/input_error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::detail {

class CsvReader {
public:
    /// Opens and reads the whole file; throws InputError if it cannot be read or if any of
    /// `required_columns` is missing from the header.
    CsvReader(const std::filesystem::path& file, const std::vector<std::string>& required_columns);

    /// The column names, as the first line has them.
    const std::vector<std::string>& header() const { return header_; }
    /// Advances to the next record; false at the end of the file.
    bool next();

    std::string_view text(std::string_view column) const;
    std::int64_t integer(std::string_view column);
    double number(std::string_view column);
    std::optional<std::int64_t> optional_integer(std::string_view column);

    /// Records a problem in the current row; problems are thrown together by finish().
    void error(std::string_view column, std::string message);
    int line() const { return record_line_; }
    void finish() const;

private:
    std::size_t column_index(std::string_view column) const;

    std::string path_;
    std::string content_;
    std::size_t pos_ = 0;
    int line_ = 1;
    int record_line_ = 0;
    std::vector<std::string> header_;
    std::vector<std::string> fields_;
    std::vector<int> field_columns_;
    std::vector<Diagnostic> problems_;
};

} // namespace ulcsim::detail
