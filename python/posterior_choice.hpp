#pragma once
// Which posterior a Python call's replicates run on, as the program's --posterior and
// --priors choose it: `posterior` None means the scenarios' run.posterior (when they name
// one), False none (--priors), and a path that fit file or posterior CSV (--posterior).

#include "ulcsim/fit_file.hpp"
#include "ulcsim/scenario.hpp"

#include <filesystem>
#include <optional>
#include <pybind11/pybind11.h>
#include <string>
#include <vector>

namespace ulcsim::python {

struct PyPosterior {
    std::filesystem::path file;
    bool of_scenario = false;
    PosteriorDraws draws;
    /// As outputs record it (posterior_source).
    std::string source() const;
};

/// Reads the chosen posterior (InputError when it cannot be read; std::invalid_argument, a
/// ValueError, when the scenarios name different ones).
std::optional<PyPosterior> choose_posterior(const pybind11::object& posterior,
                                            const std::vector<const Scenario*>& scenarios);

} // namespace ulcsim::python
