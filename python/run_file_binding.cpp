#include "bindings.hpp"
#include "numpy_arrays.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/tally.hpp"

#include <memory>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

py::array_t<double> as_numpy(StoredArray&& a) {
    return numpy_array(std::move(a.values), a.dims);
}

template <class Enum, std::size_t N>
Enum metric_named(const std::array<std::string_view, N>& names, const std::string& name,
                  const char* what) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name) return static_cast<Enum>(i);
    std::string known;
    for (const std::string_view n : names)
        known += (known.empty() ? "" : ", ") + std::string(n);
    throw py::key_error("no " + std::string(what) + " '" + name + "' (known: " + known + ")");
}

SummaryLevel level_named(const std::string& level) {
    if (level == "region") return SummaryLevel::region;
    if (level == "province") return SummaryLevel::province;
    if (level == "nation") return SummaryLevel::nation;
    if (level == "programme" || level == "program") return SummaryLevel::programme;
    throw py::value_error("level must be region, province, nation or programme, not '" + level +
                          "'");
}

/// A run file open for reading (shared: the arrays read from it own their memory).
struct PyRunFile {
    std::filesystem::path path;
    std::shared_ptr<RunFileReader> reader;
};

py::dict meta_dict(const RunMeta& meta) {
    py::dict d;
    d["scenario_name"] = meta.scenario_name;
    d["scenario_toml"] = meta.scenario_toml;
    d["seed"] = meta.seed;
    d["replicates"] = meta.replicates;
    d["start_month"] = meta.start_month ? py::cast(*meta.start_month) : py::none();
    d["threads"] = meta.threads ? py::cast(*meta.threads) : py::none();
    d["engine_version"] = meta.engine_version ? py::cast(*meta.engine_version) : py::none();
    d["scale_workers_per_agent"] =
        meta.scale_workers_per_agent ? py::cast(*meta.scale_workers_per_agent) : py::none();
    d["replicates_kept"] = meta.replicates_kept;
    d["from_checkpoint"] = meta.from_checkpoint ? py::cast(*meta.from_checkpoint) : py::none();
    return d;
}

} // namespace

void bind_run_file(py::module_& m) {
    py::class_<PyRunFile>(m, "RunFile",
                          "A run file (HDF5) read through the library's readers: the output of "
                          "run or forecast, or of `ulcsim run`.")
        .def(py::init([](const std::filesystem::path& path) {
                 return PyRunFile{path, std::make_shared<RunFileReader>(path)};
             }),
             py::arg("path"))
        .def_readonly("path", &PyRunFile::path)
        .def_property_readonly(
            "meta", [](const PyRunFile& f) { return meta_dict(read_run_meta(*f.reader)); })
        .def_property_readonly("month_names",
                               [](const PyRunFile& f) { return read_months(*f.reader); })
        .def_property_readonly("regions",
                               [](const PyRunFile& f) {
                                   const RunRegions r = read_regions(*f.reader);
                                   py::list rows;
                                   for (std::size_t i = 0; i < r.code.size(); ++i)
                                       rows.append(
                                           py::make_tuple(r.code[i], r.name[i], r.province[i]));
                                   return rows;
                               })
        .def_property_readonly("provinces",
                               [](const PyRunFile& f) {
                                   const SummaryProvinces p = read_summary_provinces(*f.reader);
                                   py::list rows;
                                   for (std::size_t i = 0; i < p.code.size(); ++i)
                                       rows.append(py::make_tuple(p.code[i], p.name[i]));
                                   return rows;
                               })
        .def_property_readonly("programme_names",
                               [](const PyRunFile& f) { return read_programme_names(*f.reader); })
        .def_property_readonly(
            "statistics", [](const PyRunFile& f) { return read_summary_statistics(*f.reader); })
        .def_property_readonly("has_series",
                               [](const PyRunFile& f) { return run_file_parts(*f.reader).series; })
        .def(
            "series",
            [](const PyRunFile& f, const std::string& metric) {
                return as_numpy(
                    read_series(*f.reader, metric_named<SeriesMetric>(series_metric_names, metric,
                                                                      "series metric")));
            },
            py::arg("metric"), "/series/<metric>: [replicate, month, region, segment].")
        .def(
            "programme_series",
            [](const PyRunFile& f, const std::string& metric) {
                return as_numpy(read_programme_series(
                    *f.reader, metric_named<ProgrammeMetric>(programme_metric_names, metric,
                                                             "programme metric")));
            },
            py::arg("metric"), "/programs/<metric>: [replicate, month, programme].")
        .def(
            "summary",
            [](const PyRunFile& f, const std::string& metric, const std::string& level) {
                return as_numpy(read_summary(*f.reader, level_named(level), metric));
            },
            py::arg("metric"), py::arg("level") = "region",
            "/summary…/<metric>: [statistic, month, region|province, segment], nation "
            "[statistic, month, segment], programme [statistic, month, programme].")
        .def(
            "array",
            [](const PyRunFile& f, const std::string& dataset) {
                return as_numpy(f.reader->array(dataset));
            },
            py::arg("dataset"), "Any float64 dataset by path, e.g. '/forecast/quantile'.")
        .def(
            "strings",
            [](const PyRunFile& f, const std::string& dataset) {
                return f.reader->strings(dataset);
            },
            py::arg("dataset"))
        .def(
            "units",
            [](const PyRunFile& f, const std::string& dataset) {
                return f.reader->string_attribute(dataset, "units");
            },
            py::arg("dataset"))
        .def(
            "members",
            [](const PyRunFile& f, const std::string& group) { return f.reader->members(group); },
            py::arg("group"))
        .def("__repr__",
             [](const PyRunFile& f) { return "<ulcsim.RunFile " + f.path.string() + ">"; });
}

} // namespace ulcsim::python
