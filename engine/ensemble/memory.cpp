#include "ulcsim/memory.hpp"

#include "simulation/programme_book.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/tally.hpp"
#include "ulcsim/vary.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <malloc.h>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <tbb/task_arena.h>

namespace ulcsim {

namespace {

// Measured: `ulcsim run` on a one-region scenario peaks at about this much (program,
// TBB, HDF5, the region table).
constexpr double fixed_bytes = 40e6;

double replicate_bytes(const Scenario& s, int threads, std::int64_t& slots_out, double& agents) {
    const auto T = static_cast<double>(s.run.months);
    const auto K = static_cast<double>(s.regions.size());
    const auto J = static_cast<double>(s.programmes.size());
    std::vector<std::int64_t> capacity(s.regions.size());
    std::int64_t slots = 0;
    double villages = 0;
    for (std::size_t k = 0; k < s.regions.size(); ++k) {
        capacity[k] = region_capacity(agents_in_region(s, k), s.entrant_room_rate(), s.run.months);
        slots += capacity[k];
        villages += s.region_table.regions()[s.regions[k]].villages();
    }
    slots_out = slots;
    agents = static_cast<double>(slots) * static_cast<double>(Population::bytes_per_agent);
    const double series =
        8 * T * (K * segment_count * series_metric_count + J * programme_metric_count);
    // A tally per thread and their total.
    const double tallies =
        (threads + 1.0) * 8 * (K * segment_count * (series_metric_count + J) + villages + 4 * J);
    // Each thread keeps up to 1.5 × a programme's monthly bound of candidates, and the
    // allocation merges them.
    double candidates = 0;
    for (std::size_t j = 0; j < s.programmes.size(); ++j) {
        std::int64_t programme_slots = 0;
        for (const std::size_t r : s.programmes[j].regions) {
            const auto k = static_cast<std::size_t>(
                std::lower_bound(s.regions.begin(), s.regions.end(), r) - s.regions.begin());
            if (k < capacity.size()) programme_slots += capacity[k];
        }
        candidates += static_cast<double>(detail::monthly_enrolment_bound(s, j, programme_slots));
    }
    candidates *= 1.5 * 8 * (2.0 * threads);
    return agents + series + tallies + candidates;
}

} // namespace

MemoryEstimate estimate_memory(const RunPlan& plan, int threads, std::size_t replicates_at_once,
                               double agent_share, bool checkpoint) {
    MemoryEstimate e;
    e.fixed = fixed_bytes;
    std::size_t replicates = 0;
    for (const PlannedScenario& m : plan.entries()) {
        if (m.replicates.count == 0) continue;
        replicates += m.replicates.count;
        const Scenario& s = *m.scenario;
        std::int64_t slots = 0;
        double agents = 0;
        double bytes = replicate_bytes(s, threads, slots, agents);
        // The checkpoint's state is a copy of every column (capture_state), kept until the
        // writer has stored it; a lane whose copy waits for the writer holds it meanwhile.
        if (checkpoint) bytes += agents;
        if (bytes > e.per_replicate) {
            e.per_replicate = bytes;
            e.agents = agents;
            e.slots = slots;
        }
        // The summaries kept for the report and the statistics being computed, by region,
        // province and nation, and the block of every replicate's series they are computed
        // from, read back from the file (a metric and the labour force, at most 64 MiB each:
        // summarise_metric).
        const auto T = static_cast<double>(s.run.months);
        const auto K = static_cast<double>(s.regions.size());
        const double areas = K + static_cast<double>(summary_areas(s).province_codes.size()) + 1;
        const double series_of_all =
            8 * static_cast<double>(m.replicates.count) * T * K * segment_count;
        e.ensemble += 8 * static_cast<double>(summary_statistic_count) * T * areas *
                          summary_segment_count * 9 +
                      2 * std::min(series_of_all, 64.0 * (1 << 20));
    }
    const std::size_t lanes = replicates_at_once > 0
                                  ? replicates_at_once
                                  : static_cast<std::size_t>(std::max(threads, 1));
    e.replicates_at_once = std::max<std::size_t>(1, std::min(lanes, replicates));
    // A rank holding a share of the regions holds that share of the agents; the series and
    // tallies stay whole.
    const double shared_out = e.agents * (1 - agent_share);
    e.agents -= shared_out;
    e.per_replicate -= shared_out * (checkpoint ? 2 : 1);
    return e;
}

MemoryCheck check_memory(const RunPlan& plan, const EnsembleOptions& options,
                         const ExecutionContext& context, std::uint64_t limit) {
    MemoryCheck c;
    const int threads =
        context.threads > 0 ? context.threads : tbb::this_task_arena::max_concurrency();
    c.agent_share = largest_agent_share(plan, options, context);
    const bool checkpoint = static_cast<bool>(options.on_checkpoint);
    c.estimate =
        estimate_memory(plan, threads, context.replicates_at_once, c.agent_share, checkpoint);
    c.limit = static_cast<double>(limit);
    const MemoryEstimate& e = c.estimate;
    c.fits = limit == 0 || e.total() <= c.limit;
    if (c.fits) return c;

    // Fewer replicates at once, then more workers per agent.
    const double fit = std::floor((c.limit - e.fixed) / e.per_replicate);
    if (e.replicates_at_once > 1 && fit >= 1 && e.fixed + e.ensemble <= c.limit)
        c.fixes.push_back({static_cast<std::size_t>(fit), 0,
                           e.fixed + std::max(e.per_replicate * fit, e.ensemble)});
    const double scale = plan.scenario(0).population.scale_workers_per_agent;
    for (const double factor :
         {2.0, 3.0, 4.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0}) {
        RunPlan scaled;
        try {
            for (const PlannedScenario& m : plan.entries())
                scaled.add(vary(*m.scenario, "population.scale",
                                m.scenario->population.scale_workers_per_agent * factor),
                           m.replicates);
        } catch (const InputError&) {
            break; // a scale the scenario's regions cannot take: no coarser one can either
        }
        for (const std::size_t replicates : {e.replicates_at_once, std::size_t{1}}) {
            const MemoryEstimate smaller =
                estimate_memory(scaled, threads, replicates, 1, checkpoint);
            if (smaller.total() > c.limit) continue;
            c.fixes.push_back({replicates != e.replicates_at_once ? replicates : 0, scale * factor,
                               smaller.total()});
            return c;
        }
    }
    return c;
}

namespace {

/// A field of /proc/self/status or /proc/meminfo in bytes ("VmSize:   1234 kB"), 0 if absent.
std::uint64_t kib_field(const char* file, std::string_view name) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
        if (line.starts_with(name) && line.size() > name.size() && line[name.size()] == ':') {
            std::istringstream value(line.substr(name.size() + 1));
            std::uint64_t kib = 0;
            return value >> kib ? kib * 1024 : 0;
        }
    return 0;
}

/// The soft limit on `resource`, 0 when there is none.
std::uint64_t soft_limit(int resource) {
    rlimit limit{};
    if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
    return static_cast<std::uint64_t>(limit.rlim_cur);
}

} // namespace

MemoryBudget memory_budget(std::uint64_t given) {
    MemoryBudget budget;
    const auto consider = [&](std::uint64_t bytes, const char* source) {
        if (bytes > 0 && (budget.bytes == 0 || bytes < budget.bytes)) budget = {bytes, source};
    };
    consider(kib_field("/proc/meminfo", "MemTotal"), "this machine");
    // A container's limit may be below the machine's memory ("max" reads as no number).
    for (const char* path :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream in(path);
        std::uint64_t limit = 0;
        if (in >> limit) consider(limit, "the control group's memory limit");
    }
    // The estimate counts resident memory; the address-space limit also counts what the
    // program has mapped without using (libraries' unread pages, reserved heaps), so that
    // part is not available to the run.
    if (const std::uint64_t as = soft_limit(RLIMIT_AS)) {
        const std::uint64_t mapped = kib_field("/proc/self/status", "VmSize");
        const std::uint64_t resident = kib_field("/proc/self/status", "VmRSS");
        const std::uint64_t unused = mapped > resident ? mapped - resident : 0;
        consider(as > unused ? as - unused : 1, "the address-space limit (ulimit -v)");
    }
    consider(soft_limit(RLIMIT_DATA), "the data-segment limit (ulimit -d)");
    consider(given, "--memory-limit");
    return budget;
}

void limit_malloc_arenas_under_address_space_limit() {
    if (soft_limit(RLIMIT_AS) != 0) mallopt(M_ARENA_MAX, 1);
}

} // namespace ulcsim
