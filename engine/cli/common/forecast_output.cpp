#include "forecast_output.hpp"

#include "command_line.hpp"
#include "commands.hpp"
#include "terminal_format.hpp"
#include "ulcsim/outcome.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace ulcsim::cli {

namespace {

constexpr std::size_t most_kabkota_rows = 60;

std::string month_cell(const Forecast& f, int month) {
    return month < 0 ? "> " + (f.start + (f.months - 1)).to_string()
                     : (f.start + month).to_string();
}

std::string interval_cell(const Forecast& f, int from, int to) {
    if (from == to) return month_cell(f, from);
    return month_cell(f, from) + " … " + month_cell(f, to);
}

std::string probability_cell(double p) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(0) << p * 100 << '%';
    return out.str();
}

} // namespace

std::string threshold_value(const std::string& option, const std::string& text) {
    std::string number = text;
    double divisor = 1;
    if (!number.empty() && number.back() == '%') {
        number.pop_back();
        divisor = 100;
    }
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(number, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (number.empty() || used != number.size() || !std::isfinite(value))
        throw UsageError(option + " " + text +
                         ": expected a share (0.5149) or a percentage (51.49%)");
    std::ostringstream out;
    out << std::setprecision(15) << value / divisor;
    return out.str();
}

std::vector<Month> by_months(const std::vector<std::string>& texts, const RunSettings& run) {
    std::vector<Month> months;
    for (const std::string& text : texts) {
        const Month m = month_option("--by", text);
        if (m < run.start || m > run.last_month())
            throw UsageError("--by " + text + ": outside the run (" + run.start.to_string() +
                             " … " + run.last_month().to_string() +
                             "); --months makes the run longer");
        months.push_back(m);
    }
    return months.empty() ? default_coverage_months(run.start, run.months) : months;
}

std::string percent_text(double share) {
    std::ostringstream out;
    out << std::setprecision(4) << share * 100;
    return out.str() + "%";
}

void print_forecast(const Forecast& f, std::ostream& out) {
    const std::size_t R = f.first_month.empty() ? 0 : f.first_month[0].size();
    out << "First month with "
        << coverage_measure_names[static_cast<std::size_t>(f.settings.measure)] << " ≥ "
        << percent_text(f.settings.threshold) << " (" << R
        << (R == 1 ? " replicate" : " replicates") << ", run " << f.start.to_string() << " … "
        << (f.start + (f.months - 1)).to_string() << "):\n";
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> header{"area", "at start", "median", "80% interval", "95% interval"};
    for (const Month m : f.settings.by)
        header.push_back("by " + m.to_string());
    header.push_back("never");
    table.push_back(header);
    std::size_t kabkota = 0, kabkota_shown = 0;
    std::vector<std::size_t> shown;
    const auto row = [&](std::size_t a) {
        shown.push_back(a);
        const FirstPassageDistribution& d = f.distributions[a];
        std::vector<std::string> cells{f.areas[a].name + " (" + f.areas[a].code + ")",
                                       measure_value(f.start_coverage_mean[a], "share", false),
                                       month_cell(f, d.quantiles[2]),
                                       interval_cell(f, d.quantiles[1], d.quantiles[3]),
                                       interval_cell(f, d.quantiles[0], d.quantiles[4])};
        for (const double p : d.probability_by)
            cells.push_back(probability_cell(p));
        cells.push_back(std::to_string(d.never) + "/" + std::to_string(R));
        table.push_back(cells);
    };
    // All regions together first, then provinces, then kab/kota: from the headline down.
    for (const std::string_view level : {"scenario", "province", "kabkota"})
        for (std::size_t a = 0; a < f.areas.size(); ++a) {
            if (f.areas[a].level != level) continue;
            if (level == "kabkota" && ++kabkota > most_kabkota_rows) continue;
            // A scenario of one province (or one kab/kota) repeats it as the total: show it
            // once.
            if (level == "scenario" &&
                std::any_of(f.areas.begin(), f.areas.end(), [&](const ForecastArea& other) {
                    return other.level != "scenario" && other.regions == f.areas[a].regions;
                }))
                continue;
            if (level == "kabkota") ++kabkota_shown;
            row(a);
        }
    print_table(table, out);
    if (kabkota > kabkota_shown)
        out << "(" << kabkota - kabkota_shown << " more kabupaten/kota in the forecast CSV)\n";
    out << "Intervals are over replicates; \"> " << (f.start + (f.months - 1)).to_string()
        << "\": not reached within the run in enough replicates (--months runs longer).\n";
    print_never_explained(f, shown, out);
}

void print_never_explained(const Forecast& f, const std::vector<std::size_t>& areas,
                           std::ostream& out) {
    if (f.settling_level.size() != f.areas.size() || f.settling_months < 1) return;
    const Month last = f.start + (f.months - 1);
    bool header = false;
    for (const std::size_t a : areas) {
        // Only where the median says "not within the run": elsewhere the months say enough.
        if (f.distributions[a].quantiles[2] >= 0) continue;
        if (!header) {
            out << "Where coverage settles (means over replicates of the last " << f.settling_months
                << " months, " << (last + (1 - f.settling_months)).to_string() << " … "
                << last.to_string() << "), where the median is not reached:\n";
            header = true;
        }
        const double level = f.settling_level[a], trend = f.settling_trend[a];
        const double gap = f.settings.threshold - level;
        std::ostringstream gap_text;
        gap_text << std::fixed << std::setprecision(1) << gap * 100 << " pp";
        out << "  " << f.areas[a].name << ": " << measure_value(level, "share", false) << ", trend "
            << measure_value(trend, "share", true) << " a year, " << gap_text.str() << " below "
            << percent_text(f.settings.threshold);
        // Beyond a century, a number of years would be false precision about a flat line.
        if (trend > 0 && gap / trend > 100) {
            out << ": over a century at that trend (coverage has all but settled)\n";
        } else if (trend > 0) {
            std::ostringstream years;
            years << std::fixed << std::setprecision(gap / trend < 10 ? 1 : 0) << gap / trend;
            out << ": about " << years.str() << " more years at that trend\n";
        } else {
            out << ": not closing at that trend\n";
        }
    }
}

} // namespace ulcsim::cli
