// `ulcsim report`: bad input stops with exit status 2 and a "FILE: error: …" line, leaving
// nothing under the output name; a good run file gives one self-contained page. The charts
// themselves are checked in a browser by report_browser_test.py.

#include "support/test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>

namespace ulcsim::test {
namespace {

TEST(ReportCommand, AMissingFileIsNamedAndNothingIsWritten) {
    ScratchDir dir;
    const auto missing = (dir.path() / "nowhere.h5").string();
    const auto page = dir.path() / "report.html";
    const ProcessResult r = run_program({"report", missing, "-o", page.string()});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(missing + ": error: "), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(page));
}

TEST(ReportCommand, AFileThatIsNotHdf5IsRefused) {
    ScratchDir dir;
    const auto text = dir.write("notes.h5", "not an HDF5 file\n");
    const auto page = dir.path() / "report.html";
    const ProcessResult r = run_program({"report", text.string(), "-o", page.string()});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find(text.string() + ": error: "), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(page));
}

TEST(ReportCommand, OutputAndLanguageAreChecked) {
    ScratchDir dir;
    EXPECT_EQ(run_program({"report", "run.h5"}).status, 2);
    const ProcessResult r =
        run_program({"report", "run.h5", "-o", (dir.path() / "r.html").string(), "--lang", "fr"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--lang"), std::string::npos) << r.err;
    // A page in a directory that does not exist is refused before any run file is read.
    const auto nowhere = dir.path() / "missing" / "r.html";
    const ProcessResult m = run_program({"report", "run.h5", "-o", nowhere.string()});
    EXPECT_EQ(m.status, 2);
    EXPECT_NE(m.err.find("ulcsim: error: cannot write " + nowhere.string() + ": directory"),
              std::string::npos)
        << m.err;
}

TEST(ReportCommand, WritesOnePageThatNeedsNoNetwork) {
    ScratchDir dir;
    const auto run = (dir.path() / "km.h5").string();
    ASSERT_EQ(run_program({"run", (scenarios_dir() / "kota-magelang-2025.toml").string(), "-o", run,
                           "--replicates", "3", "--quiet"})
                  .status,
              0);
    const auto page = dir.path() / "report.html";
    const ProcessResult r = run_program({"report", run, "-o", page.string(), "--lang", "id"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string html = read_file(page);
    EXPECT_NE(html.find("<html lang=\"id\">"), std::string::npos);
    EXPECT_NE(html.find("Chart.js v4"), std::string::npos);
    EXPECT_NE(html.find("\"scenario\":\"kota-magelang-2025\""), std::string::npos);
    EXPECT_EQ(html.find("<script src="), std::string::npos);
    EXPECT_EQ(html.find("sourceMappingURL"), std::string::npos);
    // No temporary page and no lock left beside it.
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"km.h5", "km.programmes.csv", "km.summary.csv",
                                               "report.html"}));
}

} // namespace
} // namespace ulcsim::test
