// A sweep's grid: the product of its axes in row-major order (the first axis slowest), each
// point a variant of the base with every axis's value.

#include "support/test_support.hpp"
#include "ulcsim/sweep_grid.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

TEST(SweepGrid, PointsAreTheProductOfTheAxesTheFirstVaryingSlowest) {
    const std::vector<SweepAxis> axes{
        {"behaviour.continue_after_subsidy", {0.2, 0.4, 0.6}, {"0.2", "0.4", "0.6"}},
        {"programme.kota-magelang-apbd.acceptance", {0.5, 1.0}, {"0.5", "1.0"}}};
    EXPECT_EQ(grid_points(axes), 6u);
    EXPECT_EQ(grid_points({}), 1u);
    EXPECT_EQ(grid_coordinates(axes, 0), (std::vector<std::size_t>{0, 0}));
    EXPECT_EQ(grid_coordinates(axes, 1), (std::vector<std::size_t>{0, 1}));
    EXPECT_EQ(grid_coordinates(axes, 4), (std::vector<std::size_t>{2, 0}));
    EXPECT_EQ(grid_coordinates(axes, 5), (std::vector<std::size_t>{2, 1}));

    const Scenario base = load_scenario(test::scenarios_dir() / "kota-magelang-2025.toml");
    const std::vector<Scenario> points = grid_scenarios(base, axes);
    ASSERT_EQ(points.size(), 6u);
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto at = grid_coordinates(axes, i);
        EXPECT_EQ(points[i].behaviour.continue_after_subsidy,
                  std::get<double>(axes[0].values[at[0]]));
        EXPECT_EQ(points[i].programmes[0].acceptance, std::get<double>(axes[1].values[at[1]]));
        EXPECT_EQ(points[i].run.seed, base.run.seed) << "common random numbers";
    }
}
