// A calibrated scenario carries its posterior into every command that runs it (issue 18): run,
// compare, sweep and target draw replicate r's behaviour parameters from the posterior, the
// same draw for every scenario they pair, and record which; --priors runs the scenario's own
// values; scenarios that name different posteriors cannot be paired.

#include "support/test_support.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

// Two draws of self-enrolment: the scenario's own value (0.008) and six times it. With four
// replicates, systematic resampling gives replicates 0 and 1 the first draw, 2 and 3 the second.
void write_posterior(const fs::path& file) {
    std::ofstream out(file);
    out << "draw,weight,distance,behaviour.h0_self\n0,0.5,0.01,0.008\n1,0.5,0.01,0.048\n";
}

// A scenario that names the posterior, written beside it (run.posterior is relative to the file
// that sets it).
fs::path write_calibrated(const fs::path& dir, const std::string& name, const char* base) {
    const fs::path file = dir / (name + ".toml");
    std::ofstream(file) << "extends = \"" << test::shipped_scenario(base) << "\"\n[run]\nname = \""
                        << name << "\"\nposterior = \"post.csv\"\n";
    return file;
}

const std::vector<std::string> small{
    "--set", "population.scale=20", "--months", "12", "--replicates", "4", "-q"};

std::vector<std::string> with(std::vector<std::string> args) {
    args.insert(args.end(), small.begin(), small.end());
    return args;
}

/// Covered workers in the last month, by replicate, over every region and segment.
std::vector<double> covered_at_end(const fs::path& run) {
    const StoredArray s = RunFileReader(run).array("/series/covered");
    const std::size_t R = s.dims[0], T = s.dims[1], K = s.dims[2], G = s.dims[3];
    std::vector<double> total(R, 0.0);
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t g = 0; g < G; ++g)
                total[r] += s.values[((r * T + T - 1) * K + k) * G + g];
    return total;
}

bool records_parameters(const fs::path& file) {
    const std::vector<std::string> groups = RunFileReader(file).members("/");
    return std::find(groups.begin(), groups.end(), "replicate_parameters") != groups.end();
}

} // namespace

TEST(PosteriorCommands, RunDrawsEachReplicatesParametersAndRecordsThem) {
    const test::ScratchDir dir;
    write_posterior(dir.path() / "post.csv");
    const fs::path plain = dir.path() / "plain.h5", drawn = dir.path() / "drawn.h5";
    ASSERT_EQ(test::run_program(with({"run", test::shipped_scenario("kota-magelang-2025.toml"),
                                      "-o", plain.string()}))
                  .status,
              0);
    const auto r = test::run_program(
        with({"run", test::shipped_scenario("kota-magelang-2025.toml"), "--posterior",
              (dir.path() / "post.csv").string(), "-o", drawn.string()}));
    ASSERT_EQ(r.status, 0) << r.err;

    const RunFileReader file(drawn);
    EXPECT_EQ(file.strings("/replicate_parameters/parameter"),
              (std::vector<std::string>{"behaviour.h0_self"}));
    EXPECT_EQ(file.array("/replicate_parameters/draw").values, (std::vector<double>{0, 0, 1, 1}));
    // The first draw is the scenario's own value: those replicates are the plain run's, bit
    // for bit; the second raises self-enrolment, so those cover more.
    const std::vector<double> a = covered_at_end(plain), b = covered_at_end(drawn);
    EXPECT_EQ(b[0], a[0]);
    EXPECT_EQ(b[1], a[1]);
    EXPECT_GT(b[2], a[2]);
    EXPECT_GT(b[3], a[3]);
}

TEST(PosteriorCommands, AScenarioThatNamesItsPosteriorRunsOnItUnlessPriorsIsGiven) {
    const test::ScratchDir dir;
    write_posterior(dir.path() / "post.csv");
    const fs::path calibrated = write_calibrated(dir.path(), "km-cal", "kota-magelang-2025.toml");
    const fs::path by_default = dir.path() / "default.h5", priors = dir.path() / "priors.h5",
                   given = dir.path() / "given.h5";
    const auto r =
        test::run_program({"run", calibrated.string(), "--set", "population.scale=20", "--months",
                           "12", "--replicates", "4", "-o", by_default.string()});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("the scenario's run.posterior; --priors runs without it"),
              std::string::npos)
        << r.err;
    ASSERT_EQ(
        test::run_program(with({"run", calibrated.string(), "--priors", "-o", priors.string()}))
            .status,
        0);
    ASSERT_EQ(test::run_program(
                  with({"run", test::shipped_scenario("kota-magelang-2025.toml"), "--posterior",
                        (dir.path() / "post.csv").string(), "-o", given.string()}))
                  .status,
              0);
    EXPECT_EQ(covered_at_end(by_default), covered_at_end(given));
    const std::vector<double> own = covered_at_end(priors), drawn = covered_at_end(by_default);
    EXPECT_EQ(own[0], drawn[0]);
    EXPECT_LT(own[3], drawn[3]);
    EXPECT_FALSE(records_parameters(priors));

    const auto both = test::run_program(with({"run", calibrated.string(), "--priors", "--posterior",
                                              "post.csv", "-o", (dir.path() / "x.h5").string()}));
    EXPECT_EQ(both.status, 2);
    EXPECT_NE(both.err.find("--posterior and --priors cannot be combined"), std::string::npos)
        << both.err;
}

TEST(PosteriorCommands, CompareAndSweepPairReplicatesOnTheSameDraw) {
    const test::ScratchDir dir;
    write_posterior(dir.path() / "post.csv");
    const fs::path calibrated = write_calibrated(dir.path(), "km-cal", "kota-magelang-2025.toml");
    const fs::path twin = write_calibrated(dir.path(), "km-twin", "kota-magelang-2025.toml");
    // The same scenario twice: with the same draw for replicate r in both, every paired
    // difference is exactly 0, although the draws differ between replicates.
    const fs::path out = dir.path() / "cmp.h5";
    const auto r = test::run_program(
        with({"compare", calibrated.string(), twin.string(), "-o", out.string()}));
    ASSERT_EQ(r.status, 0) << r.err;
    {
        const RunFileReader file(out);
        EXPECT_EQ(file.array("/replicate_parameters/draw").values,
                  (std::vector<double>{0, 0, 1, 1}));
        // /values is [scenario, measure, replicate].
        const StoredArray v = file.array("/values");
        ASSERT_EQ(v.dims.size(), 3u);
        const std::size_t M = v.dims[1], R = v.dims[2];
        ASSERT_EQ(R, 4u);
        bool draws_differ = false;
        for (std::size_t m = 0; m < M; ++m) {
            // Some measures are undefined without a programme (NaN in both).
            for (std::size_t rep = 0; rep < R; ++rep) {
                const double a = v.values[(0 * M + m) * R + rep];
                const double b = v.values[(1 * M + m) * R + rep];
                EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b)))
                    << "measure " << m << ", replicate " << rep << ": " << a << " vs " << b;
            }
            draws_differ |= v.values[m * R + 0] != v.values[m * R + 3];
        }
        EXPECT_TRUE(draws_differ);
    }

    const fs::path sweep = dir.path() / "sweep.h5";
    const auto s = test::run_program(with({"sweep", calibrated.string(), "--vary",
                                           "behaviour.h_lapse=0.01,0.02", "-o", sweep.string()}));
    ASSERT_EQ(s.status, 0) << s.err;
    EXPECT_TRUE(records_parameters(sweep));

    // One scenario names the posterior, the other none: refused, saying what to give.
    const auto mixed =
        test::run_program(with({"compare", test::shipped_scenario("kota-magelang-2025.toml"),
                                calibrated.string(), "-o", (dir.path() / "mixed.h5").string()}));
    EXPECT_EQ(mixed.status, 2);
    EXPECT_NE(mixed.err.find("names no run.posterior but"), std::string::npos) << mixed.err;
    EXPECT_NE(mixed.err.find("give --posterior FILE for all of them, or --priors"),
              std::string::npos)
        << mixed.err;
    // --priors or one --posterior for all resolves it.
    EXPECT_EQ(test::run_program(
                  with({"compare", test::shipped_scenario("kota-magelang-2025.toml"),
                        calibrated.string(), "--priors", "-o", (dir.path() / "p.h5").string()}))
                  .status,
              0);
}

TEST(PosteriorCommands, TargetWeighsEveryCandidateOverThePosterior) {
    const test::ScratchDir dir;
    write_posterior(dir.path() / "post.csv");
    const fs::path calibrated = write_calibrated(dir.path(), "km-cal", "kota-magelang-2025.toml");
    // A posterior with the scenario's own value as its only draw: the same answer as --priors.
    std::ofstream(dir.path() / "own.csv")
        << "draw,weight,distance,behaviour.h0_self\n0,1,0.01,0.008\n";
    const auto target = [&](std::vector<std::string> more) {
        std::vector<std::string> args{"target",        calibrated.string(),
                                      "--set",         "population.scale=4",
                                      "--replicates",  "8",
                                      "--reach",       "30%",
                                      "--by",          "2025-12",
                                      "--probability", "50%",
                                      "--vary",        "behaviour.h_lapse",
                                      "--lowest",      "0",
                                      "--highest",     "0.04",
                                      "--step",        "0.01",
                                      "--direction",   "down"};
        args.insert(args.end(), more.begin(), more.end());
        return test::run_program(args);
    };
    const auto drawn = target({});
    const auto priors = target({"--priors"});
    const auto own = target({"--posterior", (dir.path() / "own.csv").string()});
    ASSERT_EQ(drawn.status, 0) << drawn.err;
    ASSERT_EQ(priors.status, 0) << priors.err;
    ASSERT_EQ(own.status, 0) << own.err;
    EXPECT_NE(drawn.err.find("each replicate runs with a posterior draw"), std::string::npos)
        << drawn.err;
    EXPECT_EQ(own.out, priors.out);
    // Half the replicates enrol six times as fast: the candidates' probabilities change.
    EXPECT_NE(drawn.out, priors.out) << drawn.out;
}
