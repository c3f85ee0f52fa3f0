#pragma once
/// \file
/// What a valid scenario asks that it cannot get: not errors (the run is well defined), but
/// numbers a planner would otherwise read as the programme's effect when they are its limits.

#include "ulcsim/input_error.hpp"
#include "ulcsim/scenario.hpp"

#include <vector>

namespace ulcsim {

/// Warnings (Diagnostic::warning), each located at the key it concerns:
/// - a programme's quota above the workers it may fund: the resident workers of its regions
///   in its eligible segments at the start (an upper bound: occupation, income and age
///   limits and those already covered only lower it);
/// - a yearly budget that pays the programme's share of the premium for under 80% of its
///   quota (or of the eligible workers, if fewer) over the months it funds in that year.
std::vector<Diagnostic> scenario_warnings(const Scenario& scenario);

} // namespace ulcsim
