// scenarios/README.md is the user's reference for the scenario language. Every key it
// documents must be accepted by the validator (no "unknown key"), so the document cannot
// drift from the code unnoticed.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <set>

namespace {

struct DocumentedKey {
    std::string table; ///< "[run]", "[[programme.window]]", ...
    std::string key;   ///< as written in TOML: seed, "15-24"
};

std::vector<std::string> backticked(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = text.find('`', pos)) != std::string::npos) {
        const std::size_t end = text.find('`', pos + 1);
        if (end == std::string::npos) break;
        out.push_back(text.substr(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return out;
}

std::vector<DocumentedKey> documented_keys() {
    std::ifstream in(ulcsim::test::scenarios_dir() / "README.md");
    std::vector<DocumentedKey> keys;
    std::string table;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("#")) {
            const auto names = backticked(line);
            table = !names.empty() && names[0].starts_with("[") ? names[0] : "";
            continue;
        }
        if (table.empty() || !line.starts_with("| `")) continue;
        const std::string first_cell = line.substr(1, line.find('|', 1) - 1);
        for (const std::string& key : backticked(first_cell))
            keys.push_back({table, key});
    }
    return keys;
}

/// A TOML document that sets `key` in `table` (to a value of the wrong type, which is fine:
/// only "unknown key" matters here).
std::string document_setting(const DocumentedKey& k) {
    std::string text;
    if (k.table.starts_with("[programme.") || k.table.starts_with("[[programme."))
        text += "[[programme]]\n";
    text += k.table + "\n" + k.key + " = {}\n";
    return text;
}

} // namespace

TEST(ScenarioDocumentation, DocumentsTheWholeLanguage) {
    const auto keys = documented_keys();
    // Guards the README parser itself: the reference has well over a hundred keys.
    EXPECT_GT(keys.size(), 100u);
    std::set<std::string> tables;
    for (const auto& k : keys)
        tables.insert(k.table);
    for (const char* t :
         {"[run]", "[regions]", "[population]", "[behaviour]", "[benefits]", "[[programme]]",
          "[[programme.window]]", "[programme.eligibility]", "[[policy]]", "[[observation]]",
          "[ulc]", "[[commuting]]", "[[population.region]]"})
        EXPECT_TRUE(tables.count(t)) << t;
}

TEST(ScenarioDocumentation, EveryDocumentedKeyIsAccepted) {
    ulcsim::test::ScratchDir dir;
    for (const DocumentedKey& k : documented_keys()) {
        const auto file = dir.write("doc.toml", document_setting(k));
        try {
            ulcsim::load_scenario(file);
        } catch (const ulcsim::InputError& e) {
            for (const ulcsim::Diagnostic& d : e.diagnostics())
                EXPECT_EQ(d.message.find("unknown key"), std::string::npos)
                    << k.table << " " << k.key << ": " << d.format();
        }
    }
}
