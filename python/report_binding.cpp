#include "bindings.hpp"
#include "output_claim.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/report.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>
#include <unistd.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

/// `text` written to `output` under a temporary name beside it (….tmp-PID, which the next
/// run on the output recognises should this process die) and renamed when complete.
void write_atomically(const std::filesystem::path& output, const std::string& text,
                      OutputSink& sink) {
    std::filesystem::path temporary = output;
    temporary += ".tmp-" + std::to_string(::getpid());
    const OutputSink::Temporary mark(&sink, temporary);
    try {
        errno = 0;
        std::ofstream out(temporary, std::ios::binary);
        out << text;
        out.close();
        if (!out)
            throw OutputError(Diagnostic{
                {output.string(), 0, 0, false},
                "",
                "cannot write it: " + std::string(errno ? std::strerror(errno) : "write failed")});
        sink.refuse_if_input(output);
        std::filesystem::rename(temporary, output);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        throw;
    }
}

/// The report page of `ulcsim report`, from run files of run or forecast; written to
/// `output` when given. Returns the page.
std::string report(const std::vector<std::filesystem::path>& run_files,
                   const std::optional<std::filesystem::path>& output, const std::string& lang,
                   const std::optional<std::filesystem::path>& baseline, bool simulate_baseline,
                   int threads) {
    if (run_files.empty()) throw py::value_error("report: give at least one run file");
    if (lang != "en" && lang != "id")
        throw py::value_error("lang must be en or id, not '" + lang + "'");
    if (threads < 0) throw py::value_error("threads must be 0 (every core) or more");
    ReportOptions options;
    options.baseline = baseline;
    options.simulate_baseline = simulate_baseline;
    options.context.threads = threads;
    std::vector<std::filesystem::path> inputs = run_files;
    if (baseline) inputs.push_back(*baseline);
    std::unique_ptr<OutputSink> sink;
    if (output) sink = claim_output(*output, inputs);
    std::string page;
    {
        py::gil_scoped_release release;
        page = report_html(read_report_data(run_files, options),
                           lang == "id" ? ReportLanguage::indonesian : ReportLanguage::english);
        if (output) write_atomically(*output, page, *sink);
    }
    return page;
}

} // namespace

void bind_report(py::module_& m) {
    m.def("_report", &report, py::arg("run_files"), py::arg("output") = py::none(),
          py::arg("lang") = "en", py::arg("baseline") = py::none(),
          py::arg("simulate_baseline") = true, py::arg("threads") = 0);
}

} // namespace ulcsim::python
