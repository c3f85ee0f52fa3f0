#include "ulcsim/stored_scenario.hpp"

#include <toml++/toml.h>

namespace ulcsim {

StoredScenarioText stored_scenario_text(std::string_view text) {
    StoredScenarioText out;
    toml::table doc;
    try {
        doc = toml::parse(text);
    } catch (const std::exception&) {
        return out;
    }
    out.readable = true;
    out.description = doc["run"]["description"].value_or(std::string{});
    const auto collect = [&](const char* array, const char* label) {
        if (const toml::array* items = doc[array].as_array())
            for (const toml::node& item : *items) {
                const toml::table* t = item.as_table();
                if (!t) continue;
                const std::string source = (*t)["source"].value_or(std::string{});
                if (!source.empty())
                    out.sources.push_back(
                        {std::string(label) + " " + (*t)["name"].value_or(std::string{}), source});
            }
    };
    collect("programme", "programme");
    collect("policy", "policy");
    if (const toml::array* items = doc["observation"].as_array())
        for (const toml::node& item : *items) {
            const toml::table* t = item.as_table();
            if (!t) continue;
            const std::string source = (*t)["source"].value_or(std::string{});
            if (!source.empty())
                out.sources.push_back({"observation " + (*t)["region"].value_or(std::string{}) +
                                           " " + (*t)["month"].value_or(std::string{}),
                                       source});
        }
    return out;
}

} // namespace ulcsim
