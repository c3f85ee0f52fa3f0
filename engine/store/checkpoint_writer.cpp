// Run files' /checkpoint: every replicate's state at the start of a month, written by the
// RunFileWriter (its series half is run_file_writer.cpp).

#include "checkpoint_layout.hpp"
#include "run_file_writer_impl.hpp"
#include "ulcsim/version.hpp"

#include <cstdint>
#include <span>

namespace ulcsim {

using store::agents_path;

namespace {

/// Writes replicate `replicate`'s row of a [replicate, …] dataset.
template <typename T>
void write_row(hdf5::Id dataset, std::span<const std::uint64_t> dims, std::uint32_t replicate,
               const std::vector<T>& values, const std::string& path, const hdf5::Context& c) {
    const std::array<std::uint64_t, 2> start{replicate, 0};
    const std::array<std::uint64_t, 2> count{1, dims[1]};
    if (values.size() != hdf5::block_elements(dims, count))
        throw std::invalid_argument(c.file.string() + ": '" + path + "' needs " +
                                    std::to_string(hdf5::block_elements(dims, count)) +
                                    " values per replicate, got " + std::to_string(values.size()));
    if (values.empty()) return;
    hdf5::write_block(dataset, dims, start, count, hdf5::element_of<T>(), values.data(),
                      "write checkpoint to", path, c);
}

/// One replicate's row of an agent column: the slots in use, region by region. The others
/// (reserved for entrants, uninitialised in memory) keep the dataset's fill value, 0.
template <typename T>
void write_agents_row(hdf5::Id dataset, std::span<const std::uint64_t> dims,
                      std::uint32_t replicate, const Column<T>& values,
                      const std::vector<RegionSlots>& regions, const std::string& path,
                      const hdf5::Context& c) {
    if (values.size() != dims[1])
        throw std::invalid_argument(c.file.string() + ": '" + path + "' needs " +
                                    std::to_string(dims[1]) + " slots per replicate, got " +
                                    std::to_string(values.size()));
    for (const RegionSlots& r : regions) {
        if (r.used == 0) continue;
        const std::array<std::uint64_t, 2> start{replicate, r.first};
        const std::array<std::uint64_t, 2> count{1, r.used};
        hdf5::write_block(dataset, dims, start, count, hdf5::element_of<T>(),
                          values.data() + r.first, "write checkpoint to", path, c);
    }
}

template <typename T>
void write_whole(hdf5::Id file, const std::string& path, const std::vector<T>& values,
                 const std::string& dimension, const std::string& units, const hdf5::Context& c) {
    const std::array<std::uint64_t, 1> dims{values.size()};
    hdf5::Handle d =
        hdf5::create_dataset(file, path, dims, {dimension}, units, hdf5::element_of<T>(), c);
    hdf5::write_whole(d.get(), hdf5::element_of<T>(), values.data(), values.size(), path, c);
    hdf5::check(d.close(), c, "close dataset", path);
}

std::vector<double> flatten(const std::vector<std::vector<double>>& rows) {
    std::vector<double> out;
    for (const auto& row : rows)
        out.insert(out.end(), row.begin(), row.end());
    return out;
}

template <typename T, typename Get>
std::vector<T> per_region(const Population& p, Get get) {
    std::vector<T> out;
    for (const RegionSlots& r : p.region_slots)
        out.push_back(get(r));
    return out;
}

} // namespace

void RunFileWriter::write_checkpoint(const ReplicateState& state) {
    hdf5::silence();
    Impl& s = *impl_;
    s.require_open("write_checkpoint");
    const hdf5::Context& c = s.context;
    const std::string where = "run file " + s.output.string() + ": checkpoint of replicate " +
                              std::to_string(state.replicate);
    if (state.replicate >= s.info.replicates)
        throw std::invalid_argument(where + " out of range (replicates " +
                                    std::to_string(s.info.replicates) + ")");
    const Population& pop = state.population;
    const std::uint64_t R = s.info.replicates;
    const std::uint64_t slots = pop.size();
    const std::uint64_t regions = state.region_codes.size();
    const std::uint64_t programmes = state.programme_names.size();
    std::size_t village_total = 0;
    for (const std::uint16_t v : state.villages)
        village_total += v;
    const std::uint64_t villages = village_total;
    const std::uint64_t years =
        state.committed_idr.empty() ? 0 : state.committed_idr.front().size();
    for (const auto& row : state.committed_idr)
        if (row.size() != years) throw std::invalid_argument(where + ": ragged commitments");

    if (!s.checkpoint_shape) {
        const hdf5::Id f = s.file.get();
        hdf5::Handle group = hdf5::create_group(f, dataset::checkpoint, c);
        const hdf5::Id g = group.get();
        const std::string& name = dataset::checkpoint;
        hdf5::write_scalar_attribute(g, name, "format_version",
                                     std::int64_t{checkpoint_format_version}, c);
        hdf5::write_string_attribute(g, name, "month", state.month.to_string(), c);
        hdf5::write_string_attribute(g, name, "origin_month", state.origin.to_string(), c);
        hdf5::write_scalar_attribute(g, name, "seed", state.seed, c);
        hdf5::write_scalar_attribute(g, name, "replicates", static_cast<std::int64_t>(R), c);
        hdf5::write_scalar_attribute(g, name, "scale_workers_per_agent",
                                     state.scale_workers_per_agent, c);
        hdf5::write_scalar_attribute(g, name, "slots", static_cast<std::int64_t>(slots), c);
        hdf5::write_string_attribute(g, name, "engine_version", std::string(engine_version()), c);

        hdf5::write_string_dataset(f, name + "/region_code", state.region_codes, "region",
                                   "Kemendagri code", c);
        write_whole(f, name + "/villages", state.villages, "region", "desa and kelurahan", c);
        write_whole(f, name + "/desa", state.desa, "region", "desa (villages [0, desa))", c);
        hdf5::write_string_dataset(f, name + "/programme_name", state.programme_names, "programme",
                                   "text", c);
        std::vector<std::int64_t> year_values;
        for (std::uint64_t y = 0; y < years; ++y)
            year_values.push_back(state.commitment_first_year + static_cast<std::int64_t>(y));
        write_whole(f, name + "/year", year_values, "year", "fiscal year", c);

        const auto add = [&](const std::string& path, std::vector<std::uint64_t> dims,
                             std::vector<std::string> names, const std::string& units,
                             hdf5::Element type) {
            dims.insert(dims.begin(), R);
            names.insert(names.begin(), "replicate");
            s.checkpoint.emplace_back(path,
                                      hdf5::create_dataset(f, path, dims, names, units, type, c));
        };
        hdf5::Handle agents = hdf5::create_group(f, name + "/agents", c);
        for_each_agent_column([&](const auto& column) {
            using T = typename std::decay_t<decltype(column)>::value_type;
            add(agents_path(column.name), {slots}, {"slot"}, std::string(column.units),
                hdf5::element_of<T>());
        });
        hdf5::check(agents.close(), c, "close group", name + "/agents");
        add(name + "/region_first", {regions}, {"region"}, "slot", hdf5::Element::u32);
        add(name + "/region_capacity", {regions}, {"region"}, "slots", hdf5::Element::u32);
        add(name + "/region_used", {regions}, {"region"}, "slots", hdf5::Element::u32);
        add(name + "/labour_force", {regions}, {"region"}, "agents", hdf5::Element::i64);
        add(name + "/village_workers", {villages}, {"village"}, "agents", hdf5::Element::u32);
        add(name + "/village_covered", {villages}, {"village"}, "agents", hdf5::Element::u32);
        add(name + "/programme_members", {programmes}, {"programme"}, "agents", hdf5::Element::i64);
        add(name + "/committed_idr", {programmes, years}, {"programme", "year"}, "IDR",
            hdf5::Element::f64);
        hdf5::check(group.close(), c, "close group", name);

        // Everything but the agents: a copy of the whole state would hold a third copy of
        // every column for a moment (measured: 64 MB more at the peak for Jawa Tengah at four
        // workers per agent), beyond what the memory estimate counts.
        ReplicateState shape;
        shape.seed = state.seed;
        shape.replicate = state.replicate;
        shape.origin = state.origin;
        shape.month = state.month;
        shape.scale_workers_per_agent = state.scale_workers_per_agent;
        shape.region_codes = state.region_codes;
        shape.villages = state.villages;
        shape.desa = state.desa;
        shape.programme_names = state.programme_names;
        shape.population.region_slots = pop.region_slots;
        shape.labour_force = state.labour_force;
        shape.village_workers = state.village_workers;
        shape.village_covered = state.village_covered;
        shape.programme_members = state.programme_members;
        shape.commitment_first_year = state.commitment_first_year;
        shape.committed_idr = state.committed_idr;
        s.checkpoint_shape = std::move(shape);
        s.checkpoint_written.assign(R, false);
    } else {
        const ReplicateState& first = *s.checkpoint_shape;
        std::size_t first_villages = 0;
        for (const std::uint16_t v : first.villages)
            first_villages += v;
        const bool same =
            state.seed == first.seed && state.origin == first.origin &&
            state.month == first.month &&
            state.scale_workers_per_agent == first.scale_workers_per_agent &&
            state.region_codes == first.region_codes && state.villages == first.villages &&
            state.desa == first.desa && state.programme_names == first.programme_names &&
            state.commitment_first_year == first.commitment_first_year &&
            village_total == first_villages &&
            years == (first.committed_idr.empty() ? 0 : first.committed_idr.front().size()) &&
            s.checkpoint.size() == agent_column_count + 8;
        const std::size_t first_slots = first.population.region_slots.empty()
                                            ? 0
                                            : first.population.region_slots.back().first +
                                                  first.population.region_slots.back().capacity;
        if (!same || first_slots != slots)
            throw std::invalid_argument(where +
                                        " does not match the first replicate's (month, origin, "
                                        "seed, scale, regions, programmes or slots)");
    }
    if (pop.region_slots.size() != regions || state.labour_force.size() != regions ||
        state.programme_members.size() != programmes || state.committed_idr.size() != programmes)
        throw std::invalid_argument(where + ": not one entry per region or programme");

    std::size_t d = 0;
    const auto next = [&]() -> std::pair<std::string, hdf5::Handle>& {
        return s.checkpoint.at(d++);
    };
    const auto dims_of = [&](hdf5::Id dataset, const std::string& path) {
        return hdf5::shape_of(dataset, path, c);
    };
    const auto write = [&](const auto& values) {
        auto& [path, dataset] = next();
        const std::vector<std::uint64_t> dims = dims_of(dataset.get(), path);
        write_row(dataset.get(), dims, state.replicate, values, path, c);
    };
    const auto write_agents = [&](const auto& column) {
        auto& [path, dataset] = next();
        const std::vector<std::uint64_t> dims = dims_of(dataset.get(), path);
        write_agents_row(dataset.get(), dims, state.replicate, column, pop.region_slots, path, c);
    };
    for_each_agent_column(pop, [&](const auto&, const auto& column) { write_agents(column); });
    write(per_region<std::uint32_t>(pop, [](const RegionSlots& r) { return r.first; }));
    write(per_region<std::uint32_t>(pop, [](const RegionSlots& r) { return r.capacity; }));
    write(per_region<std::uint32_t>(pop, [](const RegionSlots& r) { return r.used; }));
    write(state.labour_force);
    write(state.village_workers);
    write(state.village_covered);
    write(state.programme_members);
    write(flatten(state.committed_idr));
    s.checkpoint_written[state.replicate] = true;
}

} // namespace ulcsim
