// A checkpoint is a file a user hands over: each dataset whose values the branch would use as
// indices, counts or money is damaged in turn (in place, keeping its shape and type, with h5py)
// and `run --from-checkpoint` must refuse it in one line naming that dataset, with exit status
// 2 and nothing written. The checkpoint's state checks are engine/store/checkpoint_reader.cpp's
// StateCheck.

#include "support/test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace ulcsim;

namespace {

/// Copies the checkpoint argv[1] to each argv[i] of the triples (copy, dataset, value) that
/// follow, and in the copy sets every element of the dataset of /checkpoint (or the attribute
/// "@name") to the value, or replaces the dataset by one a value longer ("resize"). One
/// process for every damage: importing h5py is most of the time.
constexpr const char* damage_script = R"(import shutil, sys, h5py, numpy as np
good, rest = sys.argv[1], sys.argv[2:]
for copy, name, value in zip(rest[0::3], rest[1::3], rest[2::3]):
    shutil.copyfile(good, copy)
    with h5py.File(copy, "r+") as f:
        c = f["checkpoint"]
        if name.startswith("@"):
            c.attrs[name[1:]] = np.int64(int(value))
        elif value == "resize":
            old = c[name][...]
            del c[name]
            c.create_dataset(name, data=np.zeros((old.shape[0], old.shape[1] + 1), old.dtype))
        else:
            d = c[name]
            d[...] = np.full(d.shape, float(value) if d.dtype.kind == "f" else int(value), d.dtype)
)";

struct Damage {
    std::string dataset; ///< in /checkpoint
    std::string value;
    std::string message; ///< what the one line says after "damaged checkpoint: "
};

} // namespace

TEST(CheckpointDamage, EachCheckedDatasetDamagedIsRefusedInOneLineNamingIt) {
    const std::string python = test::python_with_h5py();
    if (python.empty()) GTEST_SKIP() << "no python3 with h5py and numpy";
    const test::ScratchDir dir;
    const fs::path good = dir.path() / "good.h5";
    // Kota Magelang, one region and one programme: a small checkpoint at its second month.
    const std::string scenario = test::shipped_scenario("kota-magelang-2024.toml");
    auto r = test::run_program({"run", scenario, "-q", "-o", good.string(), "--replicates", "1",
                                "--months", "2", "--checkpoint-at", "2024-02"});
    ASSERT_EQ(r.status, 0) << r.err;
    const fs::path script = dir.write("damage.py", damage_script);
    const fs::path out = dir.path() / "branch.h5";
    const auto branch_from = [&](const fs::path& checkpoint) {
        return test::run_program({"run", scenario, "-q", "-o", out.string(), "--from-checkpoint",
                                  checkpoint.string(), "--set", "run.start=2024-02", "--months",
                                  "1"});
    };

    // The undamaged checkpoint branches: what the damage changes is what is refused.
    r = branch_from(good);
    ASSERT_EQ(r.status, 0) << r.err;
    fs::remove(out);
    fs::remove(dir.path() / "branch.summary.csv");
    fs::remove(dir.path() / "branch.programmes.csv");

    const std::string of = " of replicate 0 ";
    const std::vector<Damage> damages{
        {"region_first", "2147483648",
         "/checkpoint/region_first" + of + "gives region 0 slots outside the agents"},
        {"agents/village", "65535",
         "/checkpoint/agents/village" + of + "names a village beyond the region's "},
        {"agents/registration_region", "7",
         "/checkpoint/agents/registration_region" + of + "names a region beyond the 1 at slot "},
        // Segment 0 (formal), occupation 15 of 10.
        {"agents/traits", "60", "/checkpoint/agents/traits" + of + "holds an unknown occupation"},
        {"agents/income_band", "7",
         "/checkpoint/agents/income_band" + of + "holds an unknown band at slot "},
        {"agents/payer", "255",
         "/checkpoint/agents/payer" + of + "names a programme beyond the 1 at slot "},
        {"labour_force", "-1", "/checkpoint/labour_force" + of + "holds a negative count"},
        {"programme_members", "-5",
         "/checkpoint/programme_members" + of + "holds a negative count"},
        {"committed_idr", "-inf", "/checkpoint/committed_idr" + of + "holds an amount that is not"},
        {"committed_idr", "nan", "/checkpoint/committed_idr" + of + "holds an amount that is not"},
        {"committed_idr", "1e300",
         "/checkpoint/committed_idr" + of + "holds an amount that is not"},
        {"year", "100000", "/checkpoint/year" + of + "starts at year 100000"},
        {"@slots", "-1", "/checkpoint/@slots" + of + "is -1"},
        {"labour_force", "resize", "/checkpoint/labour_force has 2 values, expected 1"},
        {"committed_idr", "resize", "/checkpoint/committed_idr has "},
    };
    std::vector<std::string> damage{python, script.string(), good.string()};
    std::vector<std::string> expected_left{"damage.py", "good.h5", "good.programmes.csv",
                                           "good.summary.csv"};
    for (std::size_t i = 0; i < damages.size(); ++i) {
        const std::string copy = "damaged-" + std::to_string(i) + ".h5";
        damage.insert(damage.end(),
                      {(dir.path() / copy).string(), damages[i].dataset, damages[i].value});
        expected_left.push_back(copy);
    }
    const auto hurt = test::run_command(damage);
    ASSERT_EQ(hurt.status, 0) << hurt.err;

    for (std::size_t i = 0; i < damages.size(); ++i) {
        const Damage& d = damages[i];
        SCOPED_TRACE(d.dataset + " = " + d.value);
        const fs::path damaged = dir.path() / ("damaged-" + std::to_string(i) + ".h5");
        r = branch_from(damaged);
        EXPECT_EQ(r.status, 2) << r.err;
        // One line, located at the checkpoint, naming the dataset.
        EXPECT_EQ(r.err.rfind(damaged.string() + ": error: damaged checkpoint: " + d.message, 0),
                  0u)
            << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(fs::exists(out)) << "nothing written";
        EXPECT_FALSE(fs::exists(dir.path() / "branch.summary.csv")) << "nothing written";
        EXPECT_FALSE(fs::exists(dir.path() / "branch.programmes.csv")) << "nothing written";
    }
    // Nothing left beside the inputs: no temporary, no lock.
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir.path()))
        left.push_back(e.path().filename().string());
    std::sort(left.begin(), left.end());
    std::sort(expected_left.begin(), expected_left.end());
    EXPECT_EQ(left, expected_left);
}
