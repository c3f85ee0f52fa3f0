#pragma once
// Files the program carries so that a report needs nothing beside it: generated at build
// time from third_party/ by cmake/embed_file.cmake.

#include <cstddef>
#include <string_view>

namespace ulcsim::cli::embedded {

/// Chart.js (third_party/chartjs/chart.umd.js, without its source-map comment).
extern const unsigned char chartjs[];
extern const std::size_t chartjs_size;

inline std::string_view chartjs_source() {
    return {reinterpret_cast<const char*>(chartjs), chartjs_size};
}

} // namespace ulcsim::cli::embedded
