#include "bindings.hpp"
#include "interruptible.hpp"
#include "posterior_choice.hpp"
#include "python_scenario.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/forecast.hpp"
#include "ulcsim/goal_seek.hpp"
#include "ulcsim/vary.hpp"

#include <optional>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

py::dict trial_dict(const GoalTrial& trial, const std::string& label) {
    py::dict d;
    d["value"] = trial.value;
    d["label"] = label;
    d["probability"] = trial.probability;
    d["reached"] = trial.reached;
    d["replicates"] = trial.replicates;
    d["coverage_at_date"] =
        std::vector<double>(trial.coverage_at_date.begin(), trial.coverage_at_date.end());
    return d;
}

CoverageGoal coverage_goal(const Scenario& base, double reach, const std::string& month,
                           bool in_month, double probability, const std::string& area) {
    if (!(reach > 0 && reach <= 10)) throw py::value_error("reach must be a share above 0");
    if (!(probability > 0 && probability <= 1))
        throw py::value_error("probability must be above 0 and at most 1");
    const std::optional<Month> by = Month::parse(month);
    if (!by || *by < base.run.start || *by > base.run.last_month())
        throw py::value_error(month + ": expected a month YYYY-MM within the run (" +
                              base.run.start.to_string() + " … " +
                              base.run.last_month().to_string() + ")");
    const std::optional<ForecastArea> place = goal_area(base, area);
    if (!place) {
        std::string codes;
        for (const ForecastArea& a : forecast_areas(base))
            codes += (codes.empty() ? "" : ", ") + a.code;
        throw py::value_error("area " + area + ": not an area of the scenario (" + codes + ")");
    }
    return CoverageGoal{*place, reach, *by, probability, in_month};
}

/// Goal seeking as `ulcsim target`: over a numeric key (`vary`), the smallest (or, down, the
/// largest) value meeting the goal; over a programme's yearly budget or funded months, the
/// smallest. Every trial is returned, in the order of the lever.
py::dict target(const PyScenario& scenario, double reach, const std::string& month, bool in_month,
                double probability, const std::string& area,
                const std::optional<std::string>& vary_key, std::optional<double> lowest,
                std::optional<double> highest, std::optional<double> step,
                const std::string& direction, const std::optional<std::string>& programme_name,
                const std::string& lever_name, std::optional<std::int64_t> most, int threads,
                const py::object& posterior, const py::object& progress) {
    const Scenario& base = *scenario;
    const CoverageGoal goal = coverage_goal(base, reach, month, in_month, probability, area);
    if (vary_key.has_value() == programme_name.has_value())
        throw py::value_error("target: give either vary (a key) or programme");
    if (direction != "up" && direction != "down")
        throw py::value_error("direction must be 'up' or 'down'");
    // Each candidate's replicates on the posterior's draws, as the program runs them.
    const std::optional<PyPosterior> chosen = choose_posterior(posterior, {&base});

    py::dict result;
    std::vector<std::pair<GoalTrial, std::string>> trials;
    std::optional<std::int64_t> answer;
    std::optional<MonotoneViolation> not_monotone;
    if (vary_key) {
        KeyLeverRequest request;
        request.key = *vary_key;
        request.lowest = lowest;
        request.highest = highest;
        request.step = step;
        request.direction = direction == "up" ? SeekDirection::up : SeekDirection::down;
        KeyLever lever;
        try {
            lever = key_lever(base, request);
        } catch (const std::invalid_argument& e) {
            throw py::value_error(std::string("target: ") + e.what());
        }
        run_interruptibly(
            [&](const ExecutionContext& context) {
                GoalSeeker seek(base, lever, goal, runner_on(context));
                if (chosen) seek.draw_parameters_from(chosen->draws);
                const GoalAnswer found = seek.seek(lever);
                answer = found.candidate;
                not_monotone = found.not_monotone;
                for (const auto& [candidate, trial] : seek.trials())
                    trials.emplace_back(trial, format_scenario_value(lever.value(candidate)));
            },
            execution_context(threads, nullptr), progress);
        result["lever"] = lever.key;
        if (answer) result["answer"] = format_scenario_value(lever.value(*answer));
    } else {
        if (lever_name != "budget" && lever_name != "months")
            throw py::value_error("lever must be 'budget' or 'months'");
        std::size_t programme = base.programmes.size();
        for (std::size_t j = 0; j < base.programmes.size(); ++j)
            if (base.programmes[j].name == *programme_name) programme = j;
        if (programme == base.programmes.size())
            throw py::value_error("programme " + *programme_name +
                                  ": the scenario has no such programme");
        const ProgrammeLever lever =
            lever_name == "budget" ? ProgrammeLever::yearly_budget : ProgrammeLever::funded_months;
        if (lever == ProgrammeLever::funded_months &&
            goal.by - base.programmes[programme].windows.back().start + 1 < 1)
            throw py::value_error(month + ": before the programme's last window starts");
        const std::int64_t rupiah_step =
            lever == ProgrammeLever::yearly_budget && step ? static_cast<std::int64_t>(*step) : 0;
        const LeverRange range =
            default_lever_range(base, programme, lever, goal.by, rupiah_step, most);
        if (range.highest < range.lowest + range.step)
            throw py::value_error("most: leaves nothing to search");
        run_interruptibly(
            [&](const ExecutionContext& context) {
                GoalSeeker seek(base, programme, lever, goal, runner_on(context));
                if (chosen) seek.draw_parameters_from(chosen->draws);
                answer = seek.smallest(range);
                for (const auto& [value, trial] : seek.trials())
                    trials.emplace_back(trial, std::to_string(value));
            },
            execution_context(threads, nullptr), progress);
        result["lever"] = base.programmes[programme].name +
                          (lever_name == "budget" ? " yearly budget (IDR)" : " funded months");
        if (answer) result["answer"] = *answer;
    }
    if (!result.contains("answer")) result["answer"] = py::none();
    result["not_monotone"] =
        not_monotone ? py::object(py::make_tuple(not_monotone->met, not_monotone->missed))
                     : py::object(py::none());
    py::list trial_rows;
    for (const auto& [trial, label] : trials)
        trial_rows.append(trial_dict(trial, label));
    result["trials"] = trial_rows;
    result["area"] = py::make_tuple(goal.area.code, goal.area.name);
    result["reach"] = reach;
    result["month"] = goal.by.to_string();
    result["in_month"] = in_month;
    result["probability"] = probability;
    return result;
}

} // namespace

void bind_target(py::module_& m) {
    m.def("_target", &target, py::arg("scenario"), py::arg("reach"), py::arg("month"),
          py::arg("in_month"), py::arg("probability"), py::arg("area") = "",
          py::arg("vary") = py::none(), py::arg("lowest") = py::none(),
          py::arg("highest") = py::none(), py::arg("step") = py::none(),
          py::arg("direction") = "up", py::arg("programme") = py::none(),
          py::arg("lever") = "budget", py::arg("most") = py::none(), py::arg("threads") = 0,
          py::arg("posterior") = py::none(), py::arg("progress") = py::none());
}

} // namespace ulcsim::python
