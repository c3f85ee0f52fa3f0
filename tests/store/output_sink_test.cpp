// The output sink: a discarding sink leaves nothing on disk, and remove_temporary_files()
// removes exactly the temporary files registered at that moment.

#include "support/test_support.hpp"
#include "ulcsim/output_sink.hpp"
#include "ulcsim/store.hpp"

#include <fstream>
#include <gtest/gtest.h>

namespace ulcsim {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;

void touch(const fs::path& file) {
    std::ofstream(file) << "partial";
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(dir))
        out.push_back(entry.path().filename());
    return out;
}

TEST(OutputSink, DiscardsOnlyWhenAsked) {
    EXPECT_FALSE(OutputSink().discards());
    EXPECT_TRUE(OutputSink(true).discards());
}

TEST(OutputSink, ADiscardingSinkWritesNoResultFile) {
    const ScratchDir dir;
    OutputSink sink(true);
    ResultFileWriter writer(dir.path() / "result.h5", &sink);
    writer.write_array("/a/b", {2}, {"x"}, "workers", {1.0, 2.0});
    writer.commit();
    EXPECT_EQ(files_in(dir.path()), std::vector<fs::path>{});
}

TEST(OutputSink, ADiscardingSinkWritesNoRunFile) {
    const ScratchDir dir;
    const Scenario s = load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml");
    RunInfo info = run_info_of(s, 1);
    info.months = 2;
    info.replicates = 1;
    OutputSink sink(true);
    RunFileWriter writer(dir.path() / "run.h5", s, info, &sink);
    writer.write_replicate(0, ReplicateSeries(2, s.regions.size(), s.programmes.size()));
    writer.commit();
    EXPECT_EQ(files_in(dir.path()), std::vector<fs::path>{});
}

// A discarding sink does not need the output's directory: other ranks may not see it.
TEST(OutputSink, ADiscardingSinkNeedsNoDirectory) {
    const ScratchDir dir;
    OutputSink sink(true);
    ResultFileWriter writer(dir.path() / "missing" / "result.h5", &sink);
    writer.commit();
    EXPECT_FALSE(fs::exists(dir.path() / "missing"));
}

TEST(OutputSink, RemovesARegisteredTemporary) {
    const ScratchDir dir;
    OutputSink sink;
    const fs::path file = dir.path() / "out.csv.tmp";
    touch(file);
    const OutputSink::Temporary temporary(&sink, file);
    sink.remove_temporary_files();
    EXPECT_FALSE(fs::exists(file));
}

TEST(OutputSink, ForgetsATemporaryWhenItEnds) {
    const ScratchDir dir;
    OutputSink sink;
    const fs::path file = dir.path() / "out.csv";
    touch(file);
    { const OutputSink::Temporary temporary(&sink, file); }
    sink.remove_temporary_files();
    EXPECT_TRUE(fs::exists(file));
}

TEST(OutputSink, RemovesAWritersTemporaryFile) {
    const ScratchDir dir;
    OutputSink sink;
    ResultFileWriter writer(dir.path() / "result.h5", &sink);
    ASSERT_TRUE(fs::exists(writer.temporary_path()));
    sink.remove_temporary_files();
    EXPECT_FALSE(fs::exists(writer.temporary_path()));
}

// Two sinks are independent: one process may run two commands side by side.
TEST(OutputSink, RemovesOnlyItsOwnTemporaries) {
    const ScratchDir dir;
    OutputSink mine, theirs;
    const fs::path a = dir.path() / "a.tmp", b = dir.path() / "b.tmp";
    touch(a);
    touch(b);
    const OutputSink::Temporary ta(&mine, a), tb(&theirs, b);
    mine.remove_temporary_files();
    EXPECT_FALSE(fs::exists(a));
    EXPECT_TRUE(fs::exists(b));
}

} // namespace
} // namespace ulcsim
