// Goal seeking's search, on numbers: it finds the smallest value meeting a monotone goal,
// evaluates no candidate twice and few in all, and says when nothing in range meets it.

#include "ulcsim/goal_seek.hpp"

#include <gtest/gtest.h>
#include <map>
#include <stdexcept>

using namespace ulcsim;

namespace {

/// A goal met from `threshold` on, counting how often each candidate is evaluated.
struct Goal {
    std::int64_t threshold;
    std::map<std::int64_t, int> evaluated;
    bool operator()(std::int64_t k) {
        ++evaluated[k];
        return k >= threshold;
    }
};

std::optional<std::int64_t> seek(Goal& goal, std::int64_t lowest, std::int64_t highest,
                                 std::int64_t start) {
    return smallest_meeting(lowest, highest, start, [&](std::int64_t k) { return goal(k); });
}

} // namespace

TEST(GoalSeek, FindsTheSmallestValueMeetingAMonotoneGoalAnywhereInRange) {
    for (const std::int64_t start : {0, 1, 7, 40, 1000})
        for (std::int64_t threshold = 0; threshold <= 100; ++threshold) {
            Goal goal{threshold, {}};
            const auto found = seek(goal, 0, 100, start);
            ASSERT_TRUE(found) << "threshold " << threshold << " start " << start;
            EXPECT_EQ(*found, threshold) << "start " << start;
            for (const auto& [k, times] : goal.evaluated)
                EXPECT_EQ(times, 1) << "candidate " << k << " evaluated twice";
            // Doubling then bisecting: about 2 log2(range) evaluations at most.
            EXPECT_LE(goal.evaluated.size(), 16u) << "threshold " << threshold;
        }
}

TEST(GoalSeek, SaysWhenNothingInRangeMeetsTheGoal) {
    Goal goal{101, {}};
    EXPECT_FALSE(seek(goal, 0, 100, 5));
    EXPECT_EQ(goal.evaluated.count(100), 1u) << "the largest value is tried";
    Goal single{5, {}};
    EXPECT_FALSE(seek(single, 3, 3, 3));
    EXPECT_EQ(single.evaluated.size(), 1u);
}

TEST(GoalSeek, StartsFromTheGivenValueAndDoubles) {
    // A scenario's own budget is usually close to the answer: the search starts there.
    Goal goal{37, {}};
    EXPECT_EQ(seek(goal, 0, 1000, 30), 37);
    auto it = goal.evaluated.begin();
    EXPECT_EQ(it->first, 0) << "the lowest value is tried first";
    EXPECT_TRUE(goal.evaluated.count(30));
    EXPECT_TRUE(goal.evaluated.count(60)) << "doubled from 30";
    EXPECT_FALSE(goal.evaluated.count(120)) << "no doubling past the first success";
}

TEST(GoalSeek, NeverOverflowsNearTheLargestIntegers) {
    const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 1;
    Goal goal{big - 5, {}};
    EXPECT_EQ(seek(goal, 0, big, 1), big - 5);
    EXPECT_THROW(seek(goal, 10, 9, 0), std::invalid_argument);
}

TEST(GoalSeek, WilsonIntervalMatchesPublishedValuesAndStaysInsideZeroAndOne) {
    // 8 of 10: Wilson 95% interval [0.4902, 0.9433] (Newcombe 1998, method 3).
    const auto [lo, hi] = wilson_interval_95(8, 10);
    EXPECT_NEAR(lo, 0.4902, 5e-4);
    EXPECT_NEAR(hi, 0.9433, 5e-4);
    const auto [lo0, hi0] = wilson_interval_95(0, 20);
    EXPECT_EQ(lo0, 0.0);
    EXPECT_NEAR(hi0, 0.1611, 5e-4);
    const auto [lo1, hi1] = wilson_interval_95(20, 20);
    EXPECT_NEAR(lo1, 0.8389, 5e-4);
    EXPECT_EQ(hi1, 1.0);
    EXPECT_THROW(wilson_interval_95(0, 0), std::invalid_argument);
}
