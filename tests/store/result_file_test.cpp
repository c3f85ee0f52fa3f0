// Readers of compare and sweep result files, and telling ulcsim's kinds of file apart.

#include "support/test_support.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/summary.hpp"

#include <gtest/gtest.h>

namespace ulcsim {
namespace {

using test::ScratchDir;

std::vector<double> counting(std::size_t n) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = 0.5 * static_cast<double>(i);
    return v;
}

TEST(ResultFiles, ComparisonComesBackAsWritten) {
    const ScratchDir dir;
    const auto path = dir.path() / "c.h5";
    const std::size_t S = 2, M = 3, N = summary_statistic_count;
    {
        ResultFileWriter w(path, nullptr);
        w.write_attribute("/meta", "method", "common random numbers");
        w.write_strings("/scenarios/name", {"base", "more"}, "scenario", "text");
        w.write_strings("/months", {"2025-01", "2025-02"}, "month", "YYYY-MM");
        w.write_strings("/measures/name", {"a", "b", "c"}, "measure", "text");
        w.write_strings("/measures/units", {"share", "workers", "IDR"}, "measure", "text");
        w.write_array("/statistics", {S, M, N}, {"scenario", "measure", "statistic"}, "x",
                      counting(S * M * N));
        w.write_array("/differences", {S, M, N}, {"scenario", "measure", "statistic"}, "x",
                      counting(S * M * N));
        w.write_array("/values", {S, M, 7}, {"scenario", "measure", "replicate"}, "x",
                      counting(S * M * 7));
        w.commit();
    }
    const RunFileReader r(path);
    EXPECT_EQ(output_kind(r), OutputKind::comparison);
    const ComparisonFile c = read_comparison(r);
    EXPECT_EQ(c.scenarios, (std::vector<std::string>{"base", "more"}));
    EXPECT_EQ(c.units[2], "IDR");
    EXPECT_EQ(c.months.size(), 2u);
    EXPECT_EQ(c.method, "common random numbers");
    EXPECT_EQ(c.replicates, 7u);
    EXPECT_EQ(c.statistics.values[(1 * M + 2) * N + 1], 0.5 * static_cast<double>((M + 2) * N + 1));
}

TEST(ResultFiles, ComparisonWithMismatchedShapesIsRefused) {
    const ScratchDir dir;
    const auto path = dir.path() / "c.h5";
    {
        ResultFileWriter w(path, nullptr);
        w.write_strings("/scenarios/name", {"base", "more"}, "scenario", "text");
        w.write_strings("/measures/name", {"a"}, "measure", "text");
        w.write_strings("/measures/units", {"share"}, "measure", "text");
        w.write_array("/statistics", {1, 1, summary_statistic_count},
                      {"scenario", "measure", "statistic"}, "x", counting(summary_statistic_count));
        w.write_array("/differences", {1, 1, summary_statistic_count},
                      {"scenario", "measure", "statistic"}, "x", counting(summary_statistic_count));
        w.commit();
    }
    EXPECT_THROW(read_comparison(RunFileReader(path)), std::runtime_error);
}

TEST(ResultFiles, SweepAxesComeBackInOrderWithTheirKeys) {
    const ScratchDir dir;
    const auto path = dir.path() / "s.h5";
    {
        ResultFileWriter w(path, nullptr);
        w.write_strings("/grid/axis_0", {"0.2", "0.4"}, "axis_0", "TOML");
        w.write_attribute("/grid/axis_0", "key", "behaviour.h0_self");
        w.write_strings("/grid/axis_1", {"\"2025-06\""}, "axis_1", "TOML");
        w.write_attribute("/grid/axis_1", "key", "programme.x.window.1.end");
        w.write_strings("/measures/name", {"a"}, "measure", "text");
        w.commit();
    }
    const RunFileReader r(path);
    EXPECT_EQ(output_kind(r), OutputKind::sweep);
    const SweepFile s = read_sweep(r);
    ASSERT_EQ(s.axes.size(), 2u);
    EXPECT_EQ(s.axes[0].key, "behaviour.h0_self");
    EXPECT_EQ(s.axes[0].values, (std::vector<std::string>{"0.2", "0.4"}));
    EXPECT_EQ(s.axes[1].key, "programme.x.window.1.end");
    EXPECT_EQ(s.measures, (std::vector<std::string>{"a"}));
    EXPECT_FALSE(s.replicates);
}

TEST(ResultFiles, AFileWithOnlyMetaIsOfNoKnownKind) {
    const ScratchDir dir;
    const auto path = dir.path() / "m.h5";
    {
        ResultFileWriter w(path, nullptr);
        w.write_strings("/other", {"x"}, "x", "text");
        w.commit();
    }
    EXPECT_EQ(output_kind(RunFileReader(path)), OutputKind::unknown);
}

} // namespace
} // namespace ulcsim
