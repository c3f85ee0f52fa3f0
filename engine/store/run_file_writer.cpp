// Run files: /meta, /months, /regions, and every replicate's /series and /programs (the
// checkpoint half of the writer is checkpoint_writer.cpp).

#include "run_file_writer_impl.hpp"
#include "temporary_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/version.hpp"

#include <cstdint>
#include <span>

namespace ulcsim {

namespace {

std::string units_of(std::string_view metric) {
    return metric.ends_with("_idr") ? "IDR" : "workers";
}

/// One replicate's slice of a [replicate, month, …] dataset.
void write_replicate_block(hdf5::Id dataset, std::span<const std::uint64_t> dims,
                           std::uint32_t replicate, const double* values, const std::string& path,
                           const hdf5::Context& c) {
    const std::array<std::uint64_t, 2> count{1, dims[1]};
    // No months, regions or programmes: nothing to select.
    if (hdf5::block_elements(dims, count) == 0) return;
    hdf5::write_block(dataset, dims, {replicate, 0}, count, hdf5::Element::f64, values,
                      "write replicate to", path, c);
}

/// Months [first_month, first_month + months) of every replicate of a [replicate, month, …]
/// dataset.
std::vector<double> read_months(hdf5::Id dataset, std::span<const std::uint64_t> dims,
                                std::size_t first_month, std::size_t months,
                                const std::string& path, const hdf5::Context& c) {
    const std::array<std::uint64_t, 2> count{dims[0], months};
    std::vector<double> values(hdf5::block_elements(dims, count));
    if (values.empty()) return values;
    hdf5::read_block(dataset, dims, {0, first_month}, count, hdf5::Element::f64, values.data(),
                     path, c);
    return values;
}

} // namespace

RunInfo run_info_of(const Scenario& scenario, int threads, bool keep_replicates) {
    RunInfo info;
    info.seed = scenario.run.seed;
    info.start = scenario.run.start;
    info.months = scenario.run.months;
    info.replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    info.threads = threads;
    info.keep_replicates = keep_replicates;
    return info;
}

RunFileWriter::RunFileWriter(const std::filesystem::path& output, const Scenario& scenario,
                             const RunInfo& info, OutputSink* sink)
    : impl_(std::make_unique<Impl>()) {
    hdf5::silence();
    if (info.months < 0) throw std::invalid_argument("run file: negative month count");
    Impl& s = *impl_;
    s.sink = sink;
    s.discard = sink && sink->discards();
    s.output = output;
    s.temporary = store::temporary_path_for(output);
    s.context.file = s.temporary;
    s.replicates_context.file =
        info.keep_replicates ? s.temporary : store::scratch_path_for(output);
    s.context.output = s.replicates_context.output = output;
    s.info = info;
    s.regions = scenario.regions.size();
    s.programmes = scenario.programmes.size();
    s.written.assign(info.replicates, false);
    const hdf5::Context& c = s.context;
    const hdf5::Context& rc = s.replicates_context;

    s.file = hdf5::create_output_file(output, "run file", c, s.discard);
    s.created = true;
    s.temporary_mark.emplace(s.sink, s.temporary);
    write_into(s.file.get(), "run file " + output.string(), s.temporary, output);
    if (!info.keep_replicates) {
        s.scratch_file = hdf5::create_file(rc, s.discard);
        if (s.scratch_file.get() < 0)
            throw OutputError(Diagnostic{{output.string(), 0, 0, false},
                                         "",
                                         "cannot create the replicates' scratch file (" +
                                             rc.file.filename().string() + "): " + hdf5::reason()});
        s.scratch_created = true;
        s.scratch_mark.emplace(s.sink, rc.file);
    }
    const hdf5::Id f = s.file.get();
    const hdf5::Id rf = s.replicates_file();

    {
        hdf5::Handle meta = hdf5::create_group(f, dataset::meta, c);
        const hdf5::Id g = meta.get();
        hdf5::write_string_attribute(g, dataset::meta, "scenario_toml", scenario.resolved_toml, c);
        hdf5::write_string_attribute(g, dataset::meta, "scenario_name", scenario.run.name, c);
        hdf5::write_scalar_attribute(g, dataset::meta, "seed", std::uint64_t{info.seed}, c);
        hdf5::write_string_attribute(g, dataset::meta, "start_month", info.start.to_string(), c);
        hdf5::write_scalar_attribute(g, dataset::meta, "months", std::int64_t{info.months}, c);
        hdf5::write_scalar_attribute(g, dataset::meta, "replicates", std::int64_t{info.replicates},
                                     c);
        hdf5::write_scalar_attribute(g, dataset::meta, "threads", std::int64_t{info.threads}, c);
        hdf5::write_string_attribute(g, dataset::meta, "engine_version",
                                     std::string(engine_version()), c);
        hdf5::write_scalar_attribute(g, dataset::meta, "scale_workers_per_agent",
                                     scenario.population.scale_workers_per_agent, c);
        hdf5::write_scalar_attribute(g, dataset::meta, "replicates_kept",
                                     std::int64_t{info.keep_replicates ? 1 : 0}, c);
        // Which scenario language scenario_toml is written in, for whoever re-runs it.
        hdf5::write_scalar_attribute(g, dataset::meta, "key_table_version",
                                     std::int64_t{scenario_key_table_version}, c);
        hdf5::check(meta.close(), c, "close group", dataset::meta);
    }

    std::vector<std::string> months;
    for (int i = 0; i < info.months; ++i)
        months.push_back((info.start + i).to_string());
    hdf5::write_string_dataset(f, dataset::months, months, "month", "YYYY-MM", c);

    {
        hdf5::Handle group = hdf5::create_group(f, dataset::regions, c);
        std::vector<std::string> codes, names, provinces;
        const auto table = scenario.region_table.regions();
        for (const std::size_t r : scenario.regions) {
            if (r >= table.size())
                throw std::invalid_argument("run file: scenario region index out of range");
            codes.push_back(table[r].code);
            names.push_back(table[r].name);
            provinces.push_back(table[r].province_code);
        }
        hdf5::write_string_dataset(f, dataset::region_code, codes, "region", "Kemendagri code", c);
        hdf5::write_string_dataset(f, dataset::region_name, names, "region", "text", c);
        hdf5::write_string_dataset(f, dataset::region_province, provinces, "region",
                                   "Kemendagri province code", c);
        hdf5::check(group.close(), c, "close group", dataset::regions);
    }

    const std::uint64_t replicates = info.replicates;
    const auto months_count = static_cast<std::uint64_t>(info.months);
    {
        hdf5::Handle group = hdf5::create_group(rf, dataset::series, rc);
        hdf5::write_strings_attribute(group.get(), dataset::series, "segments",
                                      {segment_names.begin(), segment_names.end()}, rc);
        const std::array<std::uint64_t, 4> dims{replicates, months_count, s.regions, segment_count};
        for (std::size_t m = 0; m < series_metric_count; ++m) {
            const std::string path = dataset::in(dataset::series, series_metric_names[m]);
            s.series[m] =
                hdf5::create_dataset(rf, path, dims, {"replicate", "month", "region", "segment"},
                                     units_of(series_metric_names[m]), hdf5::Element::f64, rc);
        }
        hdf5::check(group.close(), rc, "close group", dataset::series);
    }
    {
        hdf5::Handle group = hdf5::create_group(f, dataset::programmes, c);
        std::vector<std::string> names;
        for (const FundingProgramme& p : scenario.programmes)
            names.push_back(p.name);
        hdf5::write_string_dataset(f, dataset::programme_names, names, "programme", "text", c);
        hdf5::Handle scratch_group;
        if (!info.keep_replicates) scratch_group = hdf5::create_group(rf, dataset::programmes, rc);
        const std::array<std::uint64_t, 3> dims{replicates, months_count, s.programmes};
        for (std::size_t m = 0; m < programme_metric_count; ++m) {
            const std::string path = dataset::in(dataset::programmes, programme_metric_names[m]);
            s.programme_series[m] =
                hdf5::create_dataset(rf, path, dims, {"replicate", "month", "programme"},
                                     units_of(programme_metric_names[m]), hdf5::Element::f64, rc);
        }
        hdf5::check(scratch_group.close(), rc, "close group", dataset::programmes);
        hdf5::check(group.close(), c, "close group", dataset::programmes);
    }
}

RunFileWriter::~RunFileWriter() = default;

const std::filesystem::path& RunFileWriter::temporary_path() const {
    return impl_->temporary;
}

void write_continuation(RunFileWriter& out, const std::string& from_checkpoint,
                        const CheckpointInfo& checkpoint) {
    out.write_attribute(dataset::meta, "from_checkpoint", from_checkpoint);
    out.write_attribute(dataset::meta, "checkpoint_month", checkpoint.month.to_string());
    out.write_attribute(dataset::meta, "checkpoint_origin_month", checkpoint.origin.to_string());
}

void RunFileWriter::write_replicate(std::uint32_t replicate, const ReplicateSeries& series) {
    hdf5::silence();
    Impl& s = *impl_;
    s.require_open("write_replicate");
    if (replicate >= s.info.replicates)
        throw std::invalid_argument("run file " + s.output.string() + ": replicate " +
                                    std::to_string(replicate) + " out of range (replicates " +
                                    std::to_string(s.info.replicates) + ")");
    if (series.months != static_cast<std::size_t>(s.info.months) || series.regions != s.regions ||
        series.programmes != s.programmes ||
        series.series.size() != series_metric_count * series.series_block() ||
        series.programme_series.size() != programme_metric_count * series.programme_block())
        throw std::invalid_argument(
            "run file " + s.output.string() + ": replicate series is " +
            std::to_string(series.months) + " months x " + std::to_string(series.regions) +
            " regions x " + std::to_string(series.programmes) + " programmes, the file " +
            std::to_string(s.info.months) + " x " + std::to_string(s.regions) + " x " +
            std::to_string(s.programmes));

    const std::uint64_t months = series.months;
    const std::array<std::uint64_t, 4> series_dims{s.info.replicates, months, s.regions,
                                                   segment_count};
    for (std::size_t m = 0; m < series_metric_count; ++m)
        write_replicate_block(s.series[m].get(), series_dims, replicate,
                              series.series.data() + m * series.series_block(),
                              dataset::in(dataset::series, series_metric_names[m]),
                              s.replicates_context);
    const std::array<std::uint64_t, 3> programme_dims{s.info.replicates, months, s.programmes};
    for (std::size_t m = 0; m < programme_metric_count; ++m)
        write_replicate_block(s.programme_series[m].get(), programme_dims, replicate,
                              series.programme_series.data() + m * series.programme_block(),
                              dataset::in(dataset::programmes, programme_metric_names[m]),
                              s.replicates_context);
    s.written[replicate] = true;
}

std::vector<double> RunFileWriter::read_series(SeriesMetric metric, std::size_t first_month,
                                               std::size_t months) const {
    hdf5::silence();
    const Impl& s = *impl_;
    const auto m = static_cast<std::size_t>(metric);
    if (m >= series_metric_count)
        throw std::invalid_argument("run file " + s.output.string() + ": no series metric " +
                                    std::to_string(m));
    const auto total = static_cast<std::size_t>(s.info.months);
    if (first_month > total || months > total - first_month)
        throw std::invalid_argument("run file " + s.output.string() + ": months [" +
                                    std::to_string(first_month) + ", " +
                                    std::to_string(first_month) + " + " + std::to_string(months) +
                                    ") out of range (months " + std::to_string(total) + ")");
    s.require_open("read_series");
    s.require_all_written("read_series");
    const std::array<std::uint64_t, 4> dims{s.info.replicates, total, s.regions, segment_count};
    return read_months(s.series[m].get(), dims, first_month, months,
                       dataset::in(dataset::series, series_metric_names[m]), s.replicates_context);
}

std::vector<double> RunFileWriter::read_programme_series(ProgrammeMetric metric) const {
    hdf5::silence();
    const Impl& s = *impl_;
    const auto m = static_cast<std::size_t>(metric);
    if (m >= programme_metric_count)
        throw std::invalid_argument("run file " + s.output.string() + ": no programme metric " +
                                    std::to_string(m));
    s.require_open("read_programme_series");
    s.require_all_written("read_programme_series");
    const auto total = static_cast<std::size_t>(s.info.months);
    const std::array<std::uint64_t, 3> dims{s.info.replicates, total, s.programmes};
    return read_months(s.programme_series[m].get(), dims, 0, total,
                       dataset::in(dataset::programmes, programme_metric_names[m]),
                       s.replicates_context);
}

void RunFileWriter::commit() {
    hdf5::silence();
    Impl& s = *impl_;
    if (s.committed) throw std::logic_error("run file: commit called twice");
    s.require_all_written("commit");
    const auto no_checkpoint =
        std::find(s.checkpoint_written.begin(), s.checkpoint_written.end(), false);
    if (no_checkpoint != s.checkpoint_written.end())
        throw std::logic_error("run file " + s.output.string() + ": replicate " +
                               std::to_string(no_checkpoint - s.checkpoint_written.begin()) +
                               " has no checkpoint");
    hdf5::flush(s.file.get(), s.context);
    stop_writing();
    s.close_all();
    // The scratch file is not worth failing the run over: ~Impl tries again.
    if (s.scratch_created) {
        std::error_code ec;
        std::filesystem::remove(s.replicates_context.file, ec);
        if (!ec) s.scratch_created = false;
    }
    if (s.sink) s.sink->refuse_if_input(s.output);
    store::move_into_place(s.temporary, s.output, s.discard);
    s.committed = true;
}

} // namespace ulcsim
