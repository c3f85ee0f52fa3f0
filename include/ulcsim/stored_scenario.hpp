#pragma once
/// \file
/// What a reader of a run file wants from the scenario stored in it (/meta@scenario_toml, the
/// resolved scenario as TOML): its description and the sources cited by its programmes,
/// policies and observations. Read with the scenario language's own TOML parser, so that
/// `inspect` and the report need none of their own.

#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

struct CitedSource {
    std::string what;   ///< "programme kota-magelang-apbd", "observation 33.71 2024-10"
    std::string source; ///< as the scenario gives it
};

struct StoredScenarioText {
    bool readable = false;   ///< false: the text is not TOML (an old or damaged file)
    std::string description; ///< run.description, empty when absent
    std::vector<CitedSource> sources;
};

/// The description and sources of a stored scenario; `readable` false (and nothing else)
/// when the text does not parse.
StoredScenarioText stored_scenario_text(std::string_view toml);

} // namespace ulcsim
