#pragma once
// A minimal JSON writer for what the library sends to browsers (the report page's data, the
// planner's web API): numbers, strings and arrays of them, written in order.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::detail {

class JsonWriter {
public:
    JsonWriter& raw(std::string_view text) {
        out_ += text;
        return *this;
    }
    JsonWriter& str(std::string_view text) {
        out_ += '"';
        for (const char c : text) {
            switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            // "</script>" inside the page's JSON would end the script element early.
            case '<':
                out_ += "\\u003c";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out_ += buffer;
                } else {
                    out_ += c;
                }
            }
        }
        out_ += '"';
        return *this;
    }
    // NaN (never reached, nobody working) becomes null, which JSON has and Chart.js skips.
    JsonWriter& num(double value) {
        if (!std::isfinite(value)) return raw("null");
        char buffer[32];
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
        out_.append(buffer, r.ptr);
        return *this;
    }
    JsonWriter& boolean(bool value) { return raw(value ? "true" : "false"); }
    JsonWriter& nums(const std::vector<double>& values) {
        out_ += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out_ += ',';
            num(values[i]);
        }
        out_ += ']';
        return *this;
    }
    JsonWriter& rows(const std::vector<std::vector<double>>& rows) {
        out_ += '[';
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i) out_ += ',';
            nums(rows[i]);
        }
        out_ += ']';
        return *this;
    }
    JsonWriter& strs(const std::vector<std::string>& values) {
        out_ += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out_ += ',';
            str(values[i]);
        }
        out_ += ']';
        return *this;
    }
    JsonWriter& interval(double mean, double p05, double p95) {
        return raw("{").key("mean").num(mean).key("p05").num(p05).key("p95").num(p95).raw("}");
    }
    JsonWriter& key(std::string_view name) {
        if (!out_.empty() && out_.back() != '{' && out_.back() != '[') out_ += ',';
        str(name);
        out_ += ':';
        return *this;
    }
    JsonWriter& comma() {
        out_ += ',';
        return *this;
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

} // namespace ulcsim::detail
