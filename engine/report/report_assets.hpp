#pragma once
// Files the library carries so that a report needs nothing beside it: generated at build
// time by cmake/embed_file.cmake from third_party/ and from the page's own stylesheet and
// script beside this file, which are real CSS and JavaScript files.

#include <cstddef>
#include <string_view>

namespace ulcsim::embedded {

/// Chart.js (third_party/chartjs/chart.umd.js, without its source-map comment).
extern const unsigned char chartjs[];
extern const std::size_t chartjs_size;

inline std::string_view chartjs_source() {
    return {reinterpret_cast<const char*>(chartjs), chartjs_size};
}

/// The page's stylesheet (engine/report/report.css).
extern const unsigned char report_css[];
extern const std::size_t report_css_size;

inline std::string_view report_css_source() {
    return {reinterpret_cast<const char*>(report_css), report_css_size};
}

/// The page's own script (engine/report/report.js): builds every chart from the JSON with
/// Chart.js, then writes #render-status (each chart's id, canvas size and number of data
/// points) for the browser test to check that everything was drawn.
extern const unsigned char report_js[];
extern const std::size_t report_js_size;

inline std::string_view report_js_source() {
    return {reinterpret_cast<const char*>(report_js), report_js_size};
}

} // namespace ulcsim::embedded
