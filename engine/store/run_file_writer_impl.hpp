#pragma once
// The state of a RunFileWriter, shared by its two halves: the series (run_file_writer.cpp) and
// the checkpoint (checkpoint_writer.cpp).

#include "dataset_names.hpp"
#include "hdf5_file.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace ulcsim {

struct RunFileWriter::Impl {
    std::filesystem::path output;
    std::filesystem::path temporary;
    hdf5::Context context;
    /// Where /series and /programs/<metric> live: the output itself, or the scratch file when
    /// the replicates are not kept.
    hdf5::Context replicates_context;
    RunInfo info;
    std::size_t regions = 0;
    std::size_t programmes = 0;
    bool created = false;
    bool scratch_created = false;
    OutputSink* sink = nullptr;
    bool discard = false;
    std::optional<OutputSink::Temporary> temporary_mark, scratch_mark;
    bool committed = false;
    std::vector<bool> written;
    // Declared before the datasets so that they are closed after them.
    hdf5::Handle file;
    hdf5::Handle scratch_file;
    std::array<hdf5::Handle, series_metric_count> series;
    std::array<hdf5::Handle, programme_metric_count> programme_series;
    /// /checkpoint, created by the first write_checkpoint: its per-replicate datasets by
    /// path, what every replicate's state must share with the first, and which were written.
    std::vector<std::pair<std::string, hdf5::Handle>> checkpoint;
    std::optional<ReplicateState> checkpoint_shape; ///< the first state, without its agents
    std::vector<bool> checkpoint_written;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    // Here rather than in ~RunFileWriter so that a constructor that throws half way also
    // removes its files. Swallows everything: it runs while exceptions unwind.
    ~Impl() {
        for (hdf5::Handle& d : series)
            d.reset();
        for (hdf5::Handle& d : programme_series)
            d.reset();
        for (auto& [path, d] : checkpoint)
            d.reset();
        scratch_file.reset();
        file.reset();
        std::error_code ec;
        // The scratch file goes in every case: after a commit too, should commit() have failed
        // to remove it.
        if (scratch_created) std::filesystem::remove(replicates_context.file, ec);
        if (created && !committed) std::filesystem::remove(temporary, ec);
    }

    void close_all() {
        for (hdf5::Handle& d : series)
            hdf5::check(d.close(), replicates_context, "close dataset", dataset::series);
        for (hdf5::Handle& d : programme_series)
            hdf5::check(d.close(), replicates_context, "close dataset", dataset::programmes);
        for (auto& [path, d] : checkpoint)
            hdf5::check(d.close(), context, "close dataset", path);
        hdf5::check(scratch_file.close(), replicates_context, "close file", "/");
        hdf5::check(file.close(), context, "close file", "/");
    }

    hdf5::Id replicates_file() const {
        return info.keep_replicates ? file.get() : scratch_file.get();
    }

    void require_open(std::string_view operation) const {
        if (committed)
            throw std::logic_error("run file " + output.string() + ": " + std::string(operation) +
                                   " after commit");
    }

    // A replicate never written would read back as zeros, indistinguishable from a run in
    // which nothing happened.
    void require_all_written(std::string_view operation) const {
        const auto missing = std::find(written.begin(), written.end(), false);
        if (missing != written.end())
            throw std::logic_error(
                "run file " + output.string() + ": replicate " +
                std::to_string(missing - written.begin()) + " was never written" +
                (operation == "commit" ? "" : " (" + std::string(operation) + ")"));
    }
};

} // namespace ulcsim
