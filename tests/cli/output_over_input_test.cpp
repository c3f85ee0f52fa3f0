// Outputs never replace inputs: naming a command's own scenario, the file it extends, its run
// file or a link to any of them as the output is refused with exit status 2 and leaves every
// file as it was; an empty output name is refused; nothing is left under the output name.

#include "support/test_support.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

constexpr const char* base_toml = R"(
[run]
name = "small"
start = "2024-01"
months = 3
replicates = 1
[regions]
include = ["33.71"]
[population]
scale = 20
)";

constexpr const char* child_toml = R"(extends = "base.toml"
[run]
name = "child"
)";

/// The scratch folder's files and their contents.
std::vector<std::pair<std::string, std::string>> snapshot(const fs::path& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& entry : fs::directory_iterator(dir))
        out.emplace_back(entry.path().filename().string(),
                         entry.is_regular_file() ? test::read_file(entry.path()) : "");
    std::sort(out.begin(), out.end());
    return out;
}

void expect_refused(const test::ProcessResult& r, const std::string& output) {
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(output), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("this command reads it"), std::string::npos) << r.err;
}

} // namespace

TEST(OutputOverInput, TheScenarioItsBaseAndLinksToThemAreRefusedAndLeftAsTheyWere) {
    const test::ScratchDir dir;
    const fs::path base = dir.write("base.toml", base_toml);
    const fs::path child = dir.write("child.toml", child_toml);
    fs::create_hard_link(child, dir.path() / "hard.h5");
    fs::create_symlink(base, dir.path() / "soft.h5");
    const auto before = snapshot(dir.path());

    for (const fs::path& output : {child, base, dir.path() / "hard.h5", dir.path() / "soft.h5"}) {
        expect_refused(test::run_program({"run", child.string(), "-o", output.string(), "-q"}),
                       output.string());
        EXPECT_EQ(snapshot(dir.path()), before) << "after -o " << output;
    }
    // The same through another spelling of the path.
    const fs::path roundabout = dir.path() / "." / "child.toml";
    expect_refused(test::run_program({"forecast", child.string(), "-o", roundabout.string(), "-q"}),
                   roundabout.string());
    EXPECT_EQ(snapshot(dir.path()), before);
}

TEST(OutputOverInput, ACsvBesideTheOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten) {
    // The run's summary CSV would be <output>.summary.csv: here that is the scenario itself.
    const test::ScratchDir dir;
    const fs::path scenario = dir.write("x.summary.csv", base_toml);
    const auto before = snapshot(dir.path());
    const auto r =
        test::run_program({"run", scenario.string(), "-o", (dir.path() / "x.h5").string(), "-q"});
    expect_refused(r, scenario.string());
    EXPECT_EQ(snapshot(dir.path()), before) << "no x.h5, no temporary file";
}

TEST(OutputOverInput, AReportOverItsOwnRunFileIsRefused) {
    const test::ScratchDir dir;
    const fs::path scenario = dir.write("base.toml", base_toml);
    const fs::path run = dir.path() / "run.h5";
    ASSERT_EQ(test::run_program({"run", scenario.string(), "-o", run.string(), "-q"}).status, 0);
    const auto before = snapshot(dir.path());
    expect_refused(test::run_program({"report", run.string(), "-o", run.string()}), run.string());
    EXPECT_EQ(snapshot(dir.path()), before);
}

TEST(OutputOverInput, AnEmptyOutputNameIsRefused) {
    const test::ScratchDir dir;
    const fs::path scenario = dir.write("base.toml", base_toml);
    for (const char* command : {"run", "forecast", "calibrate"}) {
        const auto r = test::run_program({command, scenario.string(), "-o", "", "-q"});
        EXPECT_EQ(r.status, 2) << command << ": " << r.out << r.err;
        EXPECT_NE(r.err.find("-o: the output name is empty"), std::string::npos)
            << command << ": " << r.err;
    }
}
