// The scenario stored in a run file, read back for inspect and the report: its description
// and every cited source, and nothing at all from text that is not TOML.

#include "ulcsim/stored_scenario.hpp"

#include <gtest/gtest.h>

using namespace ulcsim;

TEST(StoredScenario, DescriptionAndTheSourcesOfProgrammesPoliciesAndObservations) {
    const StoredScenarioText t = stored_scenario_text(R"(
[run]
name = "x"
description = "Kota Magelang, \"APBD\" 2024 – 2025"

[[programme]]
name = "apbd"
source = "Perwal 18/2023"

[[programme]]
name = "csr"

[[policy]]
name = "campaign"
source = "news, Oct 2024"

[[observation]]
region = "33.71"
month = "2024-10"
source = "BPJS branch"
)");
    ASSERT_TRUE(t.readable);
    EXPECT_EQ(t.description, "Kota Magelang, \"APBD\" 2024 – 2025");
    ASSERT_EQ(t.sources.size(), 3u); // the programme without a source is left out
    EXPECT_EQ(t.sources[0].what, "programme apbd");
    EXPECT_EQ(t.sources[0].source, "Perwal 18/2023");
    EXPECT_EQ(t.sources[1].what, "policy campaign");
    EXPECT_EQ(t.sources[2].what, "observation 33.71 2024-10");
    EXPECT_EQ(t.sources[2].source, "BPJS branch");
}

TEST(StoredScenario, TextThatIsNotTomlGivesNothing) {
    const StoredScenarioText t = stored_scenario_text("[run\ndescription = ");
    EXPECT_FALSE(t.readable);
    EXPECT_TRUE(t.description.empty());
    EXPECT_TRUE(t.sources.empty());
    EXPECT_TRUE(stored_scenario_text("").readable); // empty TOML: no description
}
