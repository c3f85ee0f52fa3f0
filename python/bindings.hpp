#pragma once
// The parts of the Python module, each binding one concept of the library (module.cpp puts
// them together).

#include <pybind11/pybind11.h>

namespace ulcsim::python {

void bind_scenario(pybind11::module_& m);
void bind_run(pybind11::module_& m);
void bind_run_file(pybind11::module_& m);
void bind_compare(pybind11::module_& m);
void bind_sweep(pybind11::module_& m);
void bind_target(pybind11::module_& m);
void bind_report(pybind11::module_& m);
void bind_forecast(pybind11::module_& m);
void bind_calibrate(pybind11::module_& m);

} // namespace ulcsim::python
