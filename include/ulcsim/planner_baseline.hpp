#pragma once
/// \file
/// The planner's baseline: what a scenario's levers are measured against, one definition for
/// `ulcsim report` (its automatic baseline), `ulcsim serve` (the page, baseline.toml, the
/// downloads) and the summaries that say what the baseline left out.
///
/// The rule: the baseline is the same scenario without every funding programme and without
/// every policy (regulation, campaign) that starts in the run's first month or later — the
/// levers being tested. A policy in force before the run starts (a Perwal of 2023 in a 2025
/// run) is the status quo the planner starts from, and stays: removing it would credit the
/// tested levers with what an existing rule already does. Programmes all go, whenever they
/// started, because the summary's money and cost per added worker are the programmes'
/// premiums: a programme kept in the baseline would be paid for on both sides and drop out of
/// the cost, while its members would still count as the baseline's.

#include "ulcsim/calendar.hpp"
#include "ulcsim/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

/// Whether the planner's baseline keeps a policy starting `policy_start` in a run starting
/// `run_start`: only when it is in force before the run.
bool planner_baseline_keeps_policy(Month policy_start, Month run_start);

/// A funding programme or policy of a scenario, as a summary names it.
struct ScenarioLever {
    std::string kind; ///< "programme" or "policy"
    std::string name;
    std::string start; ///< "YYYY-MM": a programme's first window, a policy's start
    bool operator==(const ScenarioLever&) const = default;
};

/// The scenario's programmes, then its policies, in the order written.
std::vector<ScenarioLever> scenario_levers(const Scenario& scenario);

/// What a baseline left out of a run's scenario and what it kept, by kind and name.
struct BaselineContents {
    std::vector<ScenarioLever> removed; ///< the run's levers the baseline does not have
    std::vector<ScenarioLever> kept;    ///< the baseline's own levers
};
BaselineContents baseline_contents(const std::vector<ScenarioLever>& run,
                                   const std::vector<ScenarioLever>& baseline);

/// The summary's one line about it: "The baseline removes programme a (from 2025-01) and
/// policy b (from 2025-07); it keeps policy c (in force from 2024-07)."
std::string baseline_contents_line(const BaselineContents& contents);

/// The same as JSON for the pages: {"removed": [{"kind", "name", "start"}, …], "kept": […]}.
std::string baseline_contents_json(const BaselineContents& contents);

/// The `--set` overrides that make the planner's baseline of `scenario` from its text
/// (`programme=[]`, `policy=[]` or `remove_policies=[…]`; none when there is nothing to
/// remove).
std::vector<std::string> planner_baseline_overrides(const Scenario& scenario);

/// The planner's baseline of `scenario`: its merged text (resolved_toml) read again with
/// planner_baseline_overrides() and `more` (e.g. a run.name), named as the scenario's file in
/// messages. Throws InputError when the text cannot be read back here (one naming files).
Scenario planner_baseline(const Scenario& scenario, const std::vector<std::string>& more = {});

} // namespace ulcsim
