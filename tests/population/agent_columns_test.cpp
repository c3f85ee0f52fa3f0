// The agent layout described once: the column descriptors cover every column of a
// Population exactly once at its element size, and the traits view reads back what it packs.

#include "ulcsim/agent_columns.hpp"
#include "ulcsim/population.hpp"

#include <bit>
#include <cstring>
#include <gtest/gtest.h>
#include <set>
#include <string>

using namespace ulcsim;

TEST(AgentColumns, DescribeEveryColumnOnceAtItsElementSize) {
    Population p;
    std::set<std::string> names;
    std::set<const void*> columns;
    std::size_t bytes = 0;
    for_each_agent_column(p, [&](const auto& descriptor, auto& column) {
        using T = typename std::decay_t<decltype(descriptor)>::value_type;
        EXPECT_EQ(sizeof(T), sizeof(column[0])) << descriptor.name;
        EXPECT_FALSE(descriptor.units.empty()) << descriptor.name;
        names.insert(std::string(descriptor.name));
        columns.insert(&column);
        bytes += sizeof(T);
    });
    EXPECT_EQ(names.size(), agent_column_count);
    EXPECT_EQ(columns.size(), agent_column_count);
    EXPECT_EQ(sizeof(AgentColumns), agent_column_count * sizeof(Column<std::uint8_t>))
        << "a column of AgentColumns is missing from agent_columns";
    EXPECT_EQ(bytes, agent_bytes);
    EXPECT_EQ(Population::bytes_per_agent, agent_bytes);
}

TEST(AgentTraits, ReadsBackWhatItPacks) {
    for (std::size_t g = 0; g < segment_count; ++g)
        for (std::size_t o = 0; o < occupation_count; ++o)
            for (const bool fears : {false, true})
                for (const bool ever : {false, true}) {
                    const AgentTraits t{AgentTraits::pack(static_cast<Segment>(g),
                                                          static_cast<Occupation>(o), fears, ever)};
                    EXPECT_TRUE(t.holds_worker());
                    EXPECT_EQ(t.segment(), static_cast<Segment>(g));
                    EXPECT_EQ(t.occupation(), static_cast<Occupation>(o));
                    EXPECT_EQ(t.fears_bansos(), fears);
                    EXPECT_EQ(t.ever_covered(), ever);
                    const AgentTraits moved{AgentTraits::with_segment(t.bits, 2)};
                    EXPECT_EQ(moved.segment(), Segment::vulnerable);
                    EXPECT_EQ(moved.occupation(), t.occupation());
                    EXPECT_EQ(moved.fears_bansos(), fears);
                    EXPECT_EQ(moved.ever_covered(), ever);
                }
    EXPECT_FALSE(AgentTraits{no_worker}.holds_worker());
    EXPECT_FALSE(AgentTraits{AgentTraits::with_segment(0xFC, no_worker)}.holds_worker());
}

TEST(AgentTraits, FreeLanesMarkTheBytesThatHoldNoWorker) {
    const std::uint8_t bytes[8] = {
        AgentTraits::pack(Segment::formal, Occupation::other, true, true),
        no_worker,
        AgentTraits::pack(Segment::vulnerable, Occupation::waste, true, true),
        AgentTraits::with_segment(0xFF, no_worker),
        AgentTraits::pack(Segment::informal, Occupation::farmer, false, false),
        0,
        no_worker,
        AgentTraits::pack(Segment::vulnerable, Occupation::other, true, true)};
    static_assert(std::endian::native == std::endian::little);
    std::uint64_t word;
    std::memcpy(&word, bytes, sizeof word);
    const std::uint64_t lanes = AgentTraits::free_lanes(word);
    for (int i = 0; i < 8; ++i)
        EXPECT_EQ((lanes >> (8 * i)) & 1, AgentTraits{bytes[i]}.holds_worker() ? 0u : 1u)
            << "byte " << i;
}
