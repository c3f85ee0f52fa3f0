#include "csv_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ulcsim::detail {

CsvReader::CsvReader(const std::filesystem::path& file,
                     const std::vector<std::string>& required_columns)
    : path_(file.string()) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw InputError(
            Diagnostic{{path_, 0, 0, false},
                       "",
                       std::string("cannot open file (") + std::strerror(errno) + ")"});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    content_ = buffer.str();
    if (!next())
        throw InputError(Diagnostic{{path_, 1, 1, false}, "", "empty file: expected a header"});
    header_ = fields_;
    std::vector<Diagnostic> missing;
    for (const std::string& column : required_columns)
        if (std::find(header_.begin(), header_.end(), column) == header_.end())
            missing.push_back({{path_, 1, 1, false}, column, "missing column in the header"});
    if (!missing.empty()) throw InputError(std::move(missing));
}

bool CsvReader::next() {
    fields_.clear();
    field_columns_.clear();
    // Skip blank lines between records.
    while (pos_ < content_.size() && (content_[pos_] == '\n' || content_[pos_] == '\r')) {
        if (content_[pos_] == '\n') ++line_;
        ++pos_;
    }
    if (pos_ >= content_.size()) return false;
    record_line_ = line_;
    std::size_t line_start = pos_;
    std::string field;
    bool quoted = false;
    int field_column = 1;
    while (pos_ < content_.size()) {
        const char c = content_[pos_];
        if (quoted) {
            if (c == '"') {
                if (pos_ + 1 < content_.size() && content_[pos_ + 1] == '"') {
                    field += '"';
                    ++pos_;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line_;
                field += c;
            }
        } else if (c == '"' && field.empty()) {
            quoted = true;
        } else if (c == ',') {
            fields_.push_back(std::move(field));
            field_columns_.push_back(field_column);
            field.clear();
            field_column = static_cast<int>(pos_ - line_start) + 2;
        } else if (c == '\n') {
            ++pos_;
            ++line_;
            break;
        } else if (c != '\r') {
            field += c;
        }
        ++pos_;
    }
    fields_.push_back(std::move(field));
    field_columns_.push_back(field_column);
    if (!header_.empty() && fields_.size() != header_.size())
        error("", "expected " + std::to_string(header_.size()) + " fields, found " +
                      std::to_string(fields_.size()));
    return true;
}

std::size_t CsvReader::column_index(std::string_view column) const {
    return static_cast<std::size_t>(std::find(header_.begin(), header_.end(), column) -
                                    header_.begin());
}

std::string_view CsvReader::text(std::string_view column) const {
    const std::size_t i = column_index(column);
    return i < fields_.size() ? std::string_view(fields_[i]) : std::string_view();
}

void CsvReader::error(std::string_view column, std::string message) {
    const std::size_t i = column_index(column);
    const int col = i < field_columns_.size() ? field_columns_[i] : 1;
    problems_.push_back(
        {{path_, record_line_, col, false}, std::string(column), std::move(message)});
}

std::optional<std::int64_t> CsvReader::optional_integer(std::string_view column) {
    const std::string_view t = text(column);
    if (t.empty()) return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) {
        error(column, "'" + std::string(t) + "' is not an integer");
        return std::nullopt;
    }
    return v;
}

std::int64_t CsvReader::integer(std::string_view column) {
    if (text(column).empty()) {
        error(column, "missing value");
        return 0;
    }
    return optional_integer(column).value_or(0);
}

double CsvReader::number(std::string_view column) {
    const std::string_view t = text(column);
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
        error(column, "'" + std::string(t) + "' is not a number");
        return 0;
    }
    return v;
}

void CsvReader::finish() const {
    if (!problems_.empty()) throw InputError(problems_);
}

} // namespace ulcsim::detail
