// The phase table: every phase has one entry with its own name, and the profile's names are
// the table's, so a report cannot pair a time with another phase's name.

#include "ulcsim/phases.hpp"
#include "ulcsim/tally.hpp"

#include <gtest/gtest.h>
#include <set>
#include <string_view>

using namespace ulcsim;

TEST(Phases, EveryPhaseHasOneEntryWithItsOwnName) {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < phase_table.size(); ++i) {
        EXPECT_EQ(phase_index(phase_table[i].phase), i);
        EXPECT_FALSE(phase_table[i].name.empty());
        names.insert(phase_table[i].name);
    }
    EXPECT_EQ(names.size(), phase_table.size());
    EXPECT_EQ(phase_name(Phase::allocation), "programme allocation");
}

TEST(Phases, ProfileTimesAreNamedAndIndexedByTheTable) {
    ASSERT_EQ(PhaseTimes::count, phase_table.size());
    PhaseTimes times;
    for (const PhaseEntry& p : phase_table) {
        EXPECT_EQ(PhaseTimes::names[phase_index(p.phase)], p.name);
        times.of(p.phase) = static_cast<double>(phase_index(p.phase));
    }
    for (std::size_t i = 0; i < PhaseTimes::count; ++i)
        EXPECT_EQ(times.seconds[i], static_cast<double>(i));
}
