// scenarios/README.md is the user's reference for the scenario language. Its key tables are
// generated from the table of scenario keys (`ulcsim keys --markdown`), so the reference
// documents exactly the keys the validator reads, with the validator's ranges: this test
// fails when a table in the README is not what the table of keys generates now
// (tools/update_key_reference.sh rewrites them).

#include "support/test_support.hpp"
#include "ulcsim/scenario_keys.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

namespace {

/// The generated blocks of the README: heading ("[run]", "" for the top level) → the text
/// between its markers.
std::multimap<std::string, std::string> generated_blocks() {
    std::ifstream in(ulcsim::test::scenarios_dir() / "README.md");
    const std::string begin = "<!-- keys ", end = "<!-- end of keys -->";
    std::multimap<std::string, std::string> blocks;
    std::string heading, text;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with(begin)) {
            EXPECT_FALSE(inside) << "a block inside a block: " << line;
            heading = line.substr(begin.size(), line.find(": generated") - begin.size());
            if (heading == "(top level)") heading.clear();
            text.clear();
            inside = true;
        } else if (line == end) {
            EXPECT_TRUE(inside) << "an end marker without a beginning";
            blocks.emplace(heading, text);
            inside = false;
        } else if (inside) {
            text += line + "\n";
        }
    }
    EXPECT_FALSE(inside) << "the last block has no end marker";
    return blocks;
}

} // namespace

TEST(ScenarioDocumentation, KeyTablesAreTheGeneratedOnes) {
    const auto blocks = generated_blocks();
    const std::vector<std::string> headings = ulcsim::key_table_headings();
    EXPECT_GT(headings.size(), 20u);
    for (const std::string& heading : headings) {
        SCOPED_TRACE("key table " + (heading.empty() ? "(top level)" : heading) +
                     " of scenarios/README.md (tools/update_key_reference.sh rewrites it)");
        ASSERT_EQ(blocks.count(heading), 1u);
        EXPECT_EQ(blocks.find(heading)->second, ulcsim::key_reference_markdown(heading));
    }
    EXPECT_EQ(blocks.size(), headings.size()) << "a block for a table the keys do not have";
}

TEST(ScenarioDocumentation, TheReferenceShowsRangesTypesAndMeanings) {
    // The generator itself: a row per key of the table, its columns as the reader needs them.
    const std::string behaviour = ulcsim::key_reference_markdown("[behaviour]");
    EXPECT_TRUE(behaviour.starts_with("| key | type | unit | default | range | meaning |\n"));
    EXPECT_NE(behaviour.find("| `h_lapse` | hazard | /month | `0.065` | [0, 10] | Self-payer "
                             "stops paying (5–8% a month). |\n"),
              std::string::npos)
        << behaviour;
    EXPECT_NE(behaviour.find("| `exit_age_years` | integer | years | `70` | 50 … 100 |"),
              std::string::npos);
    const std::string ulc = ulcsim::key_reference_markdown("[ulc]");
    EXPECT_NE(ulc.find("| (0, 2] |"), std::string::npos) << ulc;
    EXPECT_NE(ulc.find("`coverage_share`, `resident_coverage`"), std::string::npos) << ulc;
    // Columns no key of the table fills are left out.
    const std::string ages = ulcsim::key_reference_markdown("[population.age_bands]");
    EXPECT_TRUE(ages.starts_with("| key | type | default | range | meaning |\n")) << ages;
    EXPECT_NE(ages.find("| `\"65+\"` |"), std::string::npos) << "a key TOML must quote";
    const std::string mortality = ulcsim::key_reference_markdown("[behaviour.mortality]");
    EXPECT_NE(mortality.find("| `15-24`, `25-34`, `35-44`, `45-54`, `55-64`, `\"65+\"` |"),
              std::string::npos)
        << mortality;
}
