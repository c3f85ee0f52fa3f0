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

/// Sets every element of a dataset of /checkpoint (or an attribute, "@name") to a value, or
/// replaces a dataset by one of another length ("resize").
constexpr const char* damage_script = R"(import sys, h5py, numpy as np
path, name, value = sys.argv[1], sys.argv[2], sys.argv[3]
with h5py.File(path, "r+") as f:
    c = f["checkpoint"]
    if name.startswith("@"):
        c.attrs[name[1:]] = np.int64(int(value))
    elif value == "resize":
        old = c[name][...]
        del c[name]
        c.create_dataset(name, data=np.zeros((old.shape[0], old.shape[1] + 1), dtype=old.dtype))
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
    const fs::path damaged = dir.path() / "damaged.h5";
    const fs::path out = dir.path() / "branch.h5";
    const std::vector<std::string> branch{"run",
                                          scenario,
                                          "-q",
                                          "-o",
                                          out.string(),
                                          "--from-checkpoint",
                                          damaged.string(),
                                          "--set",
                                          "run.start=2024-02",
                                          "--months",
                                          "1"};

    // The undamaged copy branches: what the damage changes is what is refused.
    fs::copy_file(good, damaged);
    r = test::run_program(branch);
    ASSERT_EQ(r.status, 0) << r.err;
    fs::remove(out);
    fs::remove(dir.path() / "branch.summary.csv");

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
    for (const Damage& d : damages) {
        SCOPED_TRACE(d.dataset + " = " + d.value);
        fs::remove(damaged);
        fs::copy_file(good, damaged);
        const auto hurt =
            test::run_command({python, script.string(), damaged.string(), d.dataset, d.value});
        ASSERT_EQ(hurt.status, 0) << hurt.err;
        r = test::run_program(branch);
        EXPECT_EQ(r.status, 2) << r.err;
        // One line, located at the checkpoint, naming the dataset.
        EXPECT_EQ(r.err.rfind(damaged.string() + ": error: damaged checkpoint: " + d.message, 0),
                  0u)
            << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_FALSE(fs::exists(out)) << "nothing written";
        EXPECT_FALSE(fs::exists(dir.path() / "branch.summary.csv")) << "nothing written";
    }
    // Nothing left beside the inputs: no temporary, no lock.
    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir.path()))
        left.push_back(e.path().filename().string());
    std::sort(left.begin(), left.end());
    EXPECT_EQ(left,
              (std::vector<std::string>{"damage.py", "damaged.h5", "good.h5", "good.summary.csv"}));
}
