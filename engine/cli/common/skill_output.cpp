#include "skill_output.hpp"

#include "terminal_format.hpp"

#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace ulcsim::cli {

namespace {

std::string points(double share) {
    if (std::isnan(share)) return "–";
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << share * 100 << " pp";
    return out.str();
}

std::string rate(double share) {
    if (std::isnan(share)) return "–";
    std::ostringstream out;
    out << std::fixed << std::setprecision(0) << share * 100 << '%';
    return out.str();
}

std::string ratio(const BacktestSummary::AgainstReference& a) {
    if (a.observations == 0 || !(a.reference_error > 0)) return "–";
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << a.ratio();
    return out.str();
}

std::string horizon(const SkillRow& r) {
    if (r.horizon_from == 0 && r.horizon_to < 0) return "all";
    return std::to_string(r.horizon_from) +
           (r.horizon_to < 0 ? "+" : "–" + std::to_string(r.horizon_to)) + " months";
}

} // namespace

void print_skill(const Skill& s, std::ostream& out) {
    out << "Rolling-origin skill (fitted on the observations before each cut-off, scored on "
           "those from it on; cut-offs";
    for (const Month m : s.cut_offs)
        out << ' ' << m.to_string();
    out << "):\n";
    std::vector<std::vector<std::string>> table{
        {"horizon", "points", "model MAE", "RMSE", "in 80% (replicates)", "in 80%", "in 95%",
         "persistence MAE", "model ÷ persistence", "trend MAE", "model ÷ trend"}};
    std::vector<SkillRow> rows = s.by_horizon;
    rows.push_back(s.overall);
    for (const SkillRow& r : rows) {
        if (r.points == 0) continue;
        table.push_back({horizon(r), std::to_string(r.points), points(r.mean_absolute_error),
                         points(r.root_mean_squared_error), rate(r.inside_80),
                         rate(r.widened_inside_80), rate(r.widened_inside_95),
                         points(r.persistence.reference_error), ratio(r.persistence),
                         points(r.linear_trend.reference_error), ratio(r.linear_trend)});
    }
    print_table(table, out);
    out << "\"in 80%\", \"in 95%\": the intervals with the model discrepancy, each origin's "
           "estimated without the points it holds out. Model discrepancy from all origins: sd "
        << points(s.discrepancy.standard_deviation(0)) << " at the cut-off, "
        << points(s.discrepancy.standard_deviation(12)) << " 12 months on (" << s.discrepancy.errors
        << " errors).\n";
    const SkillRow& all = s.overall;
    const bool beats = all.persistence.observations > 0 && all.persistence.ratio() <= 0.8;
    const bool honest =
        !std::isnan(all.widened_inside_80) && std::abs(all.widened_inside_80 - 0.8) <= 0.10;
    out << "Goal: model error ≤ 0.8 × persistence's ("
        << (all.persistence.observations == 0 ? "not measurable: no point has an earlier value"
            : beats                           ? "met"
                                              : "not met")
        << "), 80% intervals within 10 points of 80% (" << (honest ? "met" : "not met") << ", "
        << rate(all.widened_inside_80) << " of " << all.points << ").\n";
}

void print_prior_warning(std::ostream& out) {
    out << "Warning: no calibration — the behaviour parameters are their priors (the "
           "scenario's values) and no skill has been measured; the intervals hold only the "
           "Monte Carlo noise. `ulcsim calibrate --skill` fits them and measures the skill, "
           "`forecast --posterior` uses the fit.\n";
}

OriginFitted rolling_backtest_progress(const char* command, std::size_t cut_offs, bool quiet) {
    if (quiet) return [](Month, const CalibrationProblem&, const CalibrationResult&) {};
    std::cerr << "ulcsim " << command << ": rolling-origin backtest from " << cut_offs
              << (cut_offs == 1 ? " cut-off\n" : " cut-offs\n");
    return [](Month cut_off, const CalibrationProblem& problem, const CalibrationResult& fit) {
        std::cerr << "  cut-off " << cut_off.to_string() << ": fitted on "
                  << problem.observations().size() << " observations, RMSE " << std::fixed
                  << std::setprecision(2) << std::sqrt(fit.estimate.loss) * 100
                  << " pp at the estimate\n"
                  << std::defaultfloat;
    };
}

} // namespace ulcsim::cli
