// The CLI misuse corpus (tests/cli/misuse/, format in its README.md): every case is a command
// line a user might get wrong, and must make `ulcsim` exit with its expected status and a
// message that says what is wrong — never "internal error", nothing on stdout, nothing written
// and every input left as it was.

#include "support/test_support.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <stdexcept>

namespace {

namespace fs = std::filesystem;
using ulcsim::test::ScratchDir;

struct Case {
    std::string command; ///< the corpus file's name: run, compare, …
    int number = 0;      ///< 1, 2, … within its file
    std::string what;
    std::string args;
    int status = -1;
    std::string message;
};

std::string trim(std::string s) {
    const auto first = s.find_first_not_of(" \t\r");
    const auto last = s.find_last_not_of(" \t\r");
    return first == std::string::npos ? "" : s.substr(first, last - first + 1);
}

fs::path corpus_dir() {
    return ulcsim::test::source_dir() / "tests" / "cli" / "misuse";
}

std::vector<Case> read_cases() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(corpus_dir()))
        if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<Case> cases;
    for (const fs::path& file : files) {
        std::ifstream in(file);
        Case c;
        c.command = file.stem().string();
        int number = 0;
        for (std::string line; std::getline(in, line);) {
            if (line.starts_with("# what:")) {
                c = Case{c.command, ++number, trim(line.substr(7)), "", -1, ""};
            } else if (line.starts_with("# args:")) {
                c.args = trim(line.substr(7));
            } else if (line.starts_with("# expect:")) {
                const std::string body = line.substr(9);
                const auto bar = body.find(" | ");
                c.status = bar == std::string::npos ? -1 : std::stoi(body.substr(0, bar));
                c.message = bar == std::string::npos ? "" : trim(body.substr(bar + 3));
                cases.push_back(c);
            }
        }
    }
    return cases;
}

const std::string small_scenario = "[run]\nstart = \"2024-01\"\nmonths = 2\nreplicates = 2\n\n"
                                   "[regions]\ninclude = [\"33.71\"]\n";

/// A run file of the small scenario, made once per test program (and only when a case names
/// one), copied into each case's folder.
const fs::path& made_run_file() {
    static const ScratchDir dir;
    static const fs::path file = [] {
        const fs::path scenario = dir.write("made.toml", small_scenario);
        const fs::path run = dir.path() / "made.h5";
        const auto r = ulcsim::test::run_program(
            {"run", scenario.string(), "-o", run.string(), "-q", "--threads", "1"});
        if (r.status != 0) throw std::runtime_error("cannot make the run file: " + r.err);
        return run;
    }();
    return file;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

/// Every file under `dir` with its size and a hash of its contents, to see that a case
/// changed nothing (and to print a short list if it did).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file()) {
            files[entry.path().string()] = "(directory)";
            continue;
        }
        const std::string contents = ulcsim::test::read_file(entry.path());
        files[entry.path().string()] = std::to_string(contents.size()) + " bytes, hash " +
                                       std::to_string(std::hash<std::string>{}(contents));
    }
    return files;
}

} // namespace

class Misuse : public ::testing::TestWithParam<Case> {};

TEST_P(Misuse, IsRefusedWithItsStatusAndAMessageAndWritesNothing) {
    const Case& c = GetParam();
    ASSERT_NE(c.status, -1) << "'# expect:' needs STATUS | MESSAGE";
    ASSERT_FALSE(c.args.empty()) << "'# args:' is missing";
    // The case runs in a folder of its own (its current directory too, where default output
    // names go), holding its inputs.
    const ScratchDir dir;
    const fs::path here = dir.path();
    dir.write("small.toml", small_scenario);
    dir.write("other.toml", replace_all(small_scenario, "33.71", "33.08"));
    dir.write("observed.toml", small_scenario + "\n[[observation]]\nregion = \"33.71\"\n"
                                                "month = \"2024-02\"\nsource = \"test\"\n"
                                                "value = 0.3\n");
    fs::create_directory(here / "emptydir");
    fs::create_directory(here / "out");
    for (const char* run : {"{run}", "{run2}"})
        if (c.args.find(run) != std::string::npos)
            fs::copy_file(made_run_file(),
                          here / (std::string(run).substr(1, std::string(run).size() - 2) + ".h5"));
    const std::map<std::string, std::string> placeholders{
        {"{scenario}", (here / "small.toml").string()},
        {"{other}", (here / "other.toml").string()},
        {"{observed}", (here / "observed.toml").string()},
        {"{run}", (here / "run.h5").string()},
        {"{run2}", (here / "run2.h5").string()},
        {"{dir}", (here / "emptydir").string()},
        {"{missing}", (here / "missing.toml").string()},
        {"{out}", (here / "out" / "out.h5").string()},
        {"{case}", here.string()}};
    const auto expand = [&](std::string text) {
        for (const auto& [name, value] : placeholders)
            text = replace_all(text, name, value);
        return text;
    };
    const auto before = snapshot(here);

    // `timeout` ends a case that would start a server or a long run instead of refusing it.
    std::vector<std::string> command{"timeout", "60", "env", "-C", here.string(), ULCSIM_PROGRAM};
    std::istringstream words(c.args);
    for (std::string word; words >> word;)
        command.push_back(word == "''" ? "" : expand(word));
    const auto r = ulcsim::test::run_command(command);

    EXPECT_EQ(r.status, c.status) << c.what << "\n" << r.err;
    EXPECT_EQ(r.out, "") << c.what;
    EXPECT_NE(r.err.find(expand(c.message)), std::string::npos)
        << c.what << ": expected '" << expand(c.message) << "' in:\n"
        << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    EXPECT_EQ(snapshot(here), before) << c.what << ": something was written or changed\n" << r.err;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Misuse, ::testing::ValuesIn(read_cases()),
                         [](const auto& param_info) {
                             return param_info.param.command + "_" +
                                    std::to_string(param_info.param.number);
                         });

// Every command of `ulcsim --help` has its file of cases.
TEST(MisuseCorpus, CoversEveryCommand) {
    const auto help = ulcsim::test::run_program({"--help"});
    ASSERT_EQ(help.status, 0);
    std::istringstream lines(help.out.substr(help.out.find("Commands:")));
    std::string line;
    std::getline(lines, line);
    int commands = 0;
    while (std::getline(lines, line) && line.starts_with("  ")) {
        std::istringstream words(line);
        std::string name;
        words >> name;
        ++commands;
        EXPECT_TRUE(fs::exists(corpus_dir() / (name + ".txt"))) << name << " has no cases";
    }
    EXPECT_GE(commands, 11);
    EXPECT_GE(read_cases().size(), 150u);
}
