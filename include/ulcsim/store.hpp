#pragma once
/// \file
/// Run files (HDF5): the record of one `ulcsim run`, readable with h5py, pandas or h5dump
/// without ulcsim. Layout:
///   /meta                      attributes: scenario_toml (the resolved scenario, which
///                              `ulcsim run` takes as it is), scenario_name, seed,
///                              start_month, months, replicates, threads, engine_version,
///                              scale_workers_per_agent, replicates_kept, key_table_version
///                              (ulcsim/scenario_keys.hpp)
///   /months                    "YYYY-MM" of each month of the run
///   /regions/code, name, province
///   /series/<metric>           [replicate, month, region, segment] float64, one per
///                              SeriesMetric (ulcsim/tally.hpp): workers, and in IDR the
///                              programmes' premiums and the benefits paid (jkm_paid_idr,
///                              jkk_paid_idr, jkk_death_paid_idr to heirs, scholarships_idr)
///   /programs/<metric>         [replicate, month, programme] float64
///   /programs/names
///   /summary/…                 statistics over replicates (see ulcsim/summary.hpp)
///   /observation_tracks        when the scenario has dated observations in the run: each
///                              measure observed, simulated every month over replicates, with
///                              the observations on it (ulcsim/observation_tracks_file.hpp)
///   /checkpoint                optional (`run --checkpoint-at`): every replicate's state at
///                              the start of a month (ulcsim/checkpoint.hpp). Attributes
///                              format_version, month, origin_month, seed, replicates,
///                              scale_workers_per_agent, slots, engine_version;
///                              region_code, villages, desa [region]; programme_name
///                              [programme]; year [year]; agents/<column> [replicate, slot]
///                              uint8/uint16 (the Population columns); region_first,
///                              region_capacity, region_used, labour_force [replicate,
///                              region]; village_workers, village_covered [replicate,
///                              village]; programme_members [replicate, programme];
///                              committed_idr [replicate, programme, year]
/// Every dataset carries a `dimensions` attribute naming its axes and a `units` attribute;
/// /series has a `segments` attribute (formal, informal, vulnerable).
/// The file is written under a temporary name beside the output and renamed on commit(), so
/// an interrupted run never leaves a partial file under the requested name. With
/// RunInfo::keep_replicates false (`--keep summaries`) /series and /programs go to a scratch
/// file beside it instead, read back for the summaries and removed: the output then holds
/// /meta, /months, /regions, /programs/names and /summary only.

#include "ulcsim/calendar.hpp"
#include "ulcsim/checkpoint.hpp"
#include "ulcsim/output_sink.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ulcsim {

/// What the run was, beyond the scenario itself.
struct RunInfo {
    std::uint64_t seed = 1;
    Month start;
    int months = 0;
    std::uint32_t replicates = 1;
    int threads = 1;
    /// Keep every replicate's series in the output (false: only the summaries).
    bool keep_replicates = true;
};

/// The RunInfo of a run of `scenario` as loaded (seed, start, months and replicates are its
/// run settings).
RunInfo run_info_of(const Scenario& scenario, int threads, bool keep_replicates = true);

/// Named arrays written into an HDF5 file by path, for the outputs beyond the replicates
/// (summaries, comparisons, sweeps). Missing groups on the path are created. Each dataset
/// gets the `dimensions` and `units` attributes of the run-file layout.
class ArrayWriter {
public:
    /// A float64 dataset of shape `dims` (row-major `values`); dimension_names.size() ==
    /// dims.size(). Throws std::invalid_argument when the sizes disagree.
    void write_array(const std::string& path, const std::vector<std::size_t>& dims,
                     const std::vector<std::string>& dimension_names, const std::string& units,
                     const std::vector<double>& values);
    /// A one-dimensional dataset of UTF-8 strings.
    void write_strings(const std::string& path, const std::vector<std::string>& values,
                       const std::string& dimension, const std::string& units);
    /// A string or list-of-strings attribute on an existing group or dataset.
    void write_attribute(const std::string& object, const std::string& name,
                         const std::string& value);
    void write_attribute(const std::string& object, const std::string& name,
                         const std::vector<std::string>& values);

protected:
    ArrayWriter() = default;
    ~ArrayWriter() = default;
    ArrayWriter(const ArrayWriter&) = delete;
    ArrayWriter& operator=(const ArrayWriter&) = delete;

    /// The arrays go into `file` (an open HDF5 file identifier), written as `file_name` (the
    /// temporary name of `output`); `what` names the output in errors ("run file out.h5").
    void write_into(std::int64_t file, std::string what, std::filesystem::path file_name,
                    std::filesystem::path output);
    /// After commit: writing again is a logic error.
    void stop_writing();

private:
    void require_writable(const char* operation) const;

    std::int64_t file_ = -1;
    std::string what_;
    std::filesystem::path file_name_;
    std::filesystem::path output_;
};

class RunFileWriter final : public ArrayWriter {
public:
    /// Creates the temporary file and writes /meta, /months, /regions and empty datasets.
    /// The temporary files are registered with `sink`, which may discard them (null: straight
    /// to disk, unregistered). Throws std::runtime_error naming the path when the file cannot
    /// be created.
    RunFileWriter(const std::filesystem::path& output, const Scenario& scenario,
                  const RunInfo& info, OutputSink* sink);
    /// Removes the temporary file unless commit() succeeded.
    ~RunFileWriter();
    RunFileWriter(const RunFileWriter&) = delete;
    RunFileWriter& operator=(const RunFileWriter&) = delete;

    /// Writes one replicate's slice of every /series and /programs dataset. Replicates may
    /// arrive in any order; the file's bytes do not depend on it.
    void write_replicate(std::uint32_t replicate, const ReplicateSeries& series);
    /// Reads back /series/<metric> for every replicate and months [first_month,
    /// first_month + months): [replicate][month][region][segment]. Every replicate must have
    /// been written.
    std::vector<double> read_series(SeriesMetric metric, std::size_t first_month,
                                    std::size_t months) const;
    /// Reads back /programs/<metric>: [replicate][month][programme].
    std::vector<double> read_programme_series(ProgrammeMetric metric) const;

    /// Writes one replicate's state into /checkpoint, created by the first call from that
    /// state's shape (every later state must have the same month, origin, seed, scale,
    /// regions, programmes and slots). Replicates may arrive in any order; the file's bytes
    /// do not depend on it. Once one is written, commit() requires all of them.
    void write_checkpoint(const ReplicateState& state);

    /// Flushes, closes and renames the temporary file to the output name.
    void commit();

    const std::filesystem::path& temporary_path() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The output of `compare` and `sweep`: an HDF5 file of named arrays, written under a
/// temporary name and renamed on commit() like a run file.
class ResultFileWriter final : public ArrayWriter {
public:
    /// `sink` as for RunFileWriter. Throws std::runtime_error naming the path when the file
    /// cannot be created.
    ResultFileWriter(const std::filesystem::path& output, OutputSink* sink);
    /// Removes the temporary file unless commit() succeeded.
    ~ResultFileWriter();
    ResultFileWriter(const ResultFileWriter&) = delete;
    ResultFileWriter& operator=(const ResultFileWriter&) = delete;

    void commit();
    const std::filesystem::path& temporary_path() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The checkpoint of a run file, read back one replicate at a time (so that an ensemble
/// holds only the states of the replicates it is running).
class CheckpointReader {
public:
    /// Reads the description (CheckpointInfo). Throws InputError naming the file when it is
    /// not a run file, has no /checkpoint, or one of another format version.
    explicit CheckpointReader(const std::filesystem::path& run_file);
    ~CheckpointReader();
    CheckpointReader(const CheckpointReader&) = delete;
    CheckpointReader& operator=(const CheckpointReader&) = delete;

    const CheckpointInfo& info() const;
    /// Replicate `replicate`'s state. Not to be called from two threads at once. Throws
    /// InputError naming the dataset when the state read is damaged: indices out of range,
    /// negative counts, money that is not finite.
    ReplicateState state(std::uint32_t replicate) const;

private:
    ReplicateState read_state(std::uint32_t replicate) const;

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A dataset read back: its shape and values in row-major order.
struct StoredArray {
    std::vector<std::size_t> dims;
    std::vector<double> values;
};

/// Read access to a run file, for tests and the commands that post-process runs.
class RunFileReader {
public:
    /// Throws std::runtime_error naming the path when it is not a readable run file.
    explicit RunFileReader(const std::filesystem::path& path);
    ~RunFileReader();
    RunFileReader(const RunFileReader&) = delete;
    RunFileReader& operator=(const RunFileReader&) = delete;

    /// A float64 dataset, e.g. "/series/covered".
    StoredArray array(const std::string& dataset) const;
    /// A dataset of strings, e.g. "/regions/code".
    std::vector<std::string> strings(const std::string& dataset) const;
    /// Attributes of an object ("/meta", "/series/covered", …).
    std::string string_attribute(const std::string& object, const std::string& name) const;
    std::vector<std::string> strings_attribute(const std::string& object,
                                               const std::string& name) const;
    std::int64_t integer_attribute(const std::string& object, const std::string& name) const;
    double number_attribute(const std::string& object, const std::string& name) const;
    /// Names of the members of a group, sorted.
    std::vector<std::string> members(const std::string& group) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ulcsim
