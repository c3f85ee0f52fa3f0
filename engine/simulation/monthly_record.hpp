#pragma once
// The end of the month: the combined tally becomes the month's series, in workers and
// rupiah (agents × scale).

#include "agent_tally.hpp"
#include "programme_book.hpp"
#include "region_exchange.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/tally.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace ulcsim::detail {

/// What the programmes did this month, by programme.
struct ProgrammeMonth {
    std::span<const std::int64_t> allocated;
    std::span<const std::int64_t> renewed;
};

/// Records run month `month` of the owned regions (the others stay +0.0) and of the
/// programmes, and each owned region's labour force for the next month's entrants.
/// `registered` is room for the participants registered by region and segment, which the
/// members of the exchange sum.
void record_month(std::size_t month, const Scenario& s, const TallyLayout& layout,
                  const ThreadTally& totals, const ProgrammeMonth& programmes,
                  const ProgrammeBook& book, RegionExchange& exchange,
                  std::vector<std::int64_t>& registered, std::span<std::int64_t> labour_force,
                  ReplicateSeries& result);

} // namespace ulcsim::detail
