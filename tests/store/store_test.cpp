// Run files: what goes in comes out, under the documented names and shapes, readable by
// h5dump and h5py, and never left half-written under the requested name.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <functional>
#include <gtest/gtest.h>
#include <initializer_list>
#include <limits>
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

void write_replicates(RunFileWriter& writer, const Scenario& s, const RunInfo& info,
                      std::vector<ReplicateSeries>& written) {
    for (std::uint32_t r = 0; r < info.replicates; ++r) {
        written.push_back(fake_series(s, info, r));
        writer.write_replicate(r, written.back());
    }
}

std::vector<ReplicateSeries> write_run(const fs::path& output, const Scenario& s,
                                       const RunInfo& info) {
    std::vector<ReplicateSeries> written;
    RunFileWriter writer(output, s, info, nullptr);
    write_replicates(writer, s, info, written);
    writer.commit();
    return written;
}

fs::path scratch_path(const fs::path& output) {
    return fs::path(output.string() + ".replicates.tmp-" + std::to_string(getpid()));
}

std::vector<std::string> directory_listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

/// What a call threw: its message, or "no exception".
template <typename Exception, typename Call>
std::string thrown(Call&& call) {
    try {
        call();
    } catch (const Exception& e) {
        return e.what();
    }
    return "no exception";
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
    EXPECT_EQ(reader.integer_attribute("/meta", "replicates_kept"), 1);
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
    RunFileWriter writer(file, s, info, nullptr);
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
            RunFileWriter writer(file, s, info, nullptr);
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
        RunFileWriter writer(file, s, info, nullptr);
        writer.write_replicate(1, fake_series(s, info, 1));
        EXPECT_THROW(writer.commit(), std::logic_error);
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(RunFile, MissingDirectoryIsAnErrorNamingThePath) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "no-such-dir" / "run.h5";
    try {
        RunFileWriter writer(file, magelang(), small_run(magelang()), nullptr);
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
    RunFileWriter writer(dir.path() / "run.h5", s, info, nullptr);
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

// ---- replicates in a scratch file (keep_replicates = false) ---------------------------------

TEST(RunFile, WithoutReplicatesTheSeriesStayOutOfTheOutput) {
    const ScratchDir dir;
    const Scenario& s = sawahlunto();
    RunInfo info = small_run(s);
    info.keep_replicates = false;
    const fs::path file = dir.path() / "run.h5";
    {
        RunFileWriter writer(file, s, info, nullptr);
        EXPECT_TRUE(present(scratch_path(file)));
        std::vector<ReplicateSeries> written;
        write_replicates(writer, s, info, written);
        writer.commit();
        EXPECT_FALSE(present(scratch_path(file)));
    }
    EXPECT_EQ(directory_listing(dir.path()), (std::vector<std::string>{"run.h5"}));

    const RunFileReader reader(file);
    EXPECT_EQ(reader.members("/"),
              (std::vector<std::string>{"meta", "months", "programs", "regions"}));
    EXPECT_EQ(reader.members("/programs"), (std::vector<std::string>{"names"}));
    EXPECT_EQ(reader.integer_attribute("/meta", "replicates_kept"), 0);
    EXPECT_EQ(reader.integer_attribute("/meta", "replicates"), 2);
    std::vector<std::string> programmes;
    for (const FundingProgramme& p : s.programmes)
        programmes.push_back(p.name);
    EXPECT_EQ(reader.strings("/programs/names"), programmes);
    EXPECT_EQ(reader.strings("/regions/code").size(), s.regions.size());
    EXPECT_EQ(reader.strings("/months").size(), 5u);
}

TEST(RunFile, WithoutReplicatesAnUncommittedRunLeavesNothingBehind) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    RunInfo info = small_run(s);
    info.keep_replicates = false;
    const fs::path file = dir.path() / "run.h5";
    {
        RunFileWriter writer(file, s, info, nullptr);
        writer.write_replicate(0, fake_series(s, info, 0));
        EXPECT_EQ(directory_listing(dir.path()),
                  (std::vector<std::string>{scratch_path(file).filename().string(),
                                            writer.temporary_path().filename().string()}));
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
    {
        RunFileWriter writer(file, s, info, nullptr);
        writer.write_replicate(1, fake_series(s, info, 1));
        EXPECT_THROW(writer.commit(), std::logic_error);
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

// The output file is created first: a scratch file that cannot be created must not leave the
// output's temporary behind.
TEST(RunFile, AScratchFileThatCannotBeCreatedLeavesNothingBehind) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    RunInfo info = small_run(s);
    info.keep_replicates = false;
    const fs::path file = dir.path() / "run.h5";
    // A directory where the scratch file should go makes HDF5's create fail.
    fs::create_directory(scratch_path(file));
    const std::string message =
        thrown<std::runtime_error>([&] { RunFileWriter writer(file, s, info, nullptr); });
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_EQ(directory_listing(dir.path()),
              (std::vector<std::string>{scratch_path(file).filename().string()}));
}

// ---- reading the replicates back ------------------------------------------------------------

TEST(RunFile, ReadSeriesReturnsWhatWasWrittenInBothModes) {
    const Scenario& s = sawahlunto();
    for (const bool keep : {true, false}) {
        SCOPED_TRACE(keep ? "replicates kept" : "replicates in scratch file");
        const ScratchDir dir;
        RunInfo info = small_run(s);
        info.keep_replicates = keep;
        RunFileWriter writer(dir.path() / "run.h5", s, info, nullptr);
        std::vector<ReplicateSeries> written;
        // Out of order, as threads deliver them.
        written.push_back(fake_series(s, info, 0));
        written.push_back(fake_series(s, info, 1));
        writer.write_replicate(1, written[1]);
        writer.write_replicate(0, written[0]);

        const std::size_t R = 2, G = s.regions.size(), K = 3, P = s.programmes.size();
        const std::size_t first = 1, T = 3;
        for (std::size_t m = 0; m < series_metric_count; ++m) {
            const auto metric = static_cast<SeriesMetric>(m);
            const std::vector<double> values = writer.read_series(metric, first, T);
            ASSERT_EQ(values.size(), R * T * G * K) << series_metric_names[m];
            for (std::size_t r = 0; r < R; ++r)
                for (std::size_t t = 0; t < T; ++t)
                    for (std::size_t g = 0; g < G; ++g)
                        for (std::size_t k = 0; k < K; ++k)
                            ASSERT_EQ(values[((r * T + t) * G + g) * K + k],
                                      written[r].at(metric, first + t, g, static_cast<Segment>(k)))
                                << series_metric_names[m] << " [" << r << "," << t << "," << g
                                << "," << k << "]";
        }
        const std::vector<double> all = writer.read_series(SeriesMetric::covered, 0, 5);
        ASSERT_EQ(all.size(), R * 5 * G * K);
        EXPECT_EQ(all.back(), written[1].at(SeriesMetric::covered, 4, G - 1, Segment::vulnerable));
        EXPECT_TRUE(writer.read_series(SeriesMetric::covered, 5, 0).empty());

        for (std::size_t m = 0; m < programme_metric_count; ++m) {
            const auto metric = static_cast<ProgrammeMetric>(m);
            const std::vector<double> values = writer.read_programme_series(metric);
            ASSERT_EQ(values.size(), R * 5 * P) << programme_metric_names[m];
            for (std::size_t r = 0; r < R; ++r)
                for (std::size_t t = 0; t < 5; ++t)
                    for (std::size_t p = 0; p < P; ++p)
                        ASSERT_EQ(values[(r * 5 + t) * P + p], written[r].at(metric, t, p))
                            << programme_metric_names[m] << " [" << r << "," << t << "," << p
                            << "]";
        }
        writer.commit();
        EXPECT_THROW(writer.read_series(SeriesMetric::covered, 0, 1), std::logic_error);
        EXPECT_THROW(writer.read_programme_series(ProgrammeMetric::members), std::logic_error);
    }
}

TEST(RunFile, ReadSeriesRejectsMonthsOutsideTheRun) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    const RunInfo info = small_run(s);
    RunFileWriter writer(dir.path() / "run.h5", s, info, nullptr);
    std::vector<ReplicateSeries> written;
    write_replicates(writer, s, info, written);
    EXPECT_THROW(writer.read_series(SeriesMetric::covered, 4, 2), std::invalid_argument);
    EXPECT_THROW(writer.read_series(SeriesMetric::covered, 6, 0), std::invalid_argument);
    EXPECT_THROW(writer.read_series(SeriesMetric::covered, 0, 6), std::invalid_argument);
    // first + months wraps around to a small number.
    EXPECT_THROW(
        writer.read_series(SeriesMetric::covered, 2, std::numeric_limits<std::size_t>::max()),
        std::invalid_argument);
    EXPECT_EQ(writer.read_series(SeriesMetric::covered, 4, 1).size(), 2u * 1 * 1 * 3);
}

TEST(RunFile, ReadSeriesNeedsEveryReplicate) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    for (const bool keep : {true, false}) {
        RunInfo info = small_run(s);
        info.keep_replicates = keep;
        RunFileWriter writer(dir.path() / "run.h5", s, info, nullptr);
        EXPECT_THROW(writer.read_series(SeriesMetric::covered, 0, 5), std::logic_error);
        writer.write_replicate(1, fake_series(s, info, 1));
        const std::string message =
            thrown<std::logic_error>([&] { writer.read_series(SeriesMetric::covered, 1, 2); });
        EXPECT_NE(message.find("replicate 0"), std::string::npos) << message;
        EXPECT_THROW(writer.read_programme_series(ProgrammeMetric::spent_idr), std::logic_error);
        writer.write_replicate(0, fake_series(s, info, 0));
        EXPECT_NO_THROW(writer.read_series(SeriesMetric::covered, 1, 2));
        EXPECT_NO_THROW(writer.read_programme_series(ProgrammeMetric::spent_idr));
    }
}

// ---- named arrays ---------------------------------------------------------------------------

/// Runs `fill` on each kind of ArrayWriter (a run file keeping its replicates, one keeping
/// only summaries, a result file), commits, and hands the file to `inspect`.
void for_each_array_writer(const std::function<void(ArrayWriter&)>& fill,
                           const std::function<void(const RunFileReader&)>& inspect) {
    const Scenario& s = magelang();
    for (const bool keep : {true, false}) {
        SCOPED_TRACE(keep ? "run file" : "run file without replicates");
        const ScratchDir dir;
        RunInfo info = small_run(s);
        info.keep_replicates = keep;
        const fs::path file = dir.path() / "run.h5";
        {
            RunFileWriter writer(file, s, info, nullptr);
            std::vector<ReplicateSeries> written;
            write_replicates(writer, s, info, written);
            fill(writer);
            writer.commit();
            EXPECT_THROW(fill(writer), std::logic_error);
        }
        inspect(RunFileReader(file));
    }
    SCOPED_TRACE("result file");
    const ScratchDir dir;
    const fs::path file = dir.path() / "result.h5";
    {
        ResultFileWriter writer(file, nullptr);
        fill(writer);
        writer.commit();
        EXPECT_THROW(fill(writer), std::logic_error);
    }
    inspect(RunFileReader(file));
}

std::vector<double> counting(std::size_t n) {
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i)
        values[i] = static_cast<double>(i) * 1.5 - 3;
    return values;
}

TEST(ArrayWriter, ArraysRoundTripUnderNestedGroups) {
    for_each_array_writer(
        [](ArrayWriter& w) {
            w.write_array("/summary/province/covered", {2, 3, 4}, {"statistic", "month", "region"},
                          "workers", counting(24));
            // The parent groups exist now; a sibling reuses them.
            w.write_array("/summary/province/lapsed", {4}, {"region"}, "workers", counting(4));
            w.write_array("/summary/total", {1}, {"statistic"}, "IDR", {42.0});
        },
        [](const RunFileReader& r) {
            const StoredArray covered = r.array("/summary/province/covered");
            EXPECT_EQ(covered.dims, (std::vector<std::size_t>{2, 3, 4}));
            EXPECT_EQ(covered.values, counting(24));
            EXPECT_EQ(r.strings_attribute("/summary/province/covered", "dimensions"),
                      (std::vector<std::string>{"statistic", "month", "region"}));
            EXPECT_EQ(r.string_attribute("/summary/province/covered", "units"), "workers");
            EXPECT_EQ(r.array("/summary/province/lapsed").values, counting(4));
            EXPECT_EQ(r.array("/summary/total").values, std::vector<double>{42.0});
            EXPECT_EQ(r.string_attribute("/summary/total", "units"), "IDR");
            EXPECT_EQ(r.members("/summary"), (std::vector<std::string>{"province", "total"}));
            EXPECT_EQ(r.members("/summary/province"),
                      (std::vector<std::string>{"covered", "lapsed"}));
        });
}

TEST(ArrayWriter, ZeroSizedArraysAreCreatedEmpty) {
    for_each_array_writer(
        [](ArrayWriter& w) {
            w.write_array("/empty/programmes", {3, 0}, {"month", "programme"}, "IDR", {});
        },
        [](const RunFileReader& r) {
            const StoredArray a = r.array("/empty/programmes");
            EXPECT_EQ(a.dims, (std::vector<std::size_t>{3, 0}));
            EXPECT_TRUE(a.values.empty());
            EXPECT_EQ(r.strings_attribute("/empty/programmes", "dimensions"),
                      (std::vector<std::string>{"month", "programme"}));
        });
}

TEST(ArrayWriter, ScalarsAndEmptyAttributeLists) {
    for_each_array_writer(
        [](ArrayWriter& w) {
            w.write_array("/scalars/total", {}, {}, "IDR", {7.5});
            w.write_attribute("/scalars", "none", std::vector<std::string>{});
        },
        [](const RunFileReader& r) {
            const StoredArray total = r.array("/scalars/total");
            EXPECT_TRUE(total.dims.empty());
            EXPECT_EQ(total.values, std::vector<double>{7.5});
            EXPECT_TRUE(r.strings_attribute("/scalars/total", "dimensions").empty());
            EXPECT_TRUE(r.strings_attribute("/scalars", "none").empty());
        });
}

TEST(ArrayWriter, StringsAndAttributes) {
    for_each_array_writer(
        [](ArrayWriter& w) {
            w.write_strings("/summary/province/code", {"13", "33"}, "province",
                            "Kemendagri province code");
            w.write_strings("/labels", {}, "label", "text");
            w.write_array("/summary/province/covered", {2}, {"province"}, "workers", {1, 2});
            w.write_attribute("/summary", "statistics", std::vector<std::string>{"mean", "p05"});
            w.write_attribute("/summary", "note", "over replicates");
            w.write_attribute("/summary/province/covered", "metric", "covered");
        },
        [](const RunFileReader& r) {
            EXPECT_EQ(r.strings("/summary/province/code"), (std::vector<std::string>{"13", "33"}));
            EXPECT_EQ(r.strings_attribute("/summary/province/code", "dimensions"),
                      (std::vector<std::string>{"province"}));
            EXPECT_EQ(r.string_attribute("/summary/province/code", "units"),
                      "Kemendagri province code");
            EXPECT_TRUE(r.strings("/labels").empty());
            EXPECT_EQ(r.strings_attribute("/summary", "statistics"),
                      (std::vector<std::string>{"mean", "p05"}));
            EXPECT_EQ(r.string_attribute("/summary", "note"), "over replicates");
            EXPECT_EQ(r.string_attribute("/summary/province/covered", "metric"), "covered");
        });
}

TEST(ArrayWriter, RunFileArraysGoToTheOutputNotTheScratchFile) {
    const ScratchDir dir;
    const Scenario& s = magelang();
    RunInfo info = small_run(s);
    info.keep_replicates = false;
    const fs::path file = dir.path() / "run.h5";
    {
        RunFileWriter writer(file, s, info, nullptr);
        std::vector<ReplicateSeries> written;
        write_replicates(writer, s, info, written);
        const std::vector<double> covered = writer.read_series(SeriesMetric::covered, 0, 5);
        writer.write_array("/summary/covered", {2, 5, 1, 3},
                           {"replicate", "month", "region", "segment"}, "workers", covered);
        // Beside the replicates' names, not in a /programs of the scratch file.
        writer.write_strings("/programs/statistics", {"mean"}, "statistic", "text");
        writer.write_attribute("/programs/names", "note", "kept");
        writer.commit();
    }
    const RunFileReader reader(file);
    EXPECT_EQ(reader.members("/"),
              (std::vector<std::string>{"meta", "months", "programs", "regions", "summary"}));
    EXPECT_EQ(reader.members("/programs"), (std::vector<std::string>{"names", "statistics"}));
    EXPECT_EQ(reader.string_attribute("/programs/names", "note"), "kept");
    const StoredArray covered = reader.array("/summary/covered");
    EXPECT_EQ(covered.dims, (std::vector<std::size_t>{2, 5, 1, 3}));
    EXPECT_EQ(covered.values[3 * 5 + 2],
              fake_series(s, info, 1).at(SeriesMetric::covered, 0, 0, Segment::vulnerable));
}

TEST(ArrayWriter, MismatchedSizesAreRejectedNamingThePath) {
    const ScratchDir dir;
    ResultFileWriter result(dir.path() / "result.h5", nullptr);
    RunFileWriter run(dir.path() / "run.h5", magelang(), small_run(magelang()), nullptr);
    for (ArrayWriter* w : std::initializer_list<ArrayWriter*>{&result, &run}) {
        const std::string values = thrown<std::invalid_argument>([&] {
            w->write_array("/summary/province/covered", {2, 3}, {"a", "b"}, "workers", counting(5));
        });
        EXPECT_NE(values.find("/summary/province/covered"), std::string::npos) << values;
        const std::string names = thrown<std::invalid_argument>([&] {
            w->write_array("/summary/x", {2, 3}, {"a"}, "workers", counting(6));
        });
        EXPECT_NE(names.find("/summary/x"), std::string::npos) << names;
        const std::string huge = thrown<std::invalid_argument>([&] {
            w->write_array("/summary/huge", {std::size_t{1} << 33, std::size_t{1} << 33, 4},
                           {"a", "b", "c"}, "workers", {});
        });
        EXPECT_NE(huge.find("/summary/huge"), std::string::npos) << huge;
        EXPECT_THROW(w->write_array("/", {1}, {"a"}, "workers", {1}), std::invalid_argument);
    }
    result.commit();
    // Nothing was created by the rejected calls.
    EXPECT_EQ(RunFileReader(dir.path() / "result.h5").members("/"),
              (std::vector<std::string>{"meta"}));
}

TEST(ArrayWriter, HDF5ErrorsNameTheFileAndObject) {
    const ScratchDir dir;
    ResultFileWriter writer(dir.path() / "result.h5", nullptr);
    writer.write_array("/summary/covered", {1}, {"a"}, "workers", {1});
    const std::string file = writer.temporary_path().string();
    const std::string twice = thrown<std::runtime_error>(
        [&] { writer.write_array("/summary/covered", {1}, {"a"}, "workers", {1}); });
    EXPECT_NE(twice.find(file), std::string::npos) << twice;
    EXPECT_NE(twice.find("/summary/covered"), std::string::npos) << twice;
    const std::string under_dataset = thrown<std::runtime_error>(
        [&] { writer.write_array("/summary/covered/x", {1}, {"a"}, "workers", {1}); });
    EXPECT_NE(under_dataset.find("/summary/covered"), std::string::npos) << under_dataset;
    const std::string missing =
        thrown<std::runtime_error>([&] { writer.write_attribute("/nowhere", "note", "x"); });
    EXPECT_NE(missing.find(file), std::string::npos) << missing;
    EXPECT_NE(missing.find("/nowhere"), std::string::npos) << missing;
    writer.write_attribute("/summary", "note", "x");
    const std::string again =
        thrown<std::runtime_error>([&] { writer.write_attribute("/summary", "note", "y"); });
    EXPECT_NE(again.find("/summary@note"), std::string::npos) << again;
    // The writer is still usable after an error.
    writer.write_array("/summary/lapsed", {1}, {"a"}, "workers", {2});
    EXPECT_NO_THROW(writer.commit());
}

// ---- result files ---------------------------------------------------------------------------

TEST(ResultFile, CommitRenamesTheTemporaryFile) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "compare.h5";
    ResultFileWriter writer(file, nullptr);
    const fs::path temporary = writer.temporary_path();
    EXPECT_EQ(temporary, dir.path() / ("compare.h5.tmp-" + std::to_string(getpid())));
    EXPECT_TRUE(present(temporary));
    EXPECT_FALSE(present(file));
    writer.write_array("/difference/covered", {2}, {"month"}, "workers", {1, 2});
    writer.commit();
    EXPECT_EQ(directory_listing(dir.path()), (std::vector<std::string>{"compare.h5"}));
    EXPECT_THROW(writer.commit(), std::logic_error);
    const RunFileReader reader(file);
    EXPECT_EQ(reader.string_attribute("/meta", "engine_version"), engine_version());
    EXPECT_EQ(reader.members("/"), (std::vector<std::string>{"difference", "meta"}));
}

TEST(ResultFile, AnUncommittedFileLeavesNothingBehind) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "compare.h5";
    EXPECT_THROW(
        {
            ResultFileWriter writer(file, nullptr);
            writer.write_array("/difference/covered", {2}, {"month"}, "workers", {1, 2});
            throw std::runtime_error("interrupted");
        },
        std::runtime_error);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ResultFile, MissingDirectoryIsAnErrorNamingThePath) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "no-such-dir" / "compare.h5";
    const std::string message =
        thrown<std::runtime_error>([&] { ResultFileWriter w(file, nullptr); });
    EXPECT_NE(message.find(file.string()), std::string::npos) << message;
    EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
    EXPECT_TRUE(fs::is_empty(dir.path()));
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

/// A run whose writer also reads the replicates back (or not) and adds a summary array.
void write_summarised_run(const fs::path& output, bool keep_replicates, bool read_back) {
    const Scenario& s = sawahlunto();
    RunInfo info = small_run(s);
    info.keep_replicates = keep_replicates;
    RunFileWriter writer(output, s, info, nullptr);
    std::vector<ReplicateSeries> written;
    write_replicates(writer, s, info, written);
    if (read_back) {
        for (std::size_t m = 0; m < series_metric_count; ++m)
            writer.read_series(static_cast<SeriesMetric>(m), 1, 3);
        for (std::size_t m = 0; m < programme_metric_count; ++m)
            writer.read_programme_series(static_cast<ProgrammeMetric>(m));
    }
    writer.write_array("/summary/province/covered", {2, 3}, {"statistic", "month"}, "workers",
                       counting(6));
    writer.write_attribute("/summary", "statistics", std::vector<std::string>{"mean", "p95"});
    writer.commit();
}

TEST(RunFile, ReadingBackAndScratchReplicatesKeepFilesByteIdentical) {
    const ScratchDir dir;
    write_summarised_run(dir.path() / "a-kept.h5", true, false);
    write_summarised_run(dir.path() / "a-summaries.h5", false, false);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    write_summarised_run(dir.path() / "b-kept.h5", true, true);
    write_summarised_run(dir.path() / "b-summaries.h5", false, true);
    const std::string kept = test::read_file(dir.path() / "a-kept.h5");
    const std::string summaries = test::read_file(dir.path() / "a-summaries.h5");
    EXPECT_FALSE(kept.empty());
    EXPECT_FALSE(summaries.empty());
    EXPECT_LT(summaries.size(), kept.size());
    EXPECT_TRUE(kept == test::read_file(dir.path() / "b-kept.h5"));
    EXPECT_TRUE(summaries == test::read_file(dir.path() / "b-summaries.h5"));
}

TEST(ResultFile, SameDataGivesByteIdenticalFiles) {
    const ScratchDir dir;
    const auto write = [](const fs::path& output) {
        ResultFileWriter writer(output, nullptr);
        writer.write_strings("/scenarios/name", {"baseline", "funded"}, "scenario", "text");
        writer.write_array("/difference/province/covered", {2, 3, 2},
                           {"statistic", "month", "province"}, "workers", counting(12));
        writer.write_array("/difference/province/none", {0, 2}, {"month", "province"}, "IDR", {});
        writer.write_attribute("/difference", "statistics", std::vector<std::string>{"mean"});
        writer.write_attribute("/scenarios/name", "note", "as given");
        writer.commit();
    };
    write(dir.path() / "a.h5");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    write(dir.path() / "b.h5");
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
    const std::string script =
        (test::source_dir() / "tests" / "store" / "check_run_file.py").string();
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
        RunFileWriter writer(file, s, info, nullptr);
        for (std::uint32_t r = 0; r < info.replicates; ++r) {
            ReplicateSeries series = fake_series(s, info, r);
            if (r == 1) series.at(SeriesMetric::covered, 2, 0, Segment::informal) += 1;
            writer.write_replicate(r, series);
        }
        writer.commit();
    }
    const std::string script =
        (test::source_dir() / "tests" / "store" / "check_run_file.py").string();
    const auto r = run_command({python, script, file.string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("covered"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("informal"), std::string::npos) << r.err;
}

} // namespace
} // namespace ulcsim
