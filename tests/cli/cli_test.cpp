// The `ulcsim` program as a user meets it: help, exit statuses, messages.

#include "support/test_support.hpp"

#include <gtest/gtest.h>

using ulcsim::test::run_program;

TEST(Cli, HelpListsTheCommands) {
    const auto r = run_program({"--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("validate"), std::string::npos);
    EXPECT_NE(r.out.find("Exit status"), std::string::npos);
}

TEST(Cli, EachCommandHasHelp) {
    const auto r = run_program({"validate", "--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--set"), std::string::npos);
}

TEST(Cli, NoCommandIsBadUsage) {
    const auto r = run_program({});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("Usage"), std::string::npos);
}

TEST(Cli, UnknownCommandIsBadUsage) {
    const auto r = run_program({"simulate"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err,
              "ulcsim: error: unknown command 'simulate' (run 'ulcsim --help' for the list)\n");
}

TEST(Cli, UnknownOptionIsBadUsage) {
    const auto r = run_program({"validate", "--frobnicate", "x.toml"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos);
}

TEST(Cli, ValidateWithoutFileIsBadUsage) {
    const auto r = run_program({"validate"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("no scenario file"), std::string::npos);
}

TEST(Cli, MissingFileIsBadInput) {
    const auto r = run_program({"validate", "no-such-file.toml"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("no-such-file.toml: error: cannot open file (No such file or directory)"),
              std::string::npos)
        << r.err;
}

TEST(Cli, ValidScenarioPrintsItsHeadlines) {
    const auto file = (ulcsim::test::scenarios_dir() / "kota-magelang-2025.toml").string();
    const auto r = run_program({"validate", file});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find(file + ": valid"), std::string::npos);
    EXPECT_NE(r.out.find("Kota Magelang"), std::string::npos);
    EXPECT_NE(r.out.find("kota-magelang-apbd"), std::string::npos);
}

TEST(Cli, SeveralFilesAreAllCheckedAndTheWorstStatusWins) {
    ulcsim::test::ScratchDir dir;
    const auto bad =
        dir.write("bad.toml", "[run]\nstart = \"2024-13\"\n[regions]\ninclude = [\"33.71\"]\n");
    const auto good = (ulcsim::test::scenarios_dir() / "sawahlunto.toml").string();
    const auto r = run_program({"validate", bad.string(), good});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.out.find(good + ": valid"), std::string::npos);
    EXPECT_NE(r.err.find(bad.string() + ":2:9: error: run.start: '2024-13' is not a month"),
              std::string::npos)
        << r.err;
}

TEST(Cli, SetAppliesToValidate) {
    const auto file = (ulcsim::test::scenarios_dir() / "kota-magelang-2024.toml").string();
    const auto r = run_program({"validate", file, "--set", "run.months=48"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("(48 months)"), std::string::npos) << r.out;
}

TEST(Cli, KeysListsWhatMayBeFittedAndVaried) {
    const auto all = run_program({"keys"});
    EXPECT_EQ(all.status, 0) << all.err;
    EXPECT_NE(all.out.find("programme.*.window.*.end"), std::string::npos);
    // Types and ranges as the key reference writes them (run.months: 1 … 1200).
    EXPECT_NE(all.out.find("1 … 1200"), std::string::npos) << all.out;
    const auto fittable = run_program({"keys", "--fittable"});
    EXPECT_EQ(fittable.status, 0) << fittable.err;
    EXPECT_NE(fittable.out.find("behaviour.continue_after_subsidy"), std::string::npos);
    EXPECT_NE(fittable.out.find("programme.*.budget_idr_per_year.*"), std::string::npos);
    EXPECT_EQ(fittable.out.find("run.seed"), std::string::npos);
    EXPECT_EQ(fittable.out.find("programme.*.window.*.end"), std::string::npos) << "a month";
    const auto variable = run_program({"keys", "--variable"});
    EXPECT_NE(variable.out.find("programme.*.window.*.end"), std::string::npos);
    EXPECT_EQ(variable.out.find("observation.*.value"), std::string::npos) << "data";
    // --markdown writes the README's key tables, each between its markers.
    const auto markdown = run_program({"keys", "--markdown"});
    EXPECT_EQ(markdown.status, 0) << markdown.err;
    const std::string readme = ulcsim::test::read_file(ulcsim::test::scenarios_dir() / "README.md");
    const std::string run_table = markdown.out.substr(
        markdown.out.find("<!-- keys [run]"),
        markdown.out.find("<!-- end of keys -->", markdown.out.find("<!-- keys [run]")) -
            markdown.out.find("<!-- keys [run]"));
    EXPECT_NE(readme.find(run_table), std::string::npos) << run_table;
    EXPECT_EQ(run_program({"keys", "--markdown", "--fittable"}).status, 2);
}
