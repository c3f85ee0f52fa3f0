#pragma once
/// \file
/// Checkpoints: the whole state of a replicate at the start of a month, so that a scenario
/// can continue from it ("branch") instead of re-simulating the months before it. A branch
/// that changes nothing reproduces the rest of the run that wrote the checkpoint bit for bit:
/// random draws are a pure function of (seed, replicate, agent slot, month counted from the
/// first month of the run that synthesised the agents, purpose), so a branch keeps that
/// run's seed, slots and month count (the "origin"), while its calendar, programme book and
/// output series are its own, starting at the checkpoint month.
///
/// Run files hold checkpoints under /checkpoint (see ulcsim/store.hpp: RunFileWriter::
/// write_checkpoint, CheckpointReader).

#include "ulcsim/calendar.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ulcsim {

/// Version of the /checkpoint layout; a reader refuses other versions.
inline constexpr int checkpoint_format_version = 1;

/// Everything one replicate needs to continue from the start of `month`.
struct ReplicateState {
    std::uint64_t seed = 0;
    std::uint32_t replicate = 0;
    /// First month of the run that synthesised the agents: random draws count months from
    /// it, and so do the population's covered_since and paid_until columns (+ month_origin).
    Month origin;
    /// The first month not yet simulated: a branch starts here.
    Month month;
    double scale_workers_per_agent = 1;
    std::vector<std::string> region_codes;    ///< the scenario's regions, in its order
    std::vector<std::uint16_t> villages;      ///< per region: desa/kelurahan
    std::vector<std::uint16_t> desa;          ///< per region: the first `desa` villages are desa
    std::vector<std::string> programme_names; ///< payer values index these

    /// Agents and each region's slots (the entrant room included).
    Population population;
    /// End of the last month: labour force per region, workers and covered workers per
    /// village (the peer effect of the next month), members per programme (agents).
    std::vector<std::int64_t> labour_force;
    std::vector<std::uint32_t> village_workers;
    std::vector<std::uint32_t> village_covered;
    std::vector<std::int64_t> programme_members;
    /// Fiscal-year commitments (IDR) [programme][year], years from commitment_first_year.
    int commitment_first_year = 0;
    std::vector<std::vector<double>> committed_idr;

    int months_since_origin() const { return month - origin; }
};

/// What a run file's /checkpoint holds, without the agents: enough to check a branch
/// before anything runs.
struct CheckpointInfo {
    std::filesystem::path file;
    std::uint64_t seed = 0;
    Month origin;
    Month month;
    double scale_workers_per_agent = 1;
    std::uint32_t replicates = 0;
    std::vector<std::string> region_codes;
    std::vector<std::uint16_t> villages;
    std::vector<std::uint16_t> desa;
    std::vector<std::string> programme_names;
    /// [replicate][region]
    std::vector<std::vector<std::uint32_t>> region_used;
    std::vector<std::vector<std::uint32_t>> region_capacity;
    /// [replicate][programme], agents
    std::vector<std::vector<std::int64_t>> programme_members;
};

/// The description of one state, as CheckpointInfo (one replicate, numbered as stored).
CheckpointInfo checkpoint_info_of(const ReplicateState& state);

/// Months a branch starting from the checkpoint may run before a region's entrants could
/// outgrow the slots reserved for them, with the branch's entrant room rate
/// (Scenario::entrant_room_rate()): the smallest over replicates and regions.
int branch_months_allowed(const CheckpointInfo& checkpoint, double entry_rate);

/// Checks that `scenario` can continue from the checkpoint: the same regions (and villages),
/// scale and seed; run.start at the checkpoint month; no more replicates than stored; every
/// programme that has members in the checkpoint present in the scenario (matched by name);
/// run.months within the entrant room (branch_months_allowed). Throws InputError naming the
/// checkpoint's file and the scenario key concerned, with every problem found.
void check_branch(const Scenario& scenario, const CheckpointInfo& checkpoint);

} // namespace ulcsim
