// Checkpoints and branches: a scenario started from its own baseline's checkpoint reproduces
// the baseline's remaining months bit for bit (one region and many, at any thread count, at
// a renewal month and inside a window); a branch that changes a programme after the
// checkpoint equals that policy run from the start; `ulcsim run --checkpoint-at` and
// `--from-checkpoint` do the same through run files; and every incompatible branch stops
// with exit status 2, a message, and nothing written.

#include "support/test_support.hpp"
#include "ulcsim/checkpoint.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/simulation.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <tbb/task_arena.h>

using namespace ulcsim;
namespace fs = std::filesystem;

namespace {

/// A column's slots in use, region by region: the slots reserved for entrants are
/// uninitialised.
template <typename T>
std::vector<T> in_use(const Population& p, const Column<T>& column) {
    std::vector<T> out;
    for (const RegionSlots& r : p.region_slots)
        out.insert(out.end(), column.begin() + r.first, column.begin() + r.first + r.used);
    return out;
}

fs::path shipped(const std::string& name) {
    return test::scenarios_dir() / name;
}

using Series = std::map<std::uint32_t, ReplicateSeries>;
using States = std::map<std::uint32_t, ReplicateState>;

/// Runs `replicates` replicates; with `capture_after` ≥ 0 also keeps every replicate's state
/// after that many months; with `from` starts each replicate from its state there.
Series run(const Scenario& s, std::uint32_t replicates, int threads, int capture_after = -1,
           States* captured = nullptr, const States* from = nullptr) {
    Series out;
    ExecutionContext context;
    context.threads = threads;
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        out[r] = std::move(series);
    };
    if (capture_after >= 0) {
        options.checkpoint_after_months = capture_after;
        options.on_checkpoint = [&](std::size_t, std::uint32_t r, ReplicateState&& state) {
            (*captured)[r] = std::move(state);
        };
    }
    if (from)
        options.start_state = [&](std::size_t, std::uint32_t r) {
            return std::optional<ReplicateState>(from->at(r));
        };
    RunPlan plan;
    plan.add(s, {0, replicates});
    run_ensemble(plan, context, options);
    return out;
}

/// Every series and programme metric of months [first, first + branch.months) of `base`
/// equals the branch's month by month, exactly.
void expect_remaining_months_equal(const ReplicateSeries& base, const ReplicateSeries& branch,
                                   std::size_t first, const std::string& what) {
    ASSERT_EQ(base.months, first + branch.months) << what;
    ASSERT_EQ(base.regions, branch.regions) << what;
    ASSERT_EQ(base.programmes, branch.programmes) << what;
    std::size_t differences = 0;
    for (std::size_t m = 0; m < series_metric_count; ++m)
        for (std::size_t t = 0; t < branch.months; ++t)
            for (std::size_t k = 0; k < base.regions; ++k)
                for (std::size_t g = 0; g < segment_count; ++g) {
                    const auto metric = static_cast<SeriesMetric>(m);
                    const auto segment = static_cast<Segment>(g);
                    const double a = base.at(metric, first + t, k, segment);
                    const double b = branch.at(metric, t, k, segment);
                    if (a != b && ++differences <= 5)
                        ADD_FAILURE() << what << ": " << series_metric_names[m] << " month "
                                      << first + t << " region " << k << " segment " << g
                                      << ": baseline " << a << ", branch " << b;
                }
    for (std::size_t m = 0; m < programme_metric_count; ++m)
        for (std::size_t t = 0; t < branch.months; ++t)
            for (std::size_t j = 0; j < base.programmes; ++j) {
                const auto metric = static_cast<ProgrammeMetric>(m);
                const double a = base.at(metric, first + t, j);
                const double b = branch.at(metric, t, j);
                if (a != b && ++differences <= 10)
                    ADD_FAILURE() << what << ": " << programme_metric_names[m] << " month "
                                  << first + t << " programme " << j << ": baseline " << a
                                  << ", branch " << b;
            }
    EXPECT_EQ(differences, 0u) << what;
}

struct BranchCase {
    std::string file;
    std::vector<std::string> overrides;
    Month checkpoint;
    std::uint32_t replicates;
};

/// Runs the baseline with a checkpoint, then the same scenario from the checkpoint to the
/// baseline's end at 1 and 2 threads, and compares.
void check_branch_reproduces(const BranchCase& c) {
    const Scenario base = load_scenario(shipped(c.file), c.overrides);
    const int after = c.checkpoint - base.run.start;
    States states;
    const Series baseline = run(base, c.replicates, 2, after, &states);
    ASSERT_EQ(states.size(), c.replicates);
    for (const auto& [r, state] : states) {
        EXPECT_EQ(state.month, c.checkpoint);
        EXPECT_EQ(state.origin, base.run.start);
        EXPECT_EQ(state.replicate, r);
    }

    std::vector<std::string> overrides = c.overrides;
    overrides.push_back("run.start=" + c.checkpoint.to_string());
    overrides.push_back("run.months=" + std::to_string(base.run.months - after));
    overrides.push_back("run.replicates=" + std::to_string(c.replicates));
    const Scenario branch = load_scenario(shipped(c.file), overrides);
    CheckpointInfo info = checkpoint_info_of(states.at(0)); // one replicate's
    info.replicates = c.replicates;
    EXPECT_NO_THROW(check_branch(branch, info));
    for (const int threads : {1, 2}) {
        const Series continued = run(branch, c.replicates, threads, -1, nullptr, &states);
        ASSERT_EQ(continued.size(), c.replicates);
        for (std::uint32_t r = 0; r < c.replicates; ++r)
            expect_remaining_months_equal(
                baseline.at(r), continued.at(r), static_cast<std::size_t>(after),
                c.file + " from " + c.checkpoint.to_string() + ", replicate " + std::to_string(r) +
                    ", " + std::to_string(threads) + " threads");
    }
}

/// The shipped Kota Magelang 2025 scenario with a third window in 2026 and its budget: a
/// policy that acts only from 2026-01.
fs::path magelang_2026(const test::ScratchDir& dir) {
    return dir.write("kota-magelang-2026.toml",
                     "extends = \"" + shipped("kota-magelang-2025.toml").string() + "\"\n" +
                         R"([run]
name = "kota-magelang-2026"

[[programme]]
name = "kota-magelang-apbd"

[programme.budget_idr_per_year]
2024 = 206_035_200
2025 = 412_070_400
2026 = 412_070_400

[[programme.window]]
start = "2024-07"
end = "2024-12"

[[programme.window]]
start = "2025-01"
end = "2025-12"

[[programme.window]]
start = "2026-01"
end = "2026-12"
)");
}

std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

// ---- the library ----------------------------------------------------------------------------

TEST(Checkpoint, BranchInsideAWindowReproducesTheBaselineBitForBit) {
    check_branch_reproduces({"kota-magelang-2025.toml", {}, Month(2025, 7), 3});
}

TEST(Checkpoint, BranchAtARenewalMonthReproducesTheBaselineBitForBit) {
    // 2025-01 opens the window the 2024 members renew into: the branch must know that the
    // previous month was in the 2024 window, and carry the commitments.
    check_branch_reproduces({"kota-magelang-2025.toml", {}, Month(2025, 1), 3});
}

TEST(Checkpoint, BranchOfAProvinceReproducesTheBaselineBitForBit) {
    // 35 regions (slots laid out region by region), five programmes, the Kendal quota step
    // in 2025-08 and the DBHCHT windows of Jul–Dec 2025. (Its observations of 2024-02 would
    // lie before the branch, which validation refuses.)
    for (const Month at : {Month(2025, 1), Month(2025, 8)})
        check_branch_reproduces({"jawa-tengah.toml",
                                 {"population.scale=500", "run.months=24", "observation=[]"},
                                 at,
                                 2});
}

TEST(Checkpoint, ACheckpointDoesNotChangeTheRunThatTakesIt) {
    const Scenario s = load_scenario(shipped("kota-magelang-2025.toml"), {"run.months=20"});
    const Series plain = run(s, 2, 2);
    for (const int after : {1, 11, 20}) {
        States states;
        const Series with = run(s, 2, 2, after, &states);
        ASSERT_EQ(states.size(), 2u);
        for (std::uint32_t r = 0; r < 2; ++r) {
            EXPECT_EQ(with.at(r).series, plain.at(r).series) << after;
            EXPECT_EQ(with.at(r).programme_series, plain.at(r).programme_series) << after;
        }
    }
}

TEST(Checkpoint, AStateAtTheEndOfTheRunIsTheLastMonthsState) {
    // At the end of the run the ensemble moves the agents out instead of copying them.
    const Scenario s = load_scenario(shipped("kota-magelang-2025.toml"), {"run.months=8"});
    States states;
    run(s, 1, 2, 8, &states);
    ReplicateState expected;
    tbb::task_arena arena(2);
    arena.execute([&] {
        ReplicateSimulation sim(s, 0);
        while (sim.months_done() < 8)
            sim.step();
        expected = sim.capture_state();
    });
    const ReplicateState& got = states.at(0);
    EXPECT_EQ(got.month, Month(2024, 9));
    EXPECT_EQ(in_use(got.population, got.population.payer),
              in_use(expected.population, expected.population.payer));
    EXPECT_EQ(in_use(got.population, got.population.paid_until),
              in_use(expected.population, expected.population.paid_until));
    EXPECT_EQ(in_use(got.population, got.population.awareness),
              in_use(expected.population, expected.population.awareness));
    EXPECT_EQ(got.village_covered, expected.village_covered);
    EXPECT_EQ(got.labour_force, expected.labour_force);
    EXPECT_EQ(got.programme_members, expected.programme_members);
    EXPECT_EQ(got.committed_idr, expected.committed_idr);
}

TEST(Checkpoint, APolicyBranchEqualsThePolicyRunFromTheStart) {
    // A third window from 2026-01 changes nothing before it: run from the start, the policy
    // equals the baseline until 2025-12; branched from the baseline's 2025-07 checkpoint, it
    // equals the policy run from the start in every month, and differs from the baseline
    // from 2026-01 on.
    const test::ScratchDir dir;
    const fs::path policy_file = magelang_2026(dir);
    const Scenario base = load_scenario(shipped("kota-magelang-2025.toml"));
    const Scenario policy = load_scenario(policy_file);
    const Scenario branch = load_scenario(policy_file, {"run.start=2025-07", "run.months=18"});
    States states;
    const Series baseline = run(base, 2, 2, 18, &states);
    const Series from_start = run(policy, 2, 2);
    const Series branched = run(branch, 2, 2, -1, nullptr, &states);
    for (std::uint32_t r = 0; r < 2; ++r) {
        expect_remaining_months_equal(from_start.at(r), branched.at(r), 18,
                                      "policy branch, replicate " + std::to_string(r));
        for (std::size_t t = 0; t < 24; ++t) // to 2025-12
            EXPECT_EQ(baseline.at(r).total(SeriesMetric::covered, t),
                      from_start.at(r).total(SeriesMetric::covered, t))
                << t;
        const ReplicateSeries& b = baseline.at(r);
        const ReplicateSeries& p = branched.at(r);
        for (std::size_t t = 0; t < 6; ++t) // 2025-07 … 2025-12: the same
            EXPECT_EQ(b.at(ProgrammeMetric::members, 18 + t, 0),
                      p.at(ProgrammeMetric::members, t, 0));
        EXPECT_EQ(b.at(ProgrammeMetric::members, 24, 0), 0) << "no 2026 window in the baseline";
        EXPECT_GT(p.at(ProgrammeMetric::renewed, 6, 0), 1500) << "members renewed into 2026";
        EXPECT_GT(p.total(SeriesMetric::covered, 11), b.total(SeriesMetric::covered, 29));
    }
}

TEST(Checkpoint, ABiggerBudgetDiffersFromTheCheckpointMonthOn) {
    const Scenario base = load_scenario(shipped("kota-magelang-2025.toml"));
    const Scenario branch =
        load_scenario(shipped("kota-magelang-2025.toml"),
                      {"run.start=2025-07", "run.months=18",
                       "programme.kota-magelang-apbd.budget_idr_per_year.2025=463680000"});
    States states;
    const Series baseline = run(base, 2, 2, 18, &states);
    const Series branched = run(branch, 2, 2, -1, nullptr, &states);
    for (std::uint32_t r = 0; r < 2; ++r) {
        const ReplicateSeries& b = baseline.at(r);
        const ReplicateSeries& p = branched.at(r);
        // The places the bigger budget buys are taken in the branch's first month.
        EXPECT_EQ(b.at(ProgrammeMetric::committed_idr, 17, 0), 412'070'400);
        EXPECT_GT(p.at(ProgrammeMetric::enrolled, 0, 0), b.at(ProgrammeMetric::enrolled, 18, 0));
        EXPECT_GT(p.at(ProgrammeMetric::members, 0, 0), b.at(ProgrammeMetric::members, 18, 0));
        EXPECT_LE(p.at(ProgrammeMetric::committed_idr, 0, 0), 463'680'000);
        EXPECT_GT(p.at(ProgrammeMetric::committed_idr, 0, 0), 412'070'400);
    }
}

TEST(Checkpoint, ProgrammesAreMatchedByName) {
    // The branch lists a new programme before the checkpoint's: the members keep theirs,
    // now the second, and their commitments follow them.
    const test::ScratchDir dir;
    std::string text = test::read_file(shipped("kota-magelang-2024.toml"));
    const auto at = text.find("[[programme]]");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, R"([[programme]]
name = "a-csr-programme"
kind = "csr"
regions = ["33.71"]
quota_workers = 100
[[programme.window]]
start = "2024-11"
end = "2024-12"

)");
    const fs::path file = dir.write("with-csr.toml", text);
    const Scenario base = load_scenario(shipped("kota-magelang-2024.toml"), {"run.months=12"});
    const Scenario branch = load_scenario(file, {"run.start=2024-10", "run.months=3"});
    ASSERT_EQ(branch.programmes.size(), 2u);
    ASSERT_EQ(branch.programmes[1].name, "kota-magelang-apbd");
    States states;
    run(base, 1, 2, 9, &states);
    const ReplicateState& state = states.at(0);
    const std::vector<std::uint8_t> payers = in_use(state.population, state.population.payer);
    const auto members =
        std::count(payers.begin(), payers.end(), static_cast<std::uint8_t>(Payer::programme_base));
    EXPECT_EQ(members, state.programme_members.at(0));
    EXPECT_GT(members, 1500);
    tbb::task_arena arena(2);
    arena.execute([&] {
        ReplicateSimulation sim(branch, state);
        const std::vector<std::uint8_t> payer = in_use(sim.population(), sim.population().payer);
        EXPECT_EQ(std::count(payer.begin(), payer.end(),
                             static_cast<std::uint8_t>(Payer::programme_base) + 1),
                  members);
        EXPECT_EQ(std::count(payer.begin(), payer.end(),
                             static_cast<std::uint8_t>(Payer::programme_base)),
                  0);
        sim.step();
        const ReplicateSeries series = sim.take_series();
        // The 2024 commitments carried over (less what leavers return, plus what joiners take).
        EXPECT_GT(series.at(ProgrammeMetric::committed_idr, 0, 1),
                  0.9 * state.committed_idr.at(0).at(0));
        EXPECT_LE(series.at(ProgrammeMetric::committed_idr, 0, 1), 206'035'200);
        EXPECT_EQ(series.at(ProgrammeMetric::members, 0, 0), 0) << "the new one opens in 2024-11";
    });
}

TEST(Checkpoint, IncompatibleBranchesAreRefusedWithEveryReason) {
    const Scenario base = load_scenario(shipped("kota-magelang-2025.toml"), {"run.months=12"});
    States states;
    run(base, 1, 2, 6, &states);
    CheckpointInfo info = checkpoint_info_of(states.at(0));
    info.file = "base.h5";
    const Scenario wrong = load_scenario(
        shipped("jawa-tengah.toml"), {"population.scale=500", "run.seed=9", "run.replicates=3"});
    try {
        check_branch(wrong, info);
        FAIL() << "no error";
    } catch (const InputError& e) {
        const std::string m = e.what();
        for (const char* key : {"base.h5: error: run.regions:",
                                "population.scale_workers_per_agent", "run.start: is 2024-01",
                                "--set run.start=2024-07", "run.seed", "run.replicates: is 3"})
            EXPECT_NE(m.find(key), std::string::npos) << key << " in\n" << m;
    }
    // The same checks stop a replicate started from an incompatible state.
    tbb::task_arena arena(1);
    arena.execute([&] { EXPECT_THROW(ReplicateSimulation(wrong, states.at(0)), InputError); });
}

TEST(Checkpoint, EntrantRoomLimitsTheBranch) {
    const Scenario base = load_scenario(shipped("kota-magelang-2025.toml"), {"run.months=12"});
    States states;
    run(base, 1, 2, 6, &states);
    const CheckpointInfo info = checkpoint_info_of(states.at(0));
    const int allowed = branch_months_allowed(info, base.behaviour.entry_rate);
    EXPECT_GE(allowed, 6) << "at least the baseline's remaining months";
    EXPECT_LT(allowed, 60);
    EXPECT_GT(branch_months_allowed(info, 0), 60000) << "no entrants: no limit but the clock";
    const Scenario too_long = load_scenario(
        shipped("kota-magelang-2025.toml"),
        {"run.start=2024-07", "run.replicates=1", "run.months=" + std::to_string(allowed + 1)});
    try {
        check_branch(too_long, info);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("for at most " + std::to_string(allowed) + " months"),
                  std::string::npos)
            << e.what();
    }
    const Scenario fits = load_scenario(
        shipped("kota-magelang-2025.toml"),
        {"run.start=2024-07", "run.replicates=1", "run.months=" + std::to_string(allowed)});
    EXPECT_NO_THROW(check_branch(fits, info));
}

// ---- the command line -----------------------------------------------------------------------

TEST(CheckpointCommand, ABranchRunFileHoldsTheBaselinesRemainingMonths) {
    const test::ScratchDir dir;
    const fs::path base = dir.path() / "base.h5";
    const fs::path branch = dir.path() / "branch.h5";
    const std::string scenario = shipped("kota-magelang-2025.toml").string();
    auto r = test::run_program(
        {"run", scenario, "-o", base.string(), "--replicates", "3", "--checkpoint-at", "2025-07"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("checkpoint: every replicate's state at the start of 2025-07"),
              std::string::npos)
        << r.err;
    r = test::run_program({"run", scenario, "-o", branch.string(), "--from-checkpoint",
                           base.string(), "--set", "run.start=2025-07", "--months", "18",
                           "--threads", "1", "--checkpoint-at", "2026-01"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("from the checkpoint in " + base.string() + " (2025-07"),
              std::string::npos)
        << r.err;
    // A branch of the branch: its agents still count months from the baseline's start.
    const fs::path twig = dir.path() / "twig.h5";
    r = test::run_program({"run", scenario, "-q", "-o", twig.string(), "--from-checkpoint",
                           branch.string(), "--set", "run.start=2026-01", "--months", "12",
                           "--keep", "summaries"});
    ASSERT_EQ(r.status, 0) << r.err;

    const RunFileReader a(base);
    const RunFileReader b(branch);
    EXPECT_EQ(a.string_attribute("/checkpoint", "month"), "2025-07");
    EXPECT_EQ(a.string_attribute("/checkpoint", "origin_month"), "2024-01");
    EXPECT_EQ(a.integer_attribute("/checkpoint", "replicates"), 3);
    EXPECT_EQ(a.integer_attribute("/checkpoint", "format_version"), checkpoint_format_version);
    EXPECT_EQ(a.strings("/checkpoint/region_code"), (std::vector<std::string>{"33.71"}));
    EXPECT_EQ(a.strings("/checkpoint/programme_name"),
              (std::vector<std::string>{"kota-magelang-apbd"}));
    EXPECT_EQ(b.string_attribute("/meta", "from_checkpoint"), base.string());
    EXPECT_EQ(b.string_attribute("/meta", "checkpoint_month"), "2025-07");
    EXPECT_EQ(b.string_attribute("/meta", "start_month"), "2025-07");
    EXPECT_EQ(b.integer_attribute("/meta", "replicates"), 3) << "all the checkpoint holds";
    EXPECT_EQ(b.integer_attribute("/meta", "seed"), a.integer_attribute("/meta", "seed"));

    for (const std::string group : {"/series", "/programs"})
        for (const std::string& name : a.members(group)) {
            if (name == "names") continue;
            const StoredArray x = a.array(group + "/" + name);
            const StoredArray y = b.array(group + "/" + name);
            ASSERT_EQ(x.dims[0], y.dims[0]);
            ASSERT_EQ(x.dims[1], 36u);
            ASSERT_EQ(y.dims[1], 18u);
            const std::size_t cell = x.values.size() / (x.dims[0] * x.dims[1]);
            std::size_t differences = 0;
            for (std::size_t rep = 0; rep < x.dims[0]; ++rep)
                for (std::size_t t = 0; t < 18; ++t)
                    for (std::size_t c = 0; c < cell; ++c)
                        if (x.values[(rep * 36 + 18 + t) * cell + c] !=
                            y.values[(rep * 18 + t) * cell + c])
                            ++differences;
            EXPECT_EQ(differences, 0u) << group << "/" << name;
        }

    const RunFileReader c(twig);
    EXPECT_EQ(b.string_attribute("/checkpoint", "origin_month"), "2024-01");
    const StoredArray base_mean = a.array("/summary/nation/covered");
    const StoredArray twig_mean = c.array("/summary/nation/covered");
    ASSERT_EQ(twig_mean.dims[1], 12u);
    const std::size_t statistics = base_mean.dims[0], segments = base_mean.dims[2];
    for (std::size_t st = 0; st < statistics; ++st)
        for (std::size_t t = 0; t < 12; ++t)
            for (std::size_t g = 0; g < segments; ++g)
                EXPECT_EQ(base_mean.values[(st * 36 + 24 + t) * segments + g],
                          twig_mean.values[(st * 12 + t) * segments + g])
                    << st << " " << t << " " << g;

    const std::string python = test::python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const fs::path script = dir.write("read.py", R"(import sys, h5py
f = h5py.File(sys.argv[1], "r")
c = f["checkpoint"]
print(c.attrs["month"], c["agents/payer"].dtype, c["agents/payer"].shape[0],
      c["agents/paid_until"].dtype, int(c["programme_members"][0, 0]) > 0)
)");
    const auto check = test::run_command({python, script.string(), base.string()});
    EXPECT_EQ(check.status, 0) << check.err;
    EXPECT_NE(check.out.find("2025-07 uint8 3 uint16 True"), std::string::npos) << check.out;
}

TEST(CheckpointCommand, TheCheckpointDoesNotDependOnTheThreadCount) {
    const test::ScratchDir dir;
    const std::string scenario = shipped("jawa-tengah.toml").string();
    std::vector<fs::path> files;
    for (const char* threads : {"1", "2"}) {
        files.push_back(dir.path() / (std::string("t") + threads + ".h5"));
        const auto r =
            test::run_program({"run", scenario, "-q", "-o", files.back().string(), "--replicates",
                               "2", "--months", "8", "--set", "population.scale=2000", "--threads",
                               threads, "--checkpoint-at", "2024-08"});
        ASSERT_EQ(r.status, 0) << r.err;
    }
    const RunFileReader one(files[0]);
    const RunFileReader two(files[1]);
    for (const std::string group : {"/checkpoint", "/checkpoint/agents"})
        for (const std::string& name : one.members(group)) {
            if (name == "agents" || name == "region_code" || name == "programme_name") continue;
            EXPECT_EQ(one.array(group + "/" + name).values, two.array(group + "/" + name).values)
                << group << "/" << name;
        }
}

TEST(CheckpointCommand, BadBranchesExitWithStatus2AndWriteNothing) {
    const test::ScratchDir dir;
    const fs::path base = dir.path() / "base.h5";
    const fs::path plain = dir.path() / "plain.h5";
    const std::string magelang = shipped("kota-magelang-2024.toml").string();
    auto r = test::run_program({"run", magelang, "-q", "-o", base.string(), "--replicates", "2",
                                "--months", "12", "--checkpoint-at", "2024-10"});
    ASSERT_EQ(r.status, 0) << r.err;
    r = test::run_program(
        {"run", magelang, "-q", "-o", plain.string(), "--replicates", "1", "--months", "3"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::vector<std::string> before = entries(dir.path());

    // The magelang-2024 scenario without its programme (its members are in the checkpoint).
    std::string text = test::read_file(magelang);
    const auto from = text.find("[[programme]]");
    const auto to = text.find("[[policy]]");
    ASSERT_NE(from, std::string::npos);
    ASSERT_NE(to, std::string::npos);
    text.erase(from, to - from);
    const fs::path unfunded = dir.write("unfunded.toml", text);

    const fs::path out = dir.path() / "out.h5";
    const std::string o = out.string();
    const std::string b = base.string();
    const std::string start = "run.start=2024-10";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"run", magelang, "-o", o, "--months", "6", "--checkpoint-at", "2024-01"},
         "--checkpoint-at 2024-01 is outside the run"},
        {{"run", magelang, "-o", o, "--months", "6", "--checkpoint-at", "2024-08"},
         "no later than 2024-07, the month after its last"},
        {{"run", magelang, "-o", o, "--checkpoint-at", "July"}, "'July' is not a month"},
        {{"run", magelang, "-o", o, "--from-checkpoint", plain.string(), "--set", start},
         "has no checkpoint (/checkpoint)"},
        {{"run", magelang, "-o", o, "--from-checkpoint", (dir.path() / "none.h5").string()},
         "no such file"},
        {{"run", shipped("jawa-tengah.toml").string(), "-o", o, "--from-checkpoint", b, "--set",
          start, "--set", "population.scale=100", "--set", "observation=[]"},
         "run.regions: the checkpoint (2024-10) holds regions [33.71]"},
        {{"run", magelang, "-o", o, "--from-checkpoint", b, "--set", start, "--set",
          "population.scale=2"},
         "population.scale_workers_per_agent: is 2, the checkpoint (2024-10) has 1"},
        {{"run", magelang, "-o", o, "--from-checkpoint", b},
         "run.start: is 2024-01: a branch from the checkpoint (2024-10) must start at 2024-10"},
        {{"run", magelang, "-o", o, "--from-checkpoint", b, "--set", start, "--replicates", "3"},
         "run.replicates: is 3, but the checkpoint (2024-10) holds 2 replicates"},
        {{"run", magelang, "-o", o, "--from-checkpoint", b, "--set", start, "--months", "600"},
         "run.months: is 600, but the checkpoint (2024-10) reserved room for new entrants for "
         "at most"},
        {{"run", magelang, "-o", o, "--from-checkpoint", b, "--set", start, "--seed", "7"},
         "--seed 7 differs from the seed 1 of the checkpoint"},
        {{"run", unfunded.string(), "-o", o, "--from-checkpoint", b, "--set", start},
         "programme: 'kota-magelang-apbd' has members in the checkpoint (2024-10) but is not in "
         "the scenario"},
    };
    for (const auto& [args, message] : cases) {
        const auto result = test::run_program(args);
        EXPECT_EQ(result.status, 2) << args.back() << "\n" << result.err;
        EXPECT_NE(result.err.find(message), std::string::npos)
            << "expected '" << message << "' in\n"
            << result.err;
        std::vector<std::string> now = entries(dir.path());
        now.erase(std::remove(now.begin(), now.end(), "unfunded.toml"), now.end());
        EXPECT_EQ(now, before) << "nothing written: " << result.err;
    }
}

TEST(CheckpointCommand, HelpDescribesBothOptions) {
    const auto r = test::run_program({"run", "--help"});
    ASSERT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--checkpoint-at"), std::string::npos);
    EXPECT_NE(r.out.find("--from-checkpoint"), std::string::npos);
}
