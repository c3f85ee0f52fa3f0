#include "agent_phases.hpp"

#include "coverage_candidates.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace ulcsim::detail {

namespace {

bool has_birthday(const MonthParameters& month, std::uint32_t a) {
    return (static_cast<std::uint32_t>(month.calendar_index) + a) % 12 == 0;
}

void leave_programme(Population& pop, const MonthParameters& month, std::uint32_t a,
                     ThreadTally& tt) {
    const std::uint8_t p = pop.payer[a];
    if (p < programme_base) return;
    const std::size_t j = p - programme_base;
    ++tt.left[j];
    if (pop.paid_until[a] >= month.now) ++tt.released[j];
}

/// A worker leaves the labour force (death, ageing out). A programme member's unpaid
/// months return to the budget.
void leave_labour_force(Population& pop, const MonthParameters& month, std::uint32_t a,
                        ThreadTally& tt) {
    leave_programme(pop, month, a, tt);
    pop.traits[a] = no_worker;
    pop.payer[a] = payer_none;
    pop.paid_until[a] = 0;
}

std::uint64_t self_enrolment_threshold(const Population& pop, const MonthParameters& month,
                                       std::uint32_t a, std::size_t k) {
    const unsigned fears = (pop.traits[a] & AgentTraits::fears_bit) ? 1u : 0u;
    const double h = month.self_hazard[detail::self_hazard_index(pop.awareness[a],
                                                                 pop.income_band_of(a), fears)] *
                     month.village_self_factor[month.village_first[k] + pop.village[a]];
    return static_cast<std::uint64_t>(CounterRng::fast_probability_from_hazard(h) *
                                      month.registration_success[k] * 0x1p32);
}

/// A self-payer's continuation after the end of a subsidy: pays on (perhaps by
/// auto-debit) or falls into arrears from the last funded month.
void after_subsidy(Population& pop, const MonthParameters& month, const CounterRng& rng,
                   std::uint32_t a, std::size_t j, ThreadTally& tt) {
    tt.count_blocks(1);
    const auto r = rng.words(a, static_cast<std::uint32_t>(month.t), DrawPurpose::month_events, 1);
    if (r[1] < month.continue_after[j]) {
        pop.payer[a] = (r[2] >> 16) < month.autodebit_16 ? payer_self_autodebit : payer_self;
        pop.paid_until[a] = month.now;
    } else {
        pop.payer[a] = payer_self;
        pop.paid_until[a] =
            std::min<std::uint16_t>(pop.paid_until[a], static_cast<std::uint16_t>(month.now - 1));
    }
}

bool eligible(const Population& pop, std::uint32_t a, std::uint16_t desa,
              const FundingProgramme& p) {
    const Eligibility& e = p.eligibility;
    const AgentTraits traits{pop.traits[a]};
    if (!e.segments[traits.segment_bits()] || !e.occupations[traits.occupation_index()])
        return false;
    if (pop.income_band_of(a) > e.max_income_band) return false;
    if (pop.age_years[a] < e.min_age_years || pop.age_years[a] > e.max_age_years) return false;
    if (p.villages != VillageScope::all) {
        const bool in_desa = pop.village[a] < desa;
        if ((p.villages == VillageScope::desa) != in_desa) return false;
    }
    return true;
}

/// How many of those who accept programme p's offer in region k manage to register, as a
/// threshold on the offer's third word: all of them when the programme registers them.
std::uint64_t registration_threshold(const MonthParameters& month, const FundingProgramme& p,
                                     std::size_t k) {
    switch (p.registration) {
    case OfferRegistration::self:
        return CounterRng::threshold(month.registration_success[k]);
    case OfferRegistration::assisted:
        return month.assisted_registration;
    case OfferRegistration::programme:
        break;
    }
    return CounterRng::threshold(1.0);
}

/// The chunk's workers in tt.offered[0, n) meet the programmes of their region, one
/// programme after the other in the scenario's order, each programme's draws made in one
/// batch. A worker who accepts a programme without limits joins it and meets no later
/// programme; one who accepts a limited programme becomes its candidate and may also
/// be a later one's.
void offer_programmes(const MonthParameters& month, const ProgrammeOffers& offers,
                      const CounterRng& rng, Population& pop, std::size_t k, std::uint32_t n,
                      ThreadTally& tt) {
    const auto t = static_cast<std::uint32_t>(month.t);
    for (const std::uint16_t j : offers.region_programmes[k]) {
        if (!offers.recruiting[j]) continue;
        const FundingProgramme& p = offers.programmes[j];
        std::uint32_t m = 0;
        for (std::uint32_t i = 0; i < n; ++i) {
            const std::uint32_t a = tt.offered[i];
            if (pop.payer[a] < programme_base && eligible(pop, a, offers.desa[k], p))
                tt.eligible[m++] = a;
        }
        rng.words_for_agents(tt.eligible.data(), m, t, DrawPurpose::programme_offer, j,
                             tt.offer_words.data());
        tt.count_blocks(m);
        const bool unlimited = offers.unlimited[j] != 0;
        const std::vector<std::uint64_t>& by_worker = month.worker_acceptance[j];
        const std::uint64_t registered = registration_threshold(month, p, k);
        for (std::uint32_t i = 0; i < m; ++i) {
            const std::uint32_t a = tt.eligible[i];
            const DrawWords& offer = tt.offer_words[i];
            const unsigned fears = (pop.traits[a] & AgentTraits::fears_bit) ? 1u : 0u;
            const std::uint64_t accepts =
                by_worker.empty()
                    ? month.acceptance[j][fears]
                    : by_worker[self_hazard_index(pop.awareness[a], pop.income_band_of(a), fears)];
            if (offer[0] >= accepts || offer[2] >= registered) continue;
            if (unlimited) {
                join_programme(pop, a, j, offers.window_end[j], month.now);
                ++tt.enrolled[j];
                continue;
            }
            const std::uint64_t priority =
                p.targeting == Targeting::lowest_income_first
                    ? static_cast<std::uint64_t>(pop.income_band_of(a)) << 29 | (offer[1] >> 3)
                    : offer[1];
            tt.candidates[j].push(priority << 32 | a);
        }
    }
}

} // namespace

std::uint32_t draw_month(Chunk c, const Population& pop, const MonthParameters& month,
                         const CounterRng& rng, ChunkScratch& x) {
    std::uint32_t drawn = 0;
    const auto t = static_cast<std::uint32_t>(month.t);
    // A block for every slot, empty ones too: eight at a time is faster than skipping.
    rng.words_for_range(c.begin, c.end - c.begin, t, DrawPurpose::month_events, 0, x.draws.data());
    const std::uint16_t was_paid = static_cast<std::uint16_t>(month.now - 1);
    const std::uint8_t* const traits = pop.traits.data() + c.begin;
    const std::uint8_t* const income_band = pop.income_band.data() + c.begin;
    const std::uint8_t* const payer = pop.payer.data() + c.begin;
    const std::uint16_t* const paid_until = pop.paid_until.data() + c.begin;
    StateCode* const start = x.start.data();
    const std::uint32_t n = c.end - c.begin;
    for (std::uint32_t i = 0; i < n; ++i) {
        const StateCode code =
            state_code_of(traits[i], income_band[i], payer[i], paid_until[i], was_paid);
        start[i] = code;
        drawn += code & code_in_labour_force;
    }
    return drawn;
}

namespace {

void jkm_claim(const Population& pop, const MonthParameters& month, int jkm_waiting_months,
               std::uint32_t a, std::size_t k, std::size_t g, ThreadTally& tt) {
    ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::jkm_claims)];
    const int membership = month.now - pop.covered_since[a];
    if (membership < jkm_waiting_months) ++tt.counts[TallyLayout::cell(k, g, reduced_jkm_claims)];
    // The current spell stands for the years of contributions the JKM scholarship asks for.
    if (membership >= month.scholarship_membership_months)
        ++tt.counts[TallyLayout::cell(k, g, scholarship_deaths)];
}

} // namespace

void demography(Chunk c, ChunkScratch& x, const MonthParameters& month, int jkm_waiting_months,
                Population& pop, ThreadTally& tt) {
    const std::size_t k = c.region;
    // The stores below are to byte columns, which may alias anything: the month's tables and
    // the columns' data pointers are read once, not after every store.
    const std::uint64_t* const death_by_age = month.death_by_age.data();
    const int exit_age_years = month.exit_age_years;
    const auto& moves = month.move;
    std::uint8_t* const traits = pop.traits.data();
    std::uint8_t* const age_years = pop.age_years.data();
    std::uint8_t* const payer = pop.payer.data();
    std::uint16_t* const paid_until = pop.paid_until.data();
    for (std::uint32_t a = c.begin; a < c.end; ++a) {
        const std::uint32_t i = a - c.begin;
        if (!(x.start[i] & code_in_labour_force)) continue;
        const DrawWords& w = x.draws[i];
        std::size_t g = segment_of(traits[a]);
        const std::uint64_t death = death_by_age[age_years[a]];
        if (w[0] < death) {
            ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::deaths)];
            if (x.start[i] & code_covered) jkm_claim(pop, month, jkm_waiting_months, a, k, g, tt);
            leave_labour_force(pop, month, a, tt);
            continue;
        }
        x.above_death[i] = static_cast<std::uint32_t>(w[0] - death);
        // Birthdays come every twelfth slot, a pattern the branch predictor misses: the age is
        // added to without a branch, and only ageing out (rare) branches.
        const unsigned birthday = has_birthday(month, a);
        const auto age = static_cast<std::uint8_t>(age_years[a] + birthday);
        age_years[a] = age;
        if (birthday & unsigned{age >= exit_age_years}) {
            ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::aged_out)];
            leave_labour_force(pop, month, a, tt);
            continue;
        }
        const auto move = moves[g];
        if (w[1] < move[segment_count - 1]) {
            std::size_t d = 0;
            while (w[1] >= move[d])
                ++d;
            // A formal worker who leaves the job loses the employer's coverage.
            if (g == 0 && payer[a] == payer_employer) {
                payer[a] = payer_none;
                paid_until[a] = 0;
            }
            traits[a] = AgentTraits::with_segment(traits[a], static_cast<unsigned>(d));
            g = d;
        }
    }
}

// They use the part of the death word above the death
// threshold, so deaths and accidents keep their exact monthly probabilities.
void work_accidents(Chunk c, const ChunkScratch& x, const MonthParameters& month, Population& pop,
                    ThreadTally& tt) {
    const std::size_t k = c.region;
    for (std::uint32_t a = c.begin; a < c.end; ++a) {
        const std::uint32_t i = a - c.begin;
        if (segment_of(pop.traits[a]) == no_worker) continue;
        // Demography left it for every worker who survived its draw.
        const std::uint64_t above = x.above_death[i];
        const std::uint64_t risk = month.accident[AgentTraits{pop.traits[a]}.occupation_index()];
        if (above >= risk) continue;
        const std::size_t g = segment_of(pop.traits[a]);
        ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::accidents)];
        const bool covered = x.start[i] & code_covered;
        if (covered) ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::jkk_claims)];
        if ((above << 16) < risk * month.fatal_share_16) {
            ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::deaths)];
            // JKK pays the heirs and the children's schooling whatever the membership's length.
            if (covered) {
                ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::jkk_death_claims)];
                ++tt.counts[TallyLayout::cell(k, g, scholarship_deaths)];
            }
            leave_labour_force(pop, month, a, tt);
        }
    }
}

void coverage(Chunk c, const ChunkScratch& x, const MonthParameters& month,
              const ProgrammeOffers& offers, const CounterRng& rng, Population& pop,
              ThreadTally& tt) {
    const std::size_t k = c.region;
    const std::uint16_t now = month.now;
    const auto t = static_cast<std::uint32_t>(month.t);
    // Every store below is to a byte column, which the compiler must assume may alias the
    // month's vectors and the columns' own data pointers; read what the loop needs once.
    const std::uint64_t* const employer_registration =
        month.employer_registration.data() + k * occupation_count;
    const std::uint64_t* const permit_enrolment =
        month.permit_enrolment.data() + k * occupation_count;
    const std::uint64_t employer_lapse = month.employer_lapse;
    const std::uint64_t self_enrolment_bound = month.self_enrolment_bound[k];
    const std::uint64_t reinstate = month.reinstate;
    const int arrears_months = month.arrears_months;
    const bool region_has_programmes = !offers.region_programmes[k].empty();
    std::uint8_t* const traits = pop.traits.data();
    std::uint8_t* const payer = pop.payer.data();
    std::uint16_t* const paid_until = pop.paid_until.data();
    std::uint16_t* const covered_since = pop.covered_since.data();
    const std::uint32_t n = c.end - c.begin;

    // Most workers' coverage cannot change this month: an employer keeps paying, an uncovered
    // worker's draw is above every enrolment threshold. A branch-free pass finds the others,
    // and only they take the branches below (whose direction is as good as random from one
    // worker to the next); the offers are listed afterwards from the state the month left.
    // A worker can change iff his coverage word is below a threshold that depends on who pays
    // (nobody, his employer, anyone else), his segment and his occupation: one look-up in a
    // table of the region's thresholds, whose index is the low six bits of the traits byte
    // (segment and occupation) and the payer's class.
    constexpr std::uint64_t always = std::uint64_t{1} << 32; // above every word
    constexpr unsigned classes = coverage_payer_classes;     // nobody, employer, anyone else
    constexpr unsigned traits_values = coverage_traits_values;
    static_assert(AgentTraits::segment_mask == 0x03 && AgentTraits::occupation_shift == 2 &&
                  AgentTraits::occupation_mask == 0x0F && payer_none == 0 && payer_employer == 1);
    std::array<std::uint64_t, classes * traits_values> can_change;
    for (unsigned bits = 0; bits < traits_values; ++bits) {
        const unsigned g = bits & AgentTraits::segment_mask;
        const std::size_t o = bits >> AgentTraits::occupation_shift;
        std::uint64_t uncovered = always; // an occupation no worker has: the full path
        if (o < occupation_count)
            uncovered = g == 0                               ? employer_registration[o]
                        : g == 1 && permit_enrolment[o] != 0 ? always
                                                             : self_enrolment_bound;
        const bool worker = g != no_worker;
        can_change[bits] = worker ? uncovered : 0;
        can_change[traits_values + bits] = worker ? employer_lapse : 0;
        can_change[2 * traits_values + bits] = worker ? always : 0;
    }
    std::array<std::uint16_t, chunk_size> busy;
    const std::uint32_t busy_count = list_coverage_candidates(
        can_change.data(), payer + c.begin, traits + c.begin, x.draws.data(), n, busy.data());

    for (std::uint32_t b = 0; b < busy_count; ++b) {
        const std::uint32_t i = busy[b];
        const std::uint32_t a = c.begin + i;
        const std::uint8_t g = segment_of(traits[a]);
        const std::uint32_t w = x.draws[i][2];
        const std::uint8_t p = payer[a];
        const std::uint16_t paid = paid_until[a];

        if (g == 0 && p != payer_employer) {
            if (p != payer_none) tt.count_blocks(1);
            const std::uint32_t word =
                p == payer_none ? w : rng.words(a, t, DrawPurpose::month_events, 1)[0];
            if (word < employer_registration[AgentTraits{traits[a]}.occupation_index()]) {
                leave_programme(pop, month, a, tt);
                if (!(x.start[i] & code_covered)) covered_since[a] = now;
                payer[a] = payer_employer;
                paid_until[a] = paid_indefinitely;
                traits[a] |= AgentTraits::ever_covered_bit;
                continue;
            }
        }

        if (p == payer_none && g == 0) {
            // An unregistered wage earner waits for the employer; only programmes that
            // admit formal workers may still cover him.
        } else if (p == payer_employer) {
            if (w < employer_lapse) {
                payer[a] = payer_none;
                paid_until[a] = 0;
            }
        } else if (p == payer_self || p == payer_self_autodebit) {
            if (paid + 1 >= now) {
                const std::size_t autodebit = p == payer_self_autodebit ? 1 : 0;
                if (w >= month.self_lapse[autodebit][pop.income_band_of(a)]) paid_until[a] = now;
            } else if (now - 1 - paid > arrears_months) {
                payer[a] = payer_none; // past the arrears period: membership ends
                paid_until[a] = 0;
            } else if (w < reinstate) {
                paid_until[a] = now;
            }
        } else if (p >= programme_base) {
            const std::size_t j = p - programme_base;
            if (paid >= now) {
                if (w < month.member_dropout[j]) {
                    leave_programme(pop, month, a, tt);
                    after_subsidy(pop, month, rng, a, j, tt);
                }
            } else {
                leave_programme(pop, month, a, tt);
                after_subsidy(pop, month, rng, a, j, tt);
            }
        } else if (w < self_enrolment_bound) {
            const std::uint64_t enrol = self_enrolment_threshold(pop, month, a, k);
            if (w < enrol) {
                payer[a] = (std::uint64_t{w} << 16) < enrol * month.autodebit_16
                               ? payer_self_autodebit
                               : payer_self;
                paid_until[a] = now;
                covered_since[a] = now;
                traits[a] |= AgentTraits::ever_covered_bit;
            }
        }

        // A permit condition: an uncovered informal worker who takes a business permit this
        // month has to show active membership. Its own draw, made only where a condition is
        // in force, so that every other draw stays as it was.
        if (g == 1 && payer[a] == payer_none) {
            const std::uint64_t permit =
                permit_enrolment[AgentTraits{traits[a]}.occupation_index()];
            if (permit != 0) {
                tt.count_blocks(1);
                if (rng.words(a, t, DrawPurpose::business_permit)[0] < permit) {
                    payer[a] = payer_self;
                    paid_until[a] = now;
                    covered_since[a] = now;
                    traits[a] |= AgentTraits::ever_covered_bit;
                }
            }
        }
    }

    // Programme offers go to workers uncovered at the start of the month who are still
    // uncovered: never to someone who just lapsed or just joined.
    if (!region_has_programmes) return;
    std::uint32_t* const offered_agents = tt.offered.data();
    std::uint32_t offered = 0;
    for (std::uint32_t a = c.begin; a < c.end; ++a) {
        const std::uint32_t i = a - c.begin;
        const std::uint8_t p = payer[a];
        const bool unpaid = (p == payer_none) | ((p >= payer_self) & (p <= payer_self_autodebit) &
                                                 (paid_until[a] < now));
        offered_agents[offered] = a;
        offered += (segment_of(traits[a]) != no_worker) & !(x.start[i] & code_covered) & unpaid;
    }
    if (offered > 0) offer_programmes(month, offers, rng, pop, k, offered, tt);
}

// Awareness is rounded stochastically so that small
// monthly changes accumulate on the 0–255 scale.
void awareness(Chunk c, const ChunkScratch& x, const MonthParameters& month, Population& pop) {
    const std::size_t k = c.region;
    const std::int64_t* gain_16 = month.village_awareness_gain_16.data() + month.village_first[k];
    const std::int64_t keep_16 = month.awareness_keep_16;
    const std::uint32_t* fear_reduction_16 =
        month.village_fear_reduction_16.data() + month.village_first[k];
    std::uint8_t* const traits = pop.traits.data();
    std::uint8_t* const awareness = pop.awareness.data();
    const auto* const village = pop.village.data();
    // Without branches: whether a slot holds a worker and whether a worker fears are as good
    // as random from one agent to the next, and a mispredicted branch costs more than the
    // arithmetic. Empty slots keep their bytes as they were.
    for (std::uint32_t a = c.begin; a < c.end; ++a) {
        const std::uint32_t i = a - c.begin;
        const std::uint8_t t = traits[a];
        const bool worker = segment_of(t) != no_worker;
        const std::uint32_t w = x.draws[i][3];
        const std::uint16_t v = village[a];
        const std::uint8_t before = awareness[a];
        const std::int64_t level =
            before * keep_16 + gain_16[v] + static_cast<std::int64_t>(w & 0xFFFFu);
        const auto after = static_cast<std::uint8_t>(std::clamp<std::int64_t>(level >> 16, 0, 255));
        awareness[a] = worker ? after : before;
        // Clearing the bit of a worker who does not fear changes nothing.
        const bool calmed = worker & ((w >> 16) < fear_reduction_16[v]);
        traits[a] = calmed ? static_cast<std::uint8_t>(t & ~AgentTraits::fears_bit) : t;
    }
}

void tally(Chunk c, const ChunkScratch& x, const MonthParameters& month, const TallyLayout& layout,
           const Population& pop, ThreadTally& tt) {
    const std::size_t k = c.region;
    const std::uint16_t now = month.now;
    // The end-of-month codes of the whole chunk first, in a branch-free loop over the columns
    // that vectorises; then the few agents whose code changed. Fused, the loop could not be
    // vectorised and paid for every agent what only the changed ones need.
    std::array<StateCode, chunk_size> ends;
    const std::uint32_t n = c.end - c.begin;
    {
        const std::uint8_t* const traits = pop.traits.data() + c.begin;
        const std::uint8_t* const income_band = pop.income_band.data() + c.begin;
        const std::uint8_t* const payer = pop.payer.data() + c.begin;
        const std::uint16_t* const paid_until = pop.paid_until.data() + c.begin;
        for (std::uint32_t i = 0; i < n; ++i)
            ends[i] = state_code_of(traits[i], income_band[i], payer[i], paid_until[i], now);
    }
    for (std::uint32_t i = 0; i < n; ++i) {
        const StateCode start = x.start[i];
        const StateCode end = ends[i];
        if (end == start) continue;
        const std::uint32_t a = c.begin + i;
        add_stocks(pop, month, layout, start, -1, k, a, tt);
        add_stocks(pop, month, layout, end, 1, k, a, tt);
        if (!(start & code_in_labour_force)) continue;
        const std::size_t g0 = segment_in(start);
        const bool was_covered = start & code_covered;
        if (!(end & code_in_labour_force)) {
            if (was_covered) ++tt.counts[TallyLayout::cell(k, g0, SeriesMetric::covered_exits)];
            continue;
        }
        const std::size_t g = segment_in(end);
        const bool covered = end & code_covered;
        if (was_covered && !covered) ++tt.counts[TallyLayout::cell(k, g0, SeriesMetric::lapsed)];
        if (!was_covered && covered) ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::enrolled)];
        if (was_covered && covered && g != g0) {
            ++tt.counts[TallyLayout::cell(k, g0, SeriesMetric::covered_moved_out)];
            ++tt.counts[TallyLayout::cell(k, g, SeriesMetric::covered_moved_in)];
        }
    }
}

} // namespace ulcsim::detail
