// The page of `ulcsim report`: one HTML file holding Chart.js, the figures as JSON and the
// script that draws them (ulcsim/report.hpp).

#include "report_assets.hpp"
#include "ulcsim/report.hpp"

#include <string_view>

namespace ulcsim {

std::string report_html(const ReportData& data, ReportLanguage language) {
    const std::string data_json = report_json(data);
    const std::string_view chartjs = embedded::chartjs_source();
    std::string page;
    const std::string_view style = embedded::report_css_source();
    const std::string_view script = embedded::report_js_source();
    page.reserve(chartjs.size() + data_json.size() + script.size() + 4096);
    page += "<!DOCTYPE html>\n<html lang=\"";
    page += language == ReportLanguage::indonesian ? "id" : "en";
    page += "\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>ulcsim report</title>\n<style>\n";
    page += style;
    page += "</style>\n<!-- Chart.js (MIT licence, https://www.chartjs.org), embedded so that the "
            "report opens offline -->\n<script>\n";
    page += chartjs;
    page += "\n</script>\n</head>\n<body>\n<main id=\"report\"></main>\n"
            "<script type=\"application/json\" id=\"report-data\">";
    page += data_json;
    page += "</script>\n<script>\n";
    page += script;
    page += "</script>\n</body>\n</html>\n";
    return page;
}

} // namespace ulcsim
