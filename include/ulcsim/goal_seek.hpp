#pragma once
/// \file
/// Goal seeking: the smallest value of a lever (a programme's yearly budget, its funded months,
/// any numeric scenario key) for which a goal is met — for a planner, "what budget gets
/// coverage to 40% by 2026 with 80% probability?". The goal is met or not for each candidate by
/// an ensemble, which is costly, so the search evaluates as few candidates as it can and never
/// one twice; it assumes the goal is monotone in the lever (more money never hurts).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

namespace ulcsim {

/// The smallest k in [lowest, highest] with met(k), for a `met` that is false up to some k and
/// true from it; nullopt when met(highest) is false. Tries `lowest`; then `start` (clamped to
/// (lowest, highest]), doubling until the goal is met or `highest` is reached; then bisects
/// between the last candidate that failed and the first that met it. Throws
/// std::invalid_argument when highest < lowest.
std::optional<std::int64_t> smallest_meeting(std::int64_t lowest, std::int64_t highest,
                                             std::int64_t start,
                                             const std::function<bool(std::int64_t)>& met);

/// Wilson score interval for a binomial proportion (95%): honest at 0 and 1, where the normal
/// approximation collapses to a point. `n` must be positive.
std::pair<double, double> wilson_interval_95(std::size_t successes, std::size_t n);

} // namespace ulcsim
