// The Python module's C++ part, _ulcsim: the library's operations on scenarios and run files
// (python/ulcsim/__init__.py is what users import). Input errors become ulcsim.InputError, a
// ValueError carrying the lines `ulcsim` prints (FILE:LINE:COLUMN: error: KEY: MESSAGE), and
// so do bad options of the operations the program shares (the message after "ulcsim: error: ").

#include "bindings.hpp"
#include "python_errors.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/option_error.hpp"
#include "ulcsim/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_ulcsim, m) {
    m.doc() = "The ulcsim engine (C++ part of the ulcsim package).";
    static py::exception<ulcsim::InputError> input_error(m, "InputError", PyExc_ValueError);
    py::register_exception_translator([](std::exception_ptr failure) {
        try {
            if (failure) std::rethrow_exception(failure);
        } catch (const ulcsim::InputError& e) {
            std::string message;
            for (const ulcsim::Diagnostic& d : e.diagnostics())
                message += (message.empty() ? "" : "\n") + d.format();
            input_error(message.c_str());
        } catch (const ulcsim::OptionError& e) {
            // A bad option of an operation the program shares: its message, as InputError.
            input_error(e.what());
        } catch (const ulcsim::python::NotEnoughMemory& e) {
            PyErr_SetString(PyExc_MemoryError, e.what());
        }
    });
    m.attr("engine_version") = std::string(ulcsim::engine_version());
    ulcsim::python::bind_scenario(m);
    ulcsim::python::bind_run(m);
    ulcsim::python::bind_run_file(m);
    ulcsim::python::bind_compare(m);
    ulcsim::python::bind_sweep(m);
    ulcsim::python::bind_target(m);
    ulcsim::python::bind_report(m);
    ulcsim::python::bind_forecast(m);
    ulcsim::python::bind_calibrate(m);
}
