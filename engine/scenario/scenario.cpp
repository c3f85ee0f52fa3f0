#include "ulcsim/scenario.hpp"

#include "scenario_builder.hpp"
#include "scenario_document.hpp"
#include "toml_reader.hpp"
#include "ulcsim/input_error.hpp"

#include <cmath>
#include <sstream>

namespace ulcsim {

Behaviour default_behaviour() {
    Behaviour b;
    b.accident_hazard.fill(0.0001);
    const auto set = [&](std::string_view occupation, double hazard) {
        b.accident_hazard[*index_of(occupation_names, occupation)] = hazard;
    };
    set("construction", 0.0008);
    set("fisher", 0.0006);
    set("transport", 0.0006);
    set("farmer", 0.0003);
    set("tobacco", 0.0003);
    set("waste", 0.0004);
    return b;
}

PopulationSpec default_population() {
    PopulationSpec p;
    const auto mix = [&](Segment segment,
                         std::initializer_list<std::pair<std::string_view, double>> shares) {
        auto& row = p.occupation_shares[static_cast<std::size_t>(segment)];
        row.fill(0);
        for (const auto& [name, share] : shares)
            row[*index_of(occupation_names, name)] = share;
    };
    mix(Segment::formal, {{"other", 0.70},
                          {"construction", 0.10},
                          {"transport", 0.05},
                          {"trader", 0.10},
                          {"tobacco", 0.05}});
    mix(Segment::informal, {{"farmer", 0.30},
                            {"fisher", 0.03},
                            {"tobacco", 0.02},
                            {"trader", 0.30},
                            {"transport", 0.10},
                            {"construction", 0.08},
                            {"other", 0.17}});
    mix(Segment::vulnerable, {{"farmer", 0.30},
                              {"fisher", 0.05},
                              {"tobacco", 0.05},
                              {"religious", 0.05},
                              {"transport", 0.10},
                              {"trader", 0.15},
                              {"construction", 0.08},
                              {"waste", 0.05},
                              {"community", 0.07},
                              {"other", 0.10}});
    return p;
}

double FundingProgramme::total_budget_idr() const {
    double total = 0;
    for (const auto& [year, amount] : budget_idr_per_year)
        total += amount;
    return total;
}

std::int64_t Scenario::region_data_employed_workers(std::size_t region) const {
    for (const RegionPopulationOverride& o : population.region_overrides)
        if (o.region == region && o.employed_workers) return *o.employed_workers;
    return region_table.regions()[region].employed_workers;
}

std::int64_t Scenario::employed_workers(std::size_t region) const {
    const std::int64_t workers = region_data_employed_workers(region);
    if (population.workforce_from == WorkforceSource::region_data) return workers;
    return std::llround(static_cast<double>(workers) * workforce_factor(region, run.start));
}

std::int64_t Scenario::total_employed_workers() const {
    std::int64_t total = 0;
    for (std::size_t r : regions)
        total += employed_workers(r);
    return total;
}

namespace detail {

Scenario build_scenario(const std::filesystem::path& file,
                        std::shared_ptr<const ScenarioDocument> document, Diagnostics& diagnostics,
                        const RegionTable* regions, NumbersRead* numbers) {
    Scenario scenario;
    scenario.file = file;
    std::ostringstream text;
    text << toml::toml_formatter(document->root);
    scenario.resolved_toml = text.str();

    TableReader root(&document->root, "", "", diagnostics,
                     SourceLocation{file.string(), 1, 1, false}, numbers);
    ScenarioBuilder(scenario, diagnostics, root, regions).build();
    if (!diagnostics.empty()) throw InputError(std::move(diagnostics.problems()));
    scenario.document = std::move(document);
    return scenario;
}

} // namespace detail

Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& overrides) {
    detail::Diagnostics diagnostics;
    std::vector<std::filesystem::path> files;
    std::vector<EntryOrigin> origins;
    auto document = detail::load_scenario_document(file, overrides, diagnostics, &files, &origins);
    if (!document) throw InputError(std::move(diagnostics.problems()));
    Scenario scenario = detail::build_scenario(
        file, std::make_shared<const ScenarioDocument>(ScenarioDocument{std::move(*document)}),
        diagnostics);
    if (files.size() > 1) scenario.entry_origins = std::move(origins);
    scenario.source_files = std::move(files);
    return scenario;
}

SourceLocation where_written(const Scenario& scenario, std::string_view key_path) {
    const SourceLocation file{scenario.file.string(), 0, 0, false};
    if (!scenario.document) return file;
    const toml::node_view<const toml::node> node = toml::at_path(scenario.document->root, key_path);
    if (!node) return file;
    const SourceLocation at = detail::location_of(node.node()->source(), file);
    // A --set value carries its argument as its "file"; the warning is the scenario's.
    return at.from_command_line ? file : at;
}

Scenario load_scenario_text(const std::string& text, const std::string& source_name,
                            const std::vector<std::string>& overrides) {
    detail::Diagnostics diagnostics;
    auto document = detail::scenario_document_from_text(text, source_name, overrides, diagnostics);
    if (!document) throw InputError(std::move(diagnostics.problems()));
    return detail::build_scenario(
        source_name,
        std::make_shared<const ScenarioDocument>(ScenarioDocument{std::move(*document)}),
        diagnostics);
}

} // namespace ulcsim
