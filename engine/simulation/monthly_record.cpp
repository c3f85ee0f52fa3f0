#include "monthly_record.hpp"

#include "ulcsim/agent_scale.hpp"

namespace ulcsim::detail {

namespace {

/// An employer may register a worker in a region another member of the exchange
/// simulates: the participants registered in a region are summed over the members before
/// its owner records them.
void record_registered(std::size_t month, const Scenario& s, const ThreadTally& totals,
                       RegionExchange& exchange, std::vector<std::int64_t>& registered,
                       ReplicateSeries& result) {
    const AgentScale scale(s.population.scale_workers_per_agent);
    registered.assign(s.regions.size() * segment_count, 0);
    for (std::size_t k = 0; k < s.regions.size(); ++k)
        for (std::size_t g = 0; g < segment_count; ++g)
            registered[k * segment_count + g] =
                totals.counts[TallyLayout::cell(k, g, SeriesMetric::covered_registered)];
    exchange.sum(std::span<std::int64_t>(registered));
    const std::span<const std::uint8_t> owned = exchange.owned();
    for (std::size_t k = 0; k < s.regions.size(); ++k)
        if (owned[k])
            for (std::size_t g = 0; g < segment_count; ++g)
                result.at(SeriesMetric::covered_registered, month, k, static_cast<Segment>(g)) =
                    scale.workers(registered[k * segment_count + g]);
}

} // namespace

void record_month(std::size_t month, const Scenario& s, const TallyLayout& layout,
                  const ThreadTally& totals, const ProgrammeMonth& programmes,
                  const ProgrammeBook& book, RegionExchange& exchange,
                  std::vector<std::int64_t>& registered, std::span<std::int64_t> labour_force,
                  ReplicateSeries& result) {
    const std::span<const std::uint8_t> owned = exchange.owned();
    const AgentScale scale(s.population.scale_workers_per_agent);
    const Benefits& b = s.benefits;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        if (!owned[k]) continue; // +0.0: another member records it
        std::int64_t lf = 0;
        for (std::size_t g = 0; g < segment_count; ++g) {
            const auto segment = static_cast<Segment>(g);
            for (std::size_t m = 0; m < series_metric_count; ++m)
                result.at(static_cast<SeriesMetric>(m), month, k, segment) = scale.workers(
                    totals.counts[TallyLayout::cell(k, g, static_cast<SeriesMetric>(m))]);
            const auto claims = totals.counts[TallyLayout::cell(k, g, SeriesMetric::jkm_claims)];
            const auto reduced = totals.counts[TallyLayout::cell(k, g, reduced_jkm_claims)];
            result.at(SeriesMetric::jkm_paid_idr, month, k, segment) =
                scale.workers(static_cast<double>(claims - reduced) * b.jkm_idr +
                              static_cast<double>(reduced) * b.jkm_waiting_idr);
            result.at(SeriesMetric::jkk_paid_idr, month, k, segment) = scale.workers(
                static_cast<double>(
                    totals.counts[TallyLayout::cell(k, g, SeriesMetric::jkk_claims)]) *
                b.jkk_mean_claim_idr);
            result.at(SeriesMetric::jkk_death_paid_idr, month, k, segment) = scale.workers(
                static_cast<double>(
                    totals.counts[TallyLayout::cell(k, g, SeriesMetric::jkk_death_claims)]) *
                b.jkk_death_wage_months * b.wage_idr_per_month(segment));
            result.at(SeriesMetric::scholarships_idr, month, k, segment) = scale.workers(
                static_cast<double>(totals.counts[TallyLayout::cell(k, g, scholarship_deaths)]) *
                b.scholarship_idr_per_death());
            double premiums = 0;
            for (std::size_t j = 0; j < s.programmes.size(); ++j)
                premiums +=
                    static_cast<double>(totals.programme_members[layout.member_cell(k, g, j)]) *
                    s.programmes[j].programme_premium_idr();
            result.at(SeriesMetric::programme_paid_idr, month, k, segment) =
                scale.workers(premiums);
            lf += totals.counts[TallyLayout::cell(k, g, SeriesMetric::labour_force)];
        }
        labour_force[k] = lf;
    }
    record_registered(month, s, totals, exchange, registered, result);
    for (std::size_t j = 0; j < s.programmes.size(); ++j) {
        const double premium = s.programmes[j].programme_premium_idr();
        const auto n = [&](std::int64_t v) { return scale.workers(v); };
        result.at(ProgrammeMetric::members, month, j) = n(totals.members[j]);
        result.at(ProgrammeMetric::enrolled, month, j) =
            n(totals.enrolled[j] + programmes.allocated[j]);
        result.at(ProgrammeMetric::renewed, month, j) = n(programmes.renewed[j]);
        result.at(ProgrammeMetric::left, month, j) = n(totals.left[j]);
        result.at(ProgrammeMetric::spent_idr, month, j) = n(totals.members[j]) * premium;
        result.at(ProgrammeMetric::committed_idr, month, j) = book.committed_this_year(j);
        result.at(ProgrammeMetric::budget_idr, month, j) = book.budget_this_year(j);
    }
}

} // namespace ulcsim::detail
