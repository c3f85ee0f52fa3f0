// `ulcsim inspect` as a user meets it: the facts it prints are the run file's own (the
// headline equal to what `ulcsim run` printed when it wrote the file), for every kind of
// file the program writes, and anything that is not a run file is refused in one line.

#include "support/test_support.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

std::string magelang_2025() {
    return (test::scenarios_dir() / "kota-magelang-2025.toml").string();
}

// Eight months reach July 2024, when the APBD programme starts, so its members and spending
// are not all zero; a seed that is not the scenario's shows inspect reads the file's.
const std::vector<std::string> small_run{"--replicates", "3", "--months",  "8",
                                         "--seed",       "7", "--threads", "2"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

/// The line of `text` that starts with `prefix`, or "" when none does.
std::string line_starting(const std::string& text, const std::string& prefix) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
        if (line.starts_with(prefix)) return line;
    return "";
}

std::string thousands(std::uintmax_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

/// The files the tests inspect, written once by the program itself.
struct Files {
    test::ScratchDir dir;
    fs::path run = dir.path() / "run.h5";
    fs::path summaries = dir.path() / "summaries.h5";
    fs::path forecast = dir.path() / "forecast.h5";
    fs::path checkpoint = dir.path() / "checkpoint.h5";
    test::ProcessResult run_result, summaries_result, forecast_result, checkpoint_result;

    Files() {
        run_result =
            test::run_program(with({"run", magelang_2025(), "-o", run.string()}, small_run));
        summaries_result = test::run_program(with(
            {"run", magelang_2025(), "-o", summaries.string(), "--keep", "summaries"}, small_run));
        forecast_result = test::run_program(
            with({"forecast", magelang_2025(), "-o", forecast.string()}, small_run));
        checkpoint_result = test::run_program(
            with({"run", magelang_2025(), "-o", checkpoint.string(), "--checkpoint-at", "2024-04"},
                 small_run));
    }
};

const Files& files() {
    static const Files f;
    return f;
}

test::ProcessResult inspect(const fs::path& file) {
    return test::run_program({"inspect", file.string()});
}

/// What every run file's summary says, whatever command wrote it.
void expect_run_facts(const test::ProcessResult& r, const test::ProcessResult& writer) {
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("  scenario     kota-magelang-2025\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("               Kota Magelang (33.71): APBD JKK+JKM for 2,044"),
              std::string::npos)
        << "the scenario's description\n"
        << r.out;
    EXPECT_NE(r.out.find("  seed         7\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  months       8: 2024-01 … 2024-08\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  threads      2 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  scale        1 worker per agent\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  regions      1 kabupaten/kota in 1 province: Kota Magelang (33.71)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  programmes   1: kota-magelang-apbd\n"), std::string::npos) << r.out;

    // The headline is the one the writing command printed, figure for figure.
    ASSERT_EQ(writer.status, 0) << writer.err;
    for (const std::string label :
         {"  coverage     ", "               (mean [90% interval]", "  programme    "}) {
        const std::string expected = line_starting(writer.out, label);
        ASSERT_FALSE(expected.empty()) << label << " not in\n" << writer.out;
        EXPECT_NE(r.out.find(expected + "\n"), std::string::npos) << "expected\n"
                                                                  << expected << "\nin\n"
                                                                  << r.out;
    }
    EXPECT_NE(line_starting(writer.out, "  programme    ").find("at most 2,0"), std::string::npos)
        << "the programme has members by August 2024\n"
        << writer.out;
    // `run` prints the shares' means; inspect adds their intervals.
    std::smatch share;
    const std::string share_line = line_starting(writer.out, "  share        ");
    ASSERT_TRUE(std::regex_search(share_line, share, std::regex(R"(([0-9.]+%) → ([0-9.]+%))")))
        << writer.out;
    EXPECT_NE(r.out.find("  share        " + share[1].str() + " ["), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("] → " + share[2].str() + " ["), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  labour force "), std::string::npos) << r.out;
}

} // namespace

TEST(InspectCommand, SummarisesARunFileWithTheFiguresRunPrinted) {
    const Files& f = files();
    const auto r = inspect(f.run);
    expect_run_facts(r, f.run_result);
    EXPECT_TRUE(r.out.starts_with(f.run.string() + ": a run file of `ulcsim run` (written by "
                                                   "ulcsim "))
        << r.out;
    EXPECT_NE(r.out.find("  replicates   3, every replicate's series kept"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Size: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" on disk (" + thousands(fs::file_size(f.run)) + " bytes)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("/series, /programs: 34 datasets"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("/summary: 97 datasets"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n  registered   "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Forecast"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("Checkpoint"), std::string::npos) << r.out;
}

// A run file carries its scenario: printed by inspect --scenario and run again with nothing
// else, it gives the same series (the key table's version is recorded beside it).
TEST(InspectCommand, TheStoredScenarioRunsAgainToTheSameSeries) {
    const test::ScratchDir dir;
    const fs::path first = dir.path() / "first.h5", again = dir.path() / "again.h5";
    const auto run = test::run_program(with(
        {"run", magelang_2025(), "-o", first.string(), "--set", "population.scale=20"}, small_run));
    ASSERT_EQ(run.status, 0) << run.err;
    const auto printed = test::run_program({"inspect", first.string(), "--scenario"});
    ASSERT_EQ(printed.status, 0) << printed.err;
    EXPECT_NE(printed.out.find("scale = 20"), std::string::npos) << printed.out;
    const fs::path toml = dir.write("stored.toml", printed.out);
    const auto rerun =
        test::run_program({"run", toml.string(), "-o", again.string(), "--threads", "1"});
    ASSERT_EQ(rerun.status, 0) << rerun.err;
    const RunFileReader a(first), b(again);
    EXPECT_EQ(read_run_meta(a).key_table_version, scenario_key_table_version);
    EXPECT_EQ(read_run_meta(b).seed, 7);
    for (const SeriesMetric m : {SeriesMetric::covered, SeriesMetric::labour_force}) {
        const StoredArray x = read_series(a, m), y = read_series(b, m);
        EXPECT_EQ(x.dims, y.dims);
        EXPECT_EQ(x.values, y.values) << series_metric_names[static_cast<std::size_t>(m)];
    }
}

TEST(InspectCommand, SaysWhenOnlyTheSummariesWereKept) {
    const Files& f = files();
    const auto r = inspect(f.summaries);
    expect_run_facts(r, f.summaries_result);
    EXPECT_NE(r.out.find("  replicates   3, only their summaries kept (--keep summaries)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("not kept (--keep summaries)"), std::string::npos) << r.out;
}

TEST(InspectCommand, ShowsTheForecastOfAForecastRunFile) {
    const Files& f = files();
    const auto r = inspect(f.forecast);
    // forecast prints no headline; its ensemble is the run's (same scenario, seed and
    // replicates), so the figures are the run's.
    ASSERT_EQ(f.forecast_result.status, 0) << f.forecast_result.err;
    expect_run_facts(r, f.run_result);
    EXPECT_TRUE(r.out.starts_with(f.forecast.string() + ": a run file of `ulcsim forecast`"))
        << r.out;
    EXPECT_NE(r.out.find("Forecast (/forecast): first month with coverage_share ≥ 51.49%, 3 "
                         "replicates:\n"),
              std::string::npos)
        << r.out;
    // Kota Magelang is far from 51.49% in eight months: every replicate is "never".
    const std::string forecast_row = line_starting(f.forecast_result.out, "  Kota Magelang");
    std::smatch start;
    ASSERT_TRUE(std::regex_search(forecast_row, start, std::regex(R"(\s([0-9.]+%)\s)")))
        << f.forecast_result.out;
    const std::string row = line_starting(r.out, "  Kota Magelang (33.71)");
    EXPECT_NE(row.find(" " + start[1].str() + " "), std::string::npos)
        << "coverage at the start as forecast printed it\n"
        << row << "\n"
        << forecast_row;
    EXPECT_NE(row.find("> 2024-08"), std::string::npos) << row;
    EXPECT_NE(row.find("100% (3/3)"), std::string::npos) << row;
}

TEST(InspectCommand, ShowsTheCheckpointOfARunThatTookOne) {
    const Files& f = files();
    const auto r = inspect(f.checkpoint);
    expect_run_facts(r, f.checkpoint_result);
    EXPECT_TRUE(r.out.starts_with(f.checkpoint.string() +
                                  ": a run file of `ulcsim run`, with a checkpoint"))
        << r.out;
    EXPECT_NE(
        r.out.find("Checkpoint (/checkpoint): every replicate's state at the start of 2024-04\n"),
        std::string::npos)
        << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  replicates   3, [0-9,]+ agents each)")))
        << r.out;
    EXPECT_NE(r.out.find("  origin       2024-01 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--from-checkpoint " + f.checkpoint.string() + " --set run.start=2024-04"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  checkpoint "), std::string::npos) << "its size\n" << r.out;
}

TEST(InspectCommand, NamesAComparisonFileAndShowsItsFigures) {
    const test::ScratchDir dir;
    const fs::path out = dir.path() / "km.h5";
    const auto written = test::run_program(
        {"compare", (test::scenarios_dir() / "kota-magelang-2024.toml").string(), magelang_2025(),
         "-o", out.string(), "--replicates", "2", "--months", "8", "-q"});
    ASSERT_EQ(written.status, 0) << written.err;
    const auto r = inspect(out);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with(out.string() + ": a comparison file of `ulcsim compare`"))
        << r.out;
    EXPECT_NE(r.out.find("not a run file"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  scenarios    kota-magelang-2024, kota-magelang-2025"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  covered_worker_months "), std::string::npos) << r.out;
}

TEST(InspectCommand, RefusesWhatIsNotARunFileInOneLineWithStatus2) {
    const test::ScratchDir dir;
    const fs::path text = dir.write("notes.h5", "not HDF5 at all\n");
    const fs::path empty = dir.write("empty.h5", "");
    const std::string run = test::read_file(files().run);
    const fs::path truncated = dir.write("truncated.h5", run.substr(0, 4096));
    const fs::path missing = dir.path() / "missing.h5";
    struct Case {
        fs::path file;
        std::string message;
    };
    std::vector<Case> cases{
        {missing, ": error: no such file\n"},
        {text, ": error: not an HDF5 file (ulcsim inspect reads the run files of ulcsim run and "
               "forecast)\n"},
        {empty, ": error: not an HDF5 file"},
        {dir.path(), ": error: a directory, not a run file"},
        {truncated, ": error: cannot read this HDF5 file: "},
    };
    // An HDF5 file that ulcsim did not write: one dataset copied out of a run file.
    const fs::path h5copy = "/usr/bin/h5copy";
    const fs::path foreign = dir.path() / "foreign.h5";
    if (fs::exists(h5copy)) {
        const auto copied = test::run_command({h5copy.string(), "-i", files().run.string(), "-o",
                                               foreign.string(), "-s", "/months", "-d", "/months"});
        ASSERT_EQ(copied.status, 0) << copied.err;
        cases.push_back({foreign, ": error: an HDF5 file, but not one ulcsim wrote: it has no "
                                  "/meta"});
    }
    for (const Case& c : cases) {
        const auto r = inspect(c.file);
        EXPECT_EQ(r.status, 2) << c.file << "\n" << r.err;
        EXPECT_EQ(r.out, "") << c.file;
        EXPECT_TRUE(r.err.starts_with(c.file.string() + c.message)) << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line\n" << r.err;
    }
    if (!fs::exists(h5copy)) GTEST_SKIP() << "h5copy (hdf5-tools) is not installed";
}

TEST(InspectCommand, CommandLine) {
    const auto help = test::run_program({"inspect", "--help"});
    EXPECT_EQ(help.status, 0) << help.err;
    EXPECT_TRUE(help.out.starts_with("Usage: ulcsim inspect RUN.h5")) << help.out;

    const auto none = test::run_program({"inspect"});
    EXPECT_EQ(none.status, 2);
    EXPECT_EQ(none.out, "");
    EXPECT_EQ(none.err, "ulcsim: error: inspect: no run file given (see ulcsim inspect --help)\n");

    const auto two = test::run_program({"inspect", "a.h5", "b.h5"});
    EXPECT_EQ(two.status, 2);
    EXPECT_EQ(two.out, "");
}
