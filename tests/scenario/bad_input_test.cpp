// The bad-input corpus (tests/scenario/bad_input/, format in its README.md): every case must make
// `ulcsim validate` exit with status 2, print nothing on stdout, and report exactly the
// problems its header lists — each at the right file and line, under the right key.

#include "support/test_support.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct Expectation {
    std::string line; ///< "12", "bases/x.toml:3" or "-"
    std::string key;  ///< "-" for none
    std::string message;
};

struct Case {
    fs::path file;
    std::vector<std::string> args;
    std::vector<Expectation> expectations;
};

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t\r");
    const auto last = s.find_last_not_of(" \t\r");
    return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

Case read_case(const fs::path& file) {
    Case c{file, {}, {}};
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line) && line.starts_with("#")) {
        if (line.starts_with("# args:")) {
            std::istringstream words(line.substr(7));
            for (std::string w; words >> w;)
                c.args.push_back(w);
        } else if (line.starts_with("# expect:")) {
            const std::string body = line.substr(9);
            const auto bar = body.find(" | ");
            std::istringstream head(body.substr(0, bar));
            Expectation e;
            head >> e.line >> e.key;
            e.message = trim(body.substr(bar + 3));
            c.expectations.push_back(e);
        }
    }
    return c;
}

std::vector<fs::path> case_files() {
    std::vector<fs::path> files;
    for (const auto& entry :
         fs::directory_iterator(ulcsim::test::source_dir() / "tests" / "scenario" / "bad_input"))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> error_lines(const std::string& err) {
    std::vector<std::string> lines;
    std::istringstream in(err);
    for (std::string l; std::getline(in, l);)
        if (l.find(": error: ") != std::string::npos) lines.push_back(l);
    return lines;
}

} // namespace

class BadInput : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadInput, IsRejectedWithEveryProblemLocated) {
    const Case c = read_case(GetParam());
    ASSERT_FALSE(c.expectations.empty()) << "case has no '# expect:' line";
    std::vector<std::string> args{"validate", c.file.string()};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto result = ulcsim::test::run_program(args);

    EXPECT_EQ(result.status, 2) << result.err;
    EXPECT_EQ(result.out, "");
    const auto lines = error_lines(result.err);
    EXPECT_EQ(lines.size(), c.expectations.size()) << result.err;

    for (const Expectation& e : c.expectations) {
        std::string where;
        if (e.line == "-")
            where = "--set ";
        else if (e.line.find(':') != std::string::npos)
            where = "/" + e.line + ":"; // a base file: bases/NAME.toml:N
        else
            where = c.file.string() + ":" + e.line + ":";
        const std::string key = e.key == "-" ? "" : "error: " + e.key + ":";
        const bool found = std::any_of(lines.begin(), lines.end(), [&](const std::string& l) {
            return l.find(where) != std::string::npos &&
                   (key.empty() || l.find(key) != std::string::npos) &&
                   l.find(e.message) != std::string::npos;
        });
        EXPECT_TRUE(found) << "expected a line with '" << where << "', '" << key << "' and '"
                           << e.message << "' in:\n"
                           << result.err;
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(case_files()),
                         [](const auto& param_info) {
                             std::string name = param_info.param.stem().string();
                             for (char& ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             return "case_" + name;
                         });

TEST(BadInputCorpus, IsLargeEnough) {
    EXPECT_GE(case_files().size(), 30u);
}

// The validator reads [run] before [[observation]]; the problems come out in the file's order
// all the same, so a user fixes the file from top to bottom.
TEST(BadInputOrder, ProblemsArePrintedByLineWhateverOrderTheValidatorFindsThemIn) {
    const ulcsim::test::ScratchDir dir;
    const fs::path file = dir.path() / "order.toml";
    std::ofstream(file) << "[[observation]]\nregion = \"33.71\"\nmonth = \"2024-10\"\n"
                           "source = \"x\"\nvalue = 5\n[run]\nstart = \"2024-01\"\nmonths = 0\n"
                           "[regions]\ninclude = [\"33.71\"]\n";
    const auto result = ulcsim::test::run_program({"validate", file.string()});
    EXPECT_EQ(result.status, 2);
    const auto lines = error_lines(result.err);
    ASSERT_EQ(lines.size(), 2u) << result.err;
    EXPECT_NE(lines[0].find(file.string() + ":5:"), std::string::npos) << result.err;
    EXPECT_NE(lines[1].find(file.string() + ":8:"), std::string::npos) << result.err;
}

// Warnings: a valid scenario that asks what it cannot get is run (exit 0), with a located
// warning per limit; the shipped scenarios have none.
TEST(ScenarioWarnings, AQuotaAboveTheEligibleWorkersAndABudgetThatCannotFundItAreLocated) {
    const ulcsim::test::ScratchDir dir;
    const fs::path file = dir.path() / "big-quota.toml";
    std::ofstream(file) << "extends = \""
                        << (ulcsim::test::scenarios_dir() / "kota-magelang-2025.toml").string()
                        << "\"\n[[programme]]\nname = \"kota-magelang-apbd\"\n"
                           "quota_workers = 300000\n";
    const auto result = ulcsim::test::run_program({"validate", "-q", file.string()});
    EXPECT_EQ(result.status, 0) << result.err;
    EXPECT_NE(result.err.find(file.string() +
                              ":4:17: warning: programme[0].quota_workers: a quota of 300,000 "
                              "workers, but its regions have about "),
              std::string::npos)
        << result.err;
    // The base's budget for 2025 buys 2,044 places, under 80% of the eligible workers.
    EXPECT_NE(result.err.find("kota-magelang-2025.toml:42:8: warning: "
                              "programme[0].budget_idr_per_year.2025: Rp412,070,400 pays "
                              "Rp16,800 a month for 2,044 workers"),
              std::string::npos)
        << result.err;
    for (const auto& entry : fs::directory_iterator(ulcsim::test::scenarios_dir())) {
        if (entry.path().extension() != ".toml") continue;
        const auto shipped = ulcsim::test::run_program({"validate", "-q", entry.path().string()});
        EXPECT_EQ(shipped.err, "") << entry.path();
    }
}
