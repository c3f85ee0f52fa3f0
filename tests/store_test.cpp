// Run files: what goes in comes out, under the documented names and shapes, readable by
// h5dump and h5py, and never left half-written under the requested name.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ulcsim {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;

const Scenario& sawahlunto() {
    static const Scenario s = load_scenario(test::scenarios_dir() / "sawahlunto.toml");
    return s;
}

const Scenario& magelang() {
    static const Scenario s = load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml");
    return s;
}

RunInfo small_run(const Scenario& s) {
    RunInfo info;
    info.seed = 20240701;
    info.start = s.run.start;
    info.months = 5;
    info.replicates = 2;
    info.threads = 3;
    return info;
}

// A different value in every cell of every metric and replicate, so that a transposed axis or
// an off-by-one slab shows up; covered is the sum of its parts, as the engine guarantees.
ReplicateSeries fake_series(const Scenario& s, const RunInfo& info, std::uint32_t replicate) {
    ReplicateSeries r(static_cast<std::size_t>(info.months), s.regions.size(), s.programmes.size());
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < r.months; ++t)
            for (std::size_t g = 0; g < r.regions; ++g)
                for (std::size_t k = 0; k < segment_count; ++k)
                    r.at(static_cast<SeriesMetric>(m), t, g, static_cast<Segment>(k)) =
                        replicate * 1e6 + static_cast<double>(m) * 1e4 +
                        static_cast<double>(t) * 100 + static_cast<double>(g) * 10 +
                        static_cast<double>(k) + 0.25;
    for (std::size_t t = 0; t < r.months; ++t)
        for (std::size_t g = 0; g < r.regions; ++g)
            for (std::size_t k = 0; k < segment_count; ++k) {
                const auto seg = static_cast<Segment>(k);
                r.at(SeriesMetric::covered, t, g, seg) =
                    r.at(SeriesMetric::covered_employer, t, g, seg) +
                    r.at(SeriesMetric::covered_self, t, g, seg) +
                    r.at(SeriesMetric::covered_programme, t, g, seg);
            }
    for (std::size_t m = 0; m < programme_metric_count; ++m)
        for (std::size_t t = 0; t < r.months; ++t)
            for (std::size_t p = 0; p < r.programmes; ++p)
                r.at(static_cast<ProgrammeMetric>(m), t, p) =
                    replicate * 1e6 + static_cast<double>(m) * 1e4 + static_cast<double>(t) * 100 +
                    static_cast<double>(p) + 0.5;
    return r;
}

std::vector<ReplicateSeries> write_run(const fs::path& output, const Scenario& s,
                                       const RunInfo& info) {
    std::vector<ReplicateSeries> written;
    RunFileWriter writer(output, s, info);
    for (std::uint32_t r = 0; r < info.replicates; ++r) {
        written.push_back(fake_series(s, info, r));
        writer.write_replicate(r, written.back());
    }
    writer.commit();
    return written;
}

bool present(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

using test::python_with_h5py;
using test::run_command;

// ---- round trip -----------------------------------------------------------------------------

TEST(RunFile, RoundTripsEverySeriesAndProgrammeDataset) {
    const ScratchDir dir;
    const Scenario& s = sawahlunto();
    ASSERT_EQ(s.regions.size(), 4u);
    ASSERT_GE(s.programmes.size(), 2u);
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    const std::vector<ReplicateSeries> written = write_run(file, s, info);

    const RunFileReader reader(file);
    EXPECT_EQ(reader.members("/"),
              (std::vector<std::string>{"meta", "months", "programs", "regions", "series"}));
    std::vector<std::string> series_names(series_metric_names.begin(), series_metric_names.end());
    std::sort(series_names.begin(), series_names.end());
    EXPECT_EQ(reader.members("/series"), series_names);
    std::vector<std::string> programme_names(programme_metric_names.begin(),
                                             programme_metric_names.end());
    programme_names.push_back("names");
    std::sort(programme_names.begin(), programme_names.end());
    EXPECT_EQ(reader.members("/programs"), programme_names);

    const std::size_t T = 5, G = 4, P = s.programmes.size();
    for (std::size_t m = 0; m < series_metric_count; ++m) {
        const std::string path = "/series/" + std::string(series_metric_names[m]);
        const StoredArray a = reader.array(path);
        ASSERT_EQ(a.dims, (std::vector<std::size_t>{2, T, G, 3})) << path;
        for (std::size_t r = 0; r < 2; ++r)
            for (std::size_t t = 0; t < T; ++t)
                for (std::size_t g = 0; g < G; ++g)
                    for (std::size_t k = 0; k < 3; ++k)
                        ASSERT_EQ(a.values[((r * T + t) * G + g) * 3 + k],
                                  written[r].at(static_cast<SeriesMetric>(m), t, g,
                                                static_cast<Segment>(k)))
                            << path << " [" << r << "," << t << "," << g << "," << k << "]";
    }
    for (std::size_t m = 0; m < programme_metric_count; ++m) {
        const std::string path = "/programs/" + std::string(programme_metric_names[m]);
        const StoredArray a = reader.array(path);
        ASSERT_EQ(a.dims, (std::vector<std::size_t>{2, T, P})) << path;
        for (std::size_t r = 0; r < 2; ++r)
            for (std::size_t t = 0; t < T; ++t)
                for (std::size_t p = 0; p < P; ++p)
                    ASSERT_EQ(a.values[(r * T + t) * P + p],
                              written[r].at(static_cast<ProgrammeMetric>(m), t, p))
                        << path << " [" << r << "," << t << "," << p << "]";
    }
}

TEST(RunFile, WritesTheTablesAndAttributes) {
    const ScratchDir dir;
    const Scenario& s = sawahlunto();
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    write_run(file, s, info);
    const RunFileReader reader(file);

    std::vector<std::string> codes, names, provinces;
    for (const std::size_t r : s.regions) {
        codes.push_back(s.region_table.regions()[r].code);
        names.push_back(s.region_table.regions()[r].name);
        provinces.push_back(s.region_table.regions()[r].province_code);
    }
    EXPECT_EQ(reader.strings("/regions/code"), codes);
    EXPECT_EQ(reader.strings("/regions/name"), names);
    EXPECT_EQ(reader.strings("/regions/province"), provinces);
    EXPECT_EQ(provinces.front(), "13");
    std::vector<std::string> programmes;
    for (const FundingProgramme& p : s.programmes)
        programmes.push_back(p.name);
    EXPECT_EQ(reader.strings("/programs/names"), programmes);
    std::vector<std::string> months;
    for (int i = 0; i < info.months; ++i)
        months.push_back((info.start + i).to_string());
    EXPECT_EQ(reader.strings("/months"), months);

    EXPECT_EQ(reader.string_attribute("/meta", "scenario_toml"), s.resolved_toml);
    EXPECT_FALSE(s.resolved_toml.empty());
    EXPECT_EQ(reader.string_attribute("/meta", "scenario_name"), "sawahlunto");
    EXPECT_EQ(reader.integer_attribute("/meta", "seed"), 20240701);
    EXPECT_EQ(reader.string_attribute("/meta", "start_month"), info.start.to_string());
    EXPECT_EQ(reader.integer_attribute("/meta", "months"), 5);
    EXPECT_EQ(reader.integer_attribute("/meta", "replicates"), 2);
    EXPECT_EQ(reader.integer_attribute("/meta", "threads"), 3);
    EXPECT_EQ(reader.string_attribute("/meta", "engine_version"), engine_version());
    EXPECT_EQ(reader.number_attribute("/meta", "scale_workers_per_agent"),
              s.population.scale_workers_per_agent);
    // Integers read as numbers too.
    EXPECT_EQ(reader.number_attribute("/meta", "months"), 5.0);

    EXPECT_EQ(reader.strings_attribute("/series", "segments"),
              (std::vector<std::string>{"formal", "informal", "vulnerable"}));
    EXPECT_EQ(reader.strings_attribute("/series/covered", "dimensions"),
              (std::vector<std::string>{"replicate", "month", "region", "segment"}));
    EXPECT_EQ(reader.string_attribute("/series/covered", "units"), "workers");
    EXPECT_EQ(reader.string_attribute("/series/jkm_paid_idr", "units"), "IDR");
    EXPECT_EQ(reader.strings_attribute("/programs/spent_idr", "dimensions"),
              (std::vector<std::string>{"replicate", "month", "programme"}));
    EXPECT_EQ(reader.string_attribute("/programs/spent_idr", "units"), "IDR");
    EXPECT_EQ(reader.string_attribute("/programs/members", "units"), "workers");
    EXPECT_EQ(reader.strings_attribute("/regions/code", "dimensions"),
              (std::vector<std::string>{"region"}));
    EXPECT_EQ(reader.strings_attribute("/months", "dimensions"),
              (std::vector<std::string>{"month"}));
}

TEST(RunFile, NoProgrammesGivesEmptyProgrammeDatasets) {
    const ScratchDir dir;
    const Scenario s = test::load_scenario_text(R"(
[run]
name = "no-programmes"
start = "2025-01"
months = 3
[regions]
include = ["33.71"]
)");
    ASSERT_TRUE(s.programmes.empty());
    RunInfo info = small_run(s);
    info.months = 3;
    const fs::path file = dir.path() / "run.h5";
    write_run(file, s, info);
    const RunFileReader reader(file);
    EXPECT_TRUE(reader.strings("/programs/names").empty());
    const StoredArray spent = reader.array("/programs/spent_idr");
    EXPECT_EQ(spent.dims, (std::vector<std::size_t>{2, 3, 0}));
    EXPECT_TRUE(spent.values.empty());
    EXPECT_EQ(reader.array("/series/covered").dims, (std::vector<std::size_t>{2, 3, 1, 3}));
}

// ---- the temporary file ---------------------------------------------------------------------

TEST(RunFile, CommitRenamesTheTemporaryFile) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    RunFileWriter writer(file, s, info);
    const fs::path temporary = writer.temporary_path();
    EXPECT_EQ(temporary, dir.path() / ("run.h5.tmp-" + std::to_string(getpid())));
    EXPECT_TRUE(present(temporary));
    EXPECT_FALSE(present(file));
    for (std::uint32_t r = 0; r < info.replicates; ++r)
        writer.write_replicate(r, fake_series(s, info, r));
    EXPECT_FALSE(present(file));
    writer.commit();
    EXPECT_TRUE(present(file));
    EXPECT_FALSE(present(temporary));
    EXPECT_THROW(writer.write_replicate(0, fake_series(s, info, 0)), std::logic_error);
}

TEST(RunFile, AnInterruptedRunLeavesNothingBehind) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    fs::path temporary;
    EXPECT_THROW(
        {
            RunFileWriter writer(file, s, info);
            temporary = writer.temporary_path();
            writer.write_replicate(0, fake_series(s, info, 0));
            throw std::runtime_error("interrupted");
        },
        std::runtime_error);
    EXPECT_FALSE(temporary.empty());
    EXPECT_FALSE(present(temporary));
    EXPECT_FALSE(present(file));
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(RunFile, CommitRefusesAMissingReplicate) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    {
        RunFileWriter writer(file, s, info);
        writer.write_replicate(1, fake_series(s, info, 1));
        EXPECT_THROW(writer.commit(), std::logic_error);
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(RunFile, MissingDirectoryIsAnErrorNamingThePath) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "no-such-dir" / "run.h5";
    try {
        RunFileWriter writer(file, magelang(), small_run(magelang()));
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(RunFile, RejectsSeriesOfTheWrongShape) {
    const ScratchDir dir;
    const Scenario& s = sawahlunto();
    const RunInfo info = small_run(s);
    RunFileWriter writer(dir.path() / "run.h5", s, info);
    const auto T = static_cast<std::size_t>(info.months);
    const std::size_t G = s.regions.size(), P = s.programmes.size();
    EXPECT_THROW(writer.write_replicate(0, ReplicateSeries(T + 1, G, P)), std::invalid_argument);
    EXPECT_THROW(writer.write_replicate(0, ReplicateSeries(T, G - 1, P)), std::invalid_argument);
    EXPECT_THROW(writer.write_replicate(0, ReplicateSeries(T, G, P + 1)), std::invalid_argument);
    ReplicateSeries truncated(T, G, P);
    truncated.series.pop_back();
    EXPECT_THROW(writer.write_replicate(0, truncated), std::invalid_argument);
    EXPECT_THROW(writer.write_replicate(2, ReplicateSeries(T, G, P)), std::invalid_argument);
    EXPECT_NO_THROW(writer.write_replicate(1, ReplicateSeries(T, G, P)));
}

// ---- reproducibility and outside readers -----------------------------------------------------

TEST(RunFile, SameDataGivesByteIdenticalFiles) {
    const ScratchDir dir;
    const Scenario& s = sawahlunto();
    const RunInfo info = small_run(s);
    write_run(dir.path() / "a.h5", s, info);
    // HDF5 timestamps have one-second resolution: make sure a stored time would differ.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    write_run(dir.path() / "b.h5", s, info);
    const std::string a = test::read_file(dir.path() / "a.h5");
    EXPECT_FALSE(a.empty());
    EXPECT_TRUE(a == test::read_file(dir.path() / "b.h5"));
}

TEST(RunFile, ReaderErrorsNameTheFileAndObject) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "run.h5";
    write_run(file, magelang(), small_run(magelang()));
    const RunFileReader reader(file);
    const auto message = [&](auto&& call) {
        try {
            call();
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    const std::string missing = message([&] { reader.array("/series/no_such_metric"); });
    EXPECT_NE(missing.find(file.string()), std::string::npos) << missing;
    EXPECT_NE(missing.find("/series/no_such_metric"), std::string::npos) << missing;
    const std::string attribute = message([&] { reader.integer_attribute("/meta", "nope"); });
    EXPECT_NE(attribute.find("/meta@nope"), std::string::npos) << attribute;
    EXPECT_NE(message([&] { reader.strings("/series/covered"); }).find("one-dimensional"),
              std::string::npos);
    EXPECT_NE(message([&] { reader.strings("/meta"); }).find("/meta"), std::string::npos);
    EXPECT_NE(message([&] { reader.array("/regions/code"); }).find("not numeric"),
              std::string::npos);
    EXPECT_NE(message([&] { reader.members("/series/covered"); }).find("/series/covered"),
              std::string::npos);
    EXPECT_NE(message([&] { reader.integer_attribute("/meta", "start_month"); }).find("number"),
              std::string::npos);

    const fs::path absent = dir.path() / "absent.h5";
    EXPECT_NE(message([&] { RunFileReader r(absent); }).find(absent.string()), std::string::npos);
    const fs::path not_hdf5 = dir.write("not.h5", "plain text\n");
    EXPECT_NE(message([&] { RunFileReader r(not_hdf5); }).find(not_hdf5.string()),
              std::string::npos);
}

TEST(RunFile, H5dumpReadsTheFile) {
    if (!present("/usr/bin/h5dump")) GTEST_SKIP() << "h5dump (hdf5-tools) is not installed";
    const ScratchDir dir;
    const fs::path file = dir.path() / "run.h5";
    write_run(file, sawahlunto(), small_run(sawahlunto()));
    const auto header = run_command({"/usr/bin/h5dump", "-H", file.string()});
    EXPECT_EQ(header.status, 0) << header.err;
    EXPECT_NE(header.out.find("covered_programme"), std::string::npos);
    const auto codes = run_command({"/usr/bin/h5dump", "-d", "/regions/code", file.string()});
    EXPECT_EQ(codes.status, 0) << codes.err;
    EXPECT_NE(codes.out.find("\"13.73\""), std::string::npos) << codes.out;
}

TEST(RunFile, PythonCheckerAcceptsTheFile) {
    const std::string python = python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const ScratchDir dir;
    const Scenario& s = magelang();
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    const std::vector<ReplicateSeries> written = write_run(file, s, info);
    const std::string script = (test::source_dir() / "tests" / "check_run_file.py").string();
    const auto r = run_command({python, script, file.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("\"regions\": [\"33.71\"]"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"replicates\": 2"), std::string::npos) << r.out;
    const double covered = written[0].total(SeriesMetric::covered, 4);
    EXPECT_NE(r.out.find("\"covered_total_last_month_replicate0\": " +
                         std::to_string(static_cast<long long>(covered)) + "."),
              std::string::npos)
        << r.out;
}

// Files written by other tools (h5py, pandas) store fixed-length, null-padded strings and
// integer data; the reader takes those too.
TEST(RunFile, ReaderTakesFixedLengthStringsAndIntegers) {
    const std::string python = python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const ScratchDir dir;
    const fs::path file = dir.path() / "other.h5";
    const auto made = run_command({python, "-c", R"(
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "w") as f:
    m = f.create_group("meta")
    m.attrs["start_month"] = np.bytes_("2024-01")
    m.attrs["axes"] = np.array([b"month", b"region"], dtype="S6")
    m.attrs["count"] = np.int32(-7)
    m.attrs["big"] = np.uint64(2**63)
    f.create_dataset("codes", data=np.array([b"33.71", b"13", b""], dtype="S5"))
    f.create_dataset("names", data=["Kota Magelang", "Sawahlunto"], dtype=h5py.string_dtype())
    f.create_dataset("ints", data=np.arange(6, dtype=np.int32).reshape(2, 3))
)",
                                   file.string()});
    ASSERT_EQ(made.status, 0) << made.err;
    const RunFileReader reader(file);
    EXPECT_EQ(reader.string_attribute("/meta", "start_month"), "2024-01");
    EXPECT_EQ(reader.strings_attribute("/meta", "axes"),
              (std::vector<std::string>{"month", "region"}));
    EXPECT_EQ(reader.integer_attribute("/meta", "count"), -7);
    EXPECT_EQ(reader.number_attribute("/meta", "count"), -7.0);
    EXPECT_THROW(reader.integer_attribute("/meta", "big"), std::runtime_error);
    EXPECT_EQ(reader.strings("/codes"), (std::vector<std::string>{"33.71", "13", ""}));
    EXPECT_EQ(reader.strings("/names"), (std::vector<std::string>{"Kota Magelang", "Sawahlunto"}));
    const StoredArray ints = reader.array("/ints");
    EXPECT_EQ(ints.dims, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(ints.values, (std::vector<double>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(reader.members("/"), (std::vector<std::string>{"codes", "ints", "meta", "names"}));
}

TEST(RunFile, PythonCheckerRejectsBrokenAccounting) {
    const std::string python = python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const ScratchDir dir;
    const Scenario& s = magelang();
    const RunInfo info = small_run(s);
    const fs::path file = dir.path() / "run.h5";
    {
        RunFileWriter writer(file, s, info);
        for (std::uint32_t r = 0; r < info.replicates; ++r) {
            ReplicateSeries series = fake_series(s, info, r);
            if (r == 1) series.at(SeriesMetric::covered, 2, 0, Segment::informal) += 1;
            writer.write_replicate(r, series);
        }
        writer.commit();
    }
    const std::string script = (test::source_dir() / "tests" / "check_run_file.py").string();
    const auto r = run_command({python, script, file.string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("covered"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("informal"), std::string::npos) << r.err;
}

} // namespace
} // namespace ulcsim
