// The page's files, embedded at build time by cmake/embed_file.cmake from planner.html,
// planner.js and planner.css beside this file (real web files, so that they read as such).

#include "ulcsim/planner_server.hpp"

#include <cstddef>
#include <string_view>

namespace ulcsim::embedded {
extern const unsigned char planner_html[];
extern const std::size_t planner_html_size;
extern const unsigned char planner_js[];
extern const std::size_t planner_js_size;
extern const unsigned char planner_css[];
extern const std::size_t planner_css_size;
} // namespace ulcsim::embedded

namespace ulcsim {

namespace {

std::string text_of(const unsigned char* bytes, std::size_t size) {
    return {reinterpret_cast<const char*>(bytes), size};
}

} // namespace

ApiResponse planner_page_file(const std::string& path) {
    using namespace embedded;
    if (path == "/")
        return {200, "text/html; charset=utf-8", text_of(planner_html, planner_html_size)};
    if (path == "/planner.js")
        return {200, "text/javascript; charset=utf-8", text_of(planner_js, planner_js_size)};
    if (path == "/planner.css")
        return {200, "text/css; charset=utf-8", text_of(planner_css, planner_css_size)};
    return {404, "text/plain; charset=utf-8", "not found\n"};
}

} // namespace ulcsim
