// Workers and agents: each rounding of AgentScale on the values where roundings differ.

#include "ulcsim/agent_scale.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

TEST(AgentScale, ARegionGetsTheNearestNumberOfAgents) {
    const AgentScale scale(4);
    EXPECT_EQ(scale.agents_nearest(9), 2);  // 2.25
    EXPECT_EQ(scale.agents_nearest(10), 3); // 2.5: halves away from zero
    EXPECT_EQ(scale.agents_nearest(11), 3);
    EXPECT_EQ(AgentScale(1).agents_nearest(7), 7);
}

TEST(AgentScale, AQuotaNeverAdmitsMoreAgentsThanItPaysFor) {
    const AgentScale scale(4);
    EXPECT_EQ(scale.agents_within(11), 2); // 2.75
    EXPECT_EQ(scale.agents_within(12), 3);
    EXPECT_EQ(scale.agents_within(3), 0);
    // An exact multiple whose quotient rounds just below the integer still counts in full.
    EXPECT_LT(33 / 1.1, 30.0);
    EXPECT_EQ(AgentScale(1.1).agents_within(33), 30);
}

TEST(AgentScale, ABoundIsAboveEveryAgentItBounds) {
    const AgentScale scale(4);
    EXPECT_EQ(scale.agents_beyond(0), 1);
    EXPECT_EQ(scale.agents_beyond(8), 3);
    EXPECT_EQ(scale.agents_beyond(11), 3);
}

TEST(AgentScale, AgentsBecomeWorkersByTheScale) {
    const AgentScale scale(2.5);
    EXPECT_EQ(scale.workers(std::int64_t{4}), 10.0);
    EXPECT_EQ(scale.workers(1.5), 3.75);
    EXPECT_EQ(scale.workers_per_agent(), 2.5);
}
