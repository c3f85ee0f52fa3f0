#pragma once
// Drawing one worker's place and traits from the scenario: shared by the synthesis of the
// starting population and by new entrants, so that both follow the same distributions.

#include "ulcsim/population.hpp"
#include "ulcsim/rng.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace ulcsim::detail {

/// Cumulative integer thresholds of a categorical distribution: category k is chosen when a
/// 32-bit word falls below cumulative[k] and not below cumulative[k − 1].
template <std::size_t N>
std::array<std::uint64_t, N> cumulative_thresholds(const std::array<double, N>& shares) {
    std::array<std::uint64_t, N> out{};
    double total = 0;
    for (double s : shares)
        total += s;
    double running = 0;
    for (std::size_t k = 0; k < N; ++k) {
        running += shares[k];
        out[k] = CounterRng::threshold(total > 0 ? running / total : 0);
    }
    // The last category with a positive share takes every remaining word, so rounding of the
    // shares can never leave a draw without a category.
    for (std::size_t k = N; k-- > 0;)
        if (shares[k] > 0) {
            out[k] = std::uint64_t{1} << 32;
            break;
        }
    return out;
}

template <std::size_t N>
std::size_t pick(std::uint32_t word, const std::array<std::uint64_t, N>& cumulative) {
    for (std::size_t k = 0; k < N; ++k)
        if (word < cumulative[k]) return k;
    return N - 1;
}

/// Everything synthesis needs about one scenario region, resolved once.
struct RegionPlan {
    std::uint32_t agents = 0;   ///< at the start of the run
    std::uint32_t formal = 0;   ///< agents [0, formal) of the region are formal
    std::uint32_t informal = 0; ///< then informal, then vulnerable
    std::uint16_t villages = 1;
    std::uint16_t desa = 1; ///< villages [0, desa) are desa, the rest kelurahan
    double km_to_office = 0;
    double formal_share = 0;
    double vulnerable_share_of_informal = 0;
    std::array<std::uint64_t, segment_count> coverage{}; ///< threshold per segment
    /// The expected share covered at the start per segment, which `coverage` draws.
    std::array<double, segment_count> starting_share{};
    /// Threshold per segment for an uncovered starting worker to be a non-active member.
    std::array<std::uint64_t, segment_count> nonactive{};
    /// Registration destinations of formal workers: cumulative thresholds and regions.
    std::vector<std::pair<std::uint64_t, std::uint16_t>> registration;
};

class WorkerSynthesis {
public:
    explicit WorkerSynthesis(const Scenario& scenario);

    const std::vector<RegionPlan>& plans() const { return plans_; }

    /// Agent `slot` as the `index`-th starting worker of scenario region `region`.
    void starting_worker(Population& p, const CounterRng& rng, std::uint32_t slot,
                         std::size_t region, std::uint32_t index) const;

    /// Agent `slot` as a worker entering the labour force in run month `month`: young,
    /// uncovered, segment drawn from the region's shares.
    void entrant(Population& p, const CounterRng& rng, std::uint32_t slot, std::size_t region,
                 int month) const;

private:
    void place_and_traits(Population& p, std::uint32_t slot, std::size_t region, std::size_t g,
                          const DrawWords& place, const DrawWords& trait, bool young) const;

    const Scenario& scenario_;
    std::vector<RegionPlan> plans_;
    std::array<std::array<std::uint64_t, occupation_count>, segment_count> occupation_cdf_{};
    std::array<std::array<std::uint64_t, income_band_count>, segment_count> income_cdf_{};
    std::array<std::uint64_t, segment_count> fear_threshold_{};
    std::array<std::uint64_t, age_band_count> age_cdf_{};
    std::uint64_t autodebit_ = 0;
    int oldest_ = 0;
};

} // namespace ulcsim::detail
