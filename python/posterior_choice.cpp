#include "posterior_choice.hpp"

#include "ulcsim/posterior_plan.hpp"

#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

std::string PyPosterior::source() const {
    return posterior_source(file, of_scenario);
}

std::optional<PyPosterior> choose_posterior(const py::object& posterior,
                                            const std::vector<const Scenario*>& scenarios) {
    PyPosterior chosen;
    if (posterior.is_none()) {
        const std::optional<std::filesystem::path> named = shared_run_posterior(scenarios);
        if (!named) return std::nullopt;
        chosen.file = *named;
        chosen.of_scenario = true;
    } else if (py::isinstance<py::bool_>(posterior)) {
        if (posterior.cast<bool>())
            throw py::value_error("posterior: give a fit file, None (the scenario's "
                                  "run.posterior) or False (its own values)");
        return std::nullopt;
    } else {
        chosen.file = posterior.cast<std::filesystem::path>();
    }
    chosen.draws = read_posterior(chosen.file);
    return chosen;
}

} // namespace ulcsim::python
