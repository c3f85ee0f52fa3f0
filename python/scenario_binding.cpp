#include "bindings.hpp"
#include "python_scenario.hpp"
#include "ulcsim/scenario_warnings.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"

#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

/// A Python value as vary() takes it. bool before int: Python's True is an int too.
ScenarioValue scenario_value(const py::handle& value) {
    if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
    if (py::isinstance<py::int_>(value)) return value.cast<std::int64_t>();
    if (py::isinstance<py::float_>(value)) return value.cast<double>();
    if (py::isinstance<py::str>(value)) return value.cast<std::string>();
    throw py::type_error("vary: a value must be a bool, int, float or str, not " +
                         py::repr(value).cast<std::string>());
}

PyScenario shared(Scenario&& s) {
    return PyScenario{std::make_shared<const Scenario>(std::move(s))};
}

py::list region_rows(const Scenario& s) {
    py::list rows;
    const auto table = s.region_table.regions();
    for (const std::size_t r : s.regions)
        rows.append(py::make_tuple(table[r].code, table[r].name, table[r].province_code));
    return rows;
}

} // namespace

void bind_scenario(py::module_& m) {
    py::class_<PyScenario>(m, "Scenario",
                           "A validated scenario (load_scenario, Scenario.from_toml, vary). "
                           "Immutable: vary() makes variants.")
        .def_static(
            "from_toml",
            [](const std::string& text, const std::string& source_name,
               const std::vector<std::string>& overrides) {
                return shared(load_scenario_text(text, source_name, overrides));
            },
            py::arg("text"), py::arg("source_name") = "<text>",
            py::arg("overrides") = std::vector<std::string>{},
            "A scenario from TOML text; it may not name files (extends, run.posterior).")
        .def(
            "vary",
            [](const PyScenario& self, const py::dict& values) {
                std::vector<KeyValue> changes;
                for (const auto& [key, value] : values)
                    changes.push_back({key.cast<std::string>(), scenario_value(value)});
                std::optional<Scenario> varied;
                {
                    py::gil_scoped_release release;
                    varied.emplace(vary(*self, changes));
                }
                return shared(std::move(*varied));
            },
            py::arg("values"),
            "The scenario with keys set (as --set does: 'programme.0.quota_workers'), "
            "validated again.")
        .def_property_readonly("name", [](const PyScenario& s) { return s->run.name; })
        .def_property_readonly("description",
                               [](const PyScenario& s) { return s->run.description; })
        .def_property_readonly("file", [](const PyScenario& s) { return s->file; })
        .def_property_readonly("start",
                               [](const PyScenario& s) { return s->run.start.to_string(); })
        .def_property_readonly("months", [](const PyScenario& s) { return s->run.months; })
        .def_property_readonly("seed", [](const PyScenario& s) { return s->run.seed; })
        .def_property_readonly("replicates", [](const PyScenario& s) { return s->run.replicates; })
        .def_property_readonly(
            "month_names",
            [](const PyScenario& s) {
                std::vector<std::string> months;
                for (int i = 0; i < s->run.months; ++i)
                    months.push_back((s->run.start + i).to_string());
                return months;
            },
            "'YYYY-MM' of every month of the run.")
        .def_property_readonly(
            "regions", [](const PyScenario& s) { return region_rows(*s); },
            "(code, name, province code) of each kab/kota, in run order.")
        .def_property_readonly(
            "provinces",
            [](const PyScenario& s) {
                const SummaryAreas areas = summary_areas(*s);
                py::list rows;
                for (std::size_t p = 0; p < areas.province_codes.size(); ++p)
                    rows.append(py::make_tuple(areas.province_codes[p], areas.province_names[p]));
                return rows;
            },
            "(code, name) of the provinces of its regions, as /summary/province has them.")
        .def_property_readonly("programme_names",
                               [](const PyScenario& s) {
                                   std::vector<std::string> names;
                                   for (const FundingProgramme& p : s->programmes)
                                       names.push_back(p.name);
                                   return names;
                               })
        .def_property_readonly("ulc_threshold",
                               [](const PyScenario& s) { return s->ulc.threshold; })
        .def_property_readonly(
            "toml", [](const PyScenario& s) { return s->resolved_toml; },
            "The resolved scenario (extends and overrides applied).")
        .def_property_readonly(
            "warnings",
            [](const PyScenario& s) {
                std::vector<std::string> lines;
                for (const Diagnostic& d : scenario_warnings(*s))
                    lines.push_back(d.format());
                return lines;
            },
            "What the scenario asks that it cannot get, as `ulcsim run` prints it.")
        .def("__repr__", [](const PyScenario& s) {
            return "<ulcsim.Scenario " + s->run.name + ": " + s->run.start.to_string() + ", " +
                   std::to_string(s->run.months) + " months, " + std::to_string(s->run.replicates) +
                   " replicates, seed " + std::to_string(s->run.seed) + ">";
        });

    m.def(
        "_load_scenario",
        [](const std::filesystem::path& file, const std::vector<std::string>& overrides) {
            std::optional<Scenario> s;
            {
                py::gil_scoped_release release;
                s.emplace(load_scenario(file, overrides));
            }
            return shared(std::move(*s));
        },
        py::arg("file"), py::arg("overrides") = std::vector<std::string>{});
}

} // namespace ulcsim::python
