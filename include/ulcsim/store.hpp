#pragma once
/// \file
/// Run files (HDF5): the record of one `ulcsim run`, readable with h5py, pandas or h5dump
/// without ulcsim. Layout:
///   /meta                      attributes: scenario_toml, scenario_name, seed, start_month,
///                              months, replicates, threads, engine_version,
///                              scale_workers_per_agent
///   /months                    "YYYY-MM" of each month of the run
///   /regions/code, name, province
///   /series/<metric>           [replicate, month, region, segment] float64
///   /programs/<metric>         [replicate, month, programme] float64
///   /programs/names
/// Every dataset carries a `dimensions` attribute naming its axes and a `units` attribute;
/// /series has a `segments` attribute (formal, informal, vulnerable).
/// The file is written under a temporary name beside the output and renamed on commit(), so
/// an interrupted run never leaves a partial file under the requested name.

#include "ulcsim/calendar.hpp"
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
};

class RunFileWriter {
public:
    /// Creates the temporary file and writes /meta, /months, /regions and empty datasets.
    /// Throws std::runtime_error naming the path when the file cannot be created.
    RunFileWriter(const std::filesystem::path& output, const Scenario& scenario,
                  const RunInfo& info);
    /// Removes the temporary file unless commit() succeeded.
    ~RunFileWriter();
    RunFileWriter(const RunFileWriter&) = delete;
    RunFileWriter& operator=(const RunFileWriter&) = delete;

    /// Writes one replicate's slice of every /series and /programs dataset.
    void write_replicate(std::uint32_t replicate, const ReplicateSeries& series);
    /// Flushes, closes and renames the temporary file to the output name.
    void commit();

    const std::filesystem::path& temporary_path() const;

private:
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
