#pragma once
/// \file
/// The agent columns, described once: their names, element types and meaning. Population
/// holds them; checkpoints, the exchange of replicate states between ranks and anything else
/// that lists the columns walks them with for_each_agent_column, so that adding a column is
/// one edit here. The packed traits byte has a view (AgentTraits) that alone knows its bits.

#include "ulcsim/worker_attributes.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace ulcsim {

/// The segment bits of a slot that holds no worker: reserved for a later entrant, or freed by
/// a death or by ageing out.
inline constexpr std::uint8_t no_worker = 3;

/// The traits byte of an agent: bits 0-1 segment (no_worker: the slot holds no worker), 2-5
/// occupation, 6 fears losing bansos, 7 ever covered in the run (a registered participant from
/// then on, see Registration).
struct AgentTraits {
    std::uint8_t bits = 0;

    static constexpr std::uint8_t segment_mask = 0x03;
    static constexpr int occupation_shift = 2;
    static constexpr std::uint8_t occupation_mask = 0x0F;
    static constexpr std::uint8_t fears_bit = 0x40;
    static constexpr std::uint8_t ever_covered_bit = 0x80;

    static constexpr std::uint8_t pack(Segment s, Occupation o, bool fears, bool ever) {
        return static_cast<std::uint8_t>(static_cast<unsigned>(s) |
                                         (static_cast<unsigned>(o) << occupation_shift) |
                                         (fears ? fears_bit : 0u) | (ever ? ever_covered_bit : 0u));
    }
    /// The same traits in another segment (or no_worker).
    static constexpr std::uint8_t with_segment(std::uint8_t traits, unsigned segment) {
        return static_cast<std::uint8_t>((traits & ~unsigned{segment_mask}) | segment);
    }
    /// Eight traits bytes read as one little-endian word: bit 8i is set where byte i holds no
    /// worker (both segment bits set), so that free slots are found eight at a time.
    static constexpr std::uint64_t free_lanes(std::uint64_t eight) {
        static_assert(no_worker == segment_mask && segment_mask == 0x03);
        return eight & (eight >> 1) & 0x0101010101010101u;
    }

    /// 0 … 2, or no_worker.
    constexpr std::uint8_t segment_bits() const { return bits & segment_mask; }
    constexpr bool holds_worker() const { return segment_bits() != no_worker; }
    constexpr Segment segment() const { return static_cast<Segment>(segment_bits()); }
    constexpr std::size_t occupation_index() const {
        return (bits >> occupation_shift) & occupation_mask;
    }
    constexpr Occupation occupation() const { return static_cast<Occupation>(occupation_index()); }
    constexpr bool fears_bansos() const { return bits & fears_bit; }
    constexpr bool ever_covered() const { return bits & ever_covered_bit; }
};

/// The income band (0 … 4) needs 3 bits of its byte; the top bit records that the worker has
/// been a programme member, so that what is left of a programme after its funding ends can
/// be counted without a column of its own. Bit 3 records that the worker was a registered
/// BPJS participant before the run without being covered at its start (a non-active member:
/// registered, contributions not current). Members who lapse during the run are known by the
/// traits' ever-covered bit, so this bit is only ever set by the synthesis of the start.
inline constexpr std::uint8_t income_band_mask = 0x07;
inline constexpr std::uint8_t registered_before_bit = 0x08;
inline constexpr std::uint8_t former_member_bit = 0x80;

/// The registration status of a worker, from the traits and income-band bytes: a BPJS
/// participant is registered from the first enrolment until he leaves the labour force,
/// active or not (members who stop paying stay registered as non-active, as BPJS counts them).
struct Registration {
    std::uint8_t traits = 0;
    std::uint8_t income_band = 0;

    constexpr bool registered_before_run() const { return income_band & registered_before_bit; }
    /// Active (covered) workers are registered: they are ever covered. The others are
    /// registered when they were covered earlier in the run or were non-active members at its
    /// start.
    constexpr bool registered() const {
        return AgentTraits{traits}.ever_covered() || registered_before_run();
    }
};

/// Leaves the elements of a resized column uninitialised. The slots reserved for entrants
/// are then never written until an entrant takes one, and as a column of a large population
/// is fresh memory from the kernel, the pages nobody writes are never given memory: a run
/// costs the slots it uses, not the room it reserves.
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
    using value_type = T;
    template <typename U>
    struct rebind {
        using other = UninitialisedAllocator<U>;
    };
    UninitialisedAllocator() = default;
    template <typename U>
    UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}
    template <typename U>
    void construct(U* p) noexcept {
        ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

/// One attribute of every slot.
template <typename T>
using Column = std::vector<T, UninitialisedAllocator<T>>;

/// The columns of the agents (all the same length). Months are counted from the run's first
/// month (see month_origin). Slots beyond a region's `used` are uninitialised.
struct AgentColumns {
    Column<std::uint16_t> village;             ///< desa first, then kelurahan
    Column<std::uint16_t> registration_region; ///< where the employer registers them
    Column<std::uint16_t> covered_since;       ///< month the current coverage began
    Column<std::uint16_t> paid_until;          ///< last month paid for
    Column<std::uint8_t> traits;               ///< AgentTraits
    Column<std::uint8_t> age_years;
    Column<std::uint8_t> income_band; ///< 0 (lowest) … 4, registered_before_bit, former_member_bit
    Column<std::uint8_t> awareness;   ///< 0 … 255
    Column<std::uint8_t> payer;       ///< Payer
};

/// One column: its name in files, what its values mean, and where it is.
template <typename T>
struct AgentColumn {
    using value_type = T;
    std::string_view name;
    std::string_view units;
    Column<T> AgentColumns::*member;
};

namespace detail {
inline constexpr std::string_view month_units =
    "months from /checkpoint@origin_month + 64 (0: before the origin or never)";
}

/// Every agent column, in the order of files and messages.
inline constexpr std::tuple agent_columns{
    AgentColumn<std::uint16_t>{"village", "desa/kelurahan of the region (desa first)",
                               &AgentColumns::village},
    AgentColumn<std::uint16_t>{
        "registration_region",
        "index into /checkpoint/region_code of the employer's registration (65535: outside)",
        &AgentColumns::registration_region},
    AgentColumn<std::uint16_t>{"covered_since", detail::month_units, &AgentColumns::covered_since},
    AgentColumn<std::uint16_t>{"paid_until",
                               "months from /checkpoint@origin_month + 64 (65535: while employed)",
                               &AgentColumns::paid_until},
    AgentColumn<std::uint8_t>{"traits",
                              "bits 0-1 segment (formal, informal, vulnerable; 3: no worker), "
                              "2-5 occupation, 6 fears bansos, 7 ever covered",
                              &AgentColumns::traits},
    AgentColumn<std::uint8_t>{"age_years", "years", &AgentColumns::age_years},
    AgentColumn<std::uint8_t>{
        "income_band",
        "bits 0-2 income band (0 lowest … 4), bit 3 registered non-active member "
        "at the start of the run, bit 7 former programme member",
        &AgentColumns::income_band},
    AgentColumn<std::uint8_t>{"awareness", "0 … 255", &AgentColumns::awareness},
    AgentColumn<std::uint8_t>{"payer",
                              "0 none, 1 employer, 2 self, 3 self by auto-debit, 4 + j programme "
                              "j of /checkpoint/programme_name",
                              &AgentColumns::payer},
};

inline constexpr std::size_t agent_column_count = std::tuple_size_v<decltype(agent_columns)>;

/// Calls f(descriptor) for every column, in order.
template <class F>
constexpr void for_each_agent_column(F&& f) {
    std::apply([&](const auto&... column) { (f(column), ...); }, agent_columns);
}

/// Calls f(descriptor, column) for every column of `agents`, in order.
template <class Agents, class F>
void for_each_agent_column(Agents& agents, F&& f) {
    std::apply([&](const auto&... column) { (f(column, agents.*column.member), ...); },
               agent_columns);
}

/// Bytes of one agent over all columns.
inline constexpr std::size_t agent_bytes = std::apply(
    [](const auto&... column) {
        return (std::size_t{0} + ... + sizeof(typename std::decay_t<decltype(column)>::value_type));
    },
    agent_columns);

} // namespace ulcsim
