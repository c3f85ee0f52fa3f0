// Run files' /checkpoint read back one replicate at a time.

#include "checkpoint_layout.hpp"
#include "hdf5_file.hpp"
#include "ulcsim/agent_columns.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/worker_attributes.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>

namespace ulcsim {

using store::agents_path;

struct CheckpointReader::Impl {
    std::filesystem::path path;
    std::unique_ptr<RunFileReader> run_file;
    hdf5::Handle file;
    CheckpointInfo info;

    /// An unsigned 64-bit attribute (the seed may not fit RunFileReader's signed one).
    std::uint64_t unsigned_attribute(const std::string& object, const std::string& name) const {
        return hdf5::read_u64_attribute(file.get(), object, name, hdf5::Context{path, {}});
    }

    /// Replicate `replicate`'s row of a [replicate, …] dataset, or the whole of any other
    /// (replicate < 0).
    template <typename T>
    std::vector<T> read(const std::string& dataset, std::int64_t replicate = -1) const {
        const hdf5::Context c{path, {}};
        const hdf5::Handle d = hdf5::open_dataset(file.get(), dataset, c);
        const std::vector<std::uint64_t> shape = hdf5::shape_of(d.get(), dataset, c);
        if (replicate < 0) {
            std::size_t n = 1;
            for (const std::uint64_t k : shape)
                n *= k;
            std::vector<T> values(n);
            hdf5::read_whole(d.get(), hdf5::element_of<T>(), values.data(), n, dataset, c);
            return values;
        }
        if (shape.size() < 2 || static_cast<std::uint64_t>(replicate) >= shape[0])
            throw std::runtime_error(path.string() + ": '" + dataset + "' has no replicate " +
                                     std::to_string(replicate));
        const std::array<std::uint64_t, 2> start{static_cast<std::uint64_t>(replicate), 0};
        const std::array<std::uint64_t, 2> count{1, shape[1]};
        std::vector<T> values(hdf5::block_elements(shape, count));
        if (values.empty()) return values;
        hdf5::read_block(d.get(), shape, start, count, hdf5::element_of<T>(), values.data(),
                         dataset, c);
        return values;
    }

    template <typename T>
    std::vector<T> require(std::vector<T> values, std::size_t n, const std::string& what) const {
        if (values.size() != n)
            throw std::runtime_error(path.string() + ": " + what + " has " +
                                     std::to_string(values.size()) + " values, expected " +
                                     std::to_string(n));
        return values;
    }
};

CheckpointReader::CheckpointReader(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>()) {
    hdf5::silence();
    Impl& s = *impl_;
    s.path = path;
    const auto refuse = [&](const std::string& message) {
        throw InputError(Diagnostic{{path.string(), 0, 0, false}, "", message});
    };
    try {
        s.run_file = std::make_unique<RunFileReader>(path);
    } catch (const std::runtime_error& e) {
        refuse(std::string("cannot start from this checkpoint: ") + e.what());
    }
    s.file = hdf5::open_file_read(path);
    if (s.file.get() < 0) refuse("cannot read the checkpoint: " + hdf5::reason());
    if (!hdf5::has_link(s.file.get(), dataset::checkpoint.substr(1))) {
        refuse("the run file has no checkpoint (/checkpoint): write one with ulcsim run … "
               "--checkpoint-at YYYY-MM");
    }
    const RunFileReader& r = *s.run_file;
    const std::string& g = dataset::checkpoint;
    const std::int64_t version = r.integer_attribute(g, "format_version");
    if (version != checkpoint_format_version)
        refuse("checkpoint format " + std::to_string(version) + ", this ulcsim reads format " +
               std::to_string(checkpoint_format_version));
    CheckpointInfo& info = s.info;
    info.file = path;
    const auto month = [&](const char* name) {
        const std::string text = r.string_attribute(g, name);
        const std::optional<Month> m = Month::parse(text);
        if (!m) refuse("/checkpoint@" + std::string(name) + " is not a month: '" + text + "'");
        return *m;
    };
    info.month = month("month");
    info.origin = month("origin_month");
    info.seed = s.unsigned_attribute(g, "seed");
    info.scale_workers_per_agent = r.number_attribute(g, "scale_workers_per_agent");
    const std::int64_t replicates = r.integer_attribute(g, "replicates");
    if (replicates < 0 || replicates > std::numeric_limits<std::uint32_t>::max())
        refuse("/checkpoint@replicates is " + std::to_string(replicates));
    info.replicates = static_cast<std::uint32_t>(replicates);
    info.region_codes = r.strings(g + "/region_code");
    info.programme_names = r.strings(g + "/programme_name");
    const std::size_t K = info.region_codes.size(), J = info.programme_names.size();
    info.villages = s.require(s.read<std::uint16_t>(g + "/villages"), K, "/checkpoint/villages");
    info.desa = s.require(s.read<std::uint16_t>(g + "/desa"), K, "/checkpoint/desa");
    const auto used = s.require(s.read<std::uint32_t>(g + "/region_used"), info.replicates * K,
                                "/checkpoint/region_used");
    const auto capacity = s.require(s.read<std::uint32_t>(g + "/region_capacity"),
                                    info.replicates * K, "/checkpoint/region_capacity");
    const auto members = s.require(s.read<std::int64_t>(g + "/programme_members"),
                                   info.replicates * J, "/checkpoint/programme_members");
    for (std::size_t i = 0; i < info.replicates; ++i) {
        info.region_used.emplace_back(used.begin() + static_cast<std::ptrdiff_t>(i * K),
                                      used.begin() + static_cast<std::ptrdiff_t>((i + 1) * K));
        info.region_capacity.emplace_back(capacity.begin() + static_cast<std::ptrdiff_t>(i * K),
                                          capacity.begin() +
                                              static_cast<std::ptrdiff_t>((i + 1) * K));
        info.programme_members.emplace_back(members.begin() + static_cast<std::ptrdiff_t>(i * J),
                                            members.begin() +
                                                static_cast<std::ptrdiff_t>((i + 1) * J));
    }
}

CheckpointReader::~CheckpointReader() = default;

const CheckpointInfo& CheckpointReader::info() const {
    return impl_->info;
}

namespace {

/// A checkpoint is read from a file a user hands over: a damaged one must be refused, naming
/// what is wrong, before its indices address the agents' arrays or its money loops a ledger.
class StateCheck {
public:
    StateCheck(const std::filesystem::path& file, std::uint32_t replicate)
        : file_(file), replicate_(replicate) {}

    void require(bool holds, const std::string& dataset, const std::string& what) const {
        if (!holds)
            throw InputError(Diagnostic{{file_.string(), 0, 0, false},
                                        "",
                                        "damaged checkpoint: /checkpoint/" + dataset +
                                            " of replicate " + std::to_string(replicate_) + " " +
                                            what});
    }

    void agents(const ReplicateState& state, std::size_t slots) const {
        const Population& pop = state.population;
        const std::size_t K = state.region_codes.size(), J = state.programme_names.size();
        std::uint64_t end_of_previous = 0;
        for (std::size_t k = 0; k < K; ++k) {
            const RegionSlots& r = pop.region_slots[k];
            require(r.used <= r.capacity && r.first >= end_of_previous &&
                        std::uint64_t{r.first} + r.capacity <= slots,
                    "region_first",
                    "gives region " + std::to_string(k) +
                        " slots outside the agents or another region's");
            end_of_previous = std::uint64_t{r.first} + r.capacity;
            for (std::uint32_t i = r.first; i < r.first + r.used; ++i) {
                const AgentTraits traits{pop.traits[i]};
                if (!traits.holds_worker()) continue;
                require(pop.village[i] < state.villages[k], "agents/village",
                        "names a village beyond the region's " + std::to_string(state.villages[k]) +
                            " at slot " + std::to_string(i));
                require(pop.registration_region[i] < K ||
                            pop.registration_region[i] == outside_scenario,
                        "agents/registration_region",
                        "names a region beyond the " + std::to_string(K) + " at slot " +
                            std::to_string(i));
                require(traits.occupation_index() < occupation_count, "agents/traits",
                        "holds an unknown occupation at slot " + std::to_string(i));
                require((pop.income_band[i] & income_band_mask) < income_band_count,
                        "agents/income_band", "holds an unknown band at slot " + std::to_string(i));
                const unsigned payer = pop.payer[i];
                require(payer < static_cast<unsigned>(Payer::programme_base) ||
                            payer - static_cast<unsigned>(Payer::programme_base) < J,
                        "agents/payer",
                        "names a programme beyond the " + std::to_string(J) + " at slot " +
                            std::to_string(i));
            }
        }
    }

    void ledgers(const ReplicateState& state) const {
        for (const std::int64_t n : state.labour_force)
            require(n >= 0, "labour_force", "holds a negative count");
        for (const std::int64_t n : state.programme_members)
            require(n >= 0, "programme_members", "holds a negative count");
        for (const std::vector<double>& years : state.committed_idr)
            for (const double idr : years)
                require(std::isfinite(idr) && idr >= 0 && idr <= 1e18, "committed_idr",
                        "holds an amount that is not between 0 and 1e18 rupiah");
        require(state.commitment_first_year >= 1900 && state.commitment_first_year <= 2200, "year",
                "starts at year " + std::to_string(state.commitment_first_year));
    }

private:
    const std::filesystem::path& file_;
    std::uint32_t replicate_;
};

} // namespace

ReplicateState CheckpointReader::state(std::uint32_t replicate) const {
    try {
        return read_state(replicate);
    } catch (const InputError&) {
        throw;
    } catch (const std::runtime_error& e) {
        // HDF5's reasons name the file already.
        std::string reason = e.what();
        const std::string prefix = impl_->path.string() + ": ";
        if (reason.starts_with(prefix)) reason.erase(0, prefix.size());
        throw InputError(
            Diagnostic{{impl_->path.string(), 0, 0, false}, "", "damaged checkpoint: " + reason});
    }
}

ReplicateState CheckpointReader::read_state(std::uint32_t replicate) const {
    hdf5::silence();
    const Impl& s = *impl_;
    const CheckpointInfo& info = s.info;
    if (replicate >= info.replicates)
        throw std::invalid_argument(s.path.string() + ": no checkpoint of replicate " +
                                    std::to_string(replicate) + " (it holds " +
                                    std::to_string(info.replicates) + ")");
    const std::string& g = dataset::checkpoint;
    const std::size_t K = info.region_codes.size(), J = info.programme_names.size();
    const auto r = static_cast<std::int64_t>(replicate);
    ReplicateState state;
    state.seed = info.seed;
    state.replicate = replicate;
    state.origin = info.origin;
    state.month = info.month;
    state.scale_workers_per_agent = info.scale_workers_per_agent;
    state.region_codes = info.region_codes;
    state.villages = info.villages;
    state.desa = info.desa;
    state.programme_names = info.programme_names;

    Population& pop = state.population;
    const std::int64_t stored_slots = s.run_file->integer_attribute(g, "slots");
    const StateCheck check(s.path, replicate);
    check.require(stored_slots >= 0 && stored_slots <= std::numeric_limits<std::uint32_t>::max(),
                  "@slots", "is " + std::to_string(stored_slots));
    const auto slots = static_cast<std::size_t>(stored_slots);
    for_each_agent_column(pop, [&](const auto& descriptor, auto& column) {
        using T = typename std::decay_t<decltype(descriptor)>::value_type;
        const std::string path = agents_path(descriptor.name);
        const auto values = s.require(s.read<T>(path, r), slots, path);
        column.assign(values.begin(), values.end());
    });
    const auto first =
        s.require(s.read<std::uint32_t>(g + "/region_first", r), K, g + "/region_first");
    for (std::size_t k = 0; k < K; ++k)
        pop.region_slots.push_back(
            {first[k], info.region_capacity[replicate][k], info.region_used[replicate][k]});
    std::size_t villages = 0;
    for (const std::uint16_t v : info.villages)
        villages += v;
    state.labour_force =
        s.require(s.read<std::int64_t>(g + "/labour_force", r), K, g + "/labour_force");
    state.village_workers = s.require(s.read<std::uint32_t>(g + "/village_workers", r), villages,
                                      g + "/village_workers");
    state.village_covered = s.require(s.read<std::uint32_t>(g + "/village_covered", r), villages,
                                      g + "/village_covered");
    state.programme_members = info.programme_members[replicate];
    const auto years = s.read<std::int64_t>(g + "/year");
    state.commitment_first_year = years.empty() ? info.month.year() : static_cast<int>(years[0]);
    const auto committed =
        s.require(s.read<double>(g + "/committed_idr", r), J * years.size(), g + "/committed_idr");
    for (std::size_t j = 0; j < J; ++j)
        state.committed_idr.emplace_back(
            committed.begin() + static_cast<std::ptrdiff_t>(j * years.size()),
            committed.begin() + static_cast<std::ptrdiff_t>((j + 1) * years.size()));
    check.agents(state, slots);
    check.ledgers(state);
    return state;
}

} // namespace ulcsim
