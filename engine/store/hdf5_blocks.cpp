// Blocks of a dataset along its first two axes (hdf5_file.hpp): the replicates × regions
// pieces that writers store as replicates arrive and readers take back one at a time.

#include "hdf5_file.hpp"
#include "hdf5_handles.hpp"

#include <hdf5.h>

namespace ulcsim::hdf5 {

namespace {

Dataspace select_block(hid_t dataset, std::span<const hsize_t> dims, std::array<hsize_t, 2> start,
                       std::array<hsize_t, 2> count, const std::string& path, const Context& c) {
    std::vector<hsize_t> offsets(dims.size(), 0);
    std::vector<hsize_t> counts(dims.begin(), dims.end());
    for (std::size_t i = 0; i < 2; ++i) {
        offsets[i] = start[i];
        counts[i] = count[i];
    }
    auto file_space = open<Dataspace>(H5Dget_space(dataset), c, "get dataspace of", path);
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offsets.data(), nullptr,
                              counts.data(), nullptr),
          c, "select block of", path);
    return file_space;
}

Dataspace block_memory_space(std::span<const hsize_t> dims, std::array<hsize_t, 2> count,
                             const std::string& path, const Context& c) {
    std::vector<hsize_t> counts(dims.begin(), dims.end());
    counts[0] = count[0];
    counts[1] = count[1];
    return open<Dataspace>(
        H5Screate_simple(static_cast<int>(counts.size()), counts.data(), nullptr), c,
        "create dataspace for", path);
}

} // namespace

std::size_t block_elements(std::span<const std::uint64_t> dims,
                           std::array<std::uint64_t, 2> count) {
    std::uint64_t elements = count[0] * count[1];
    for (std::size_t i = 2; i < dims.size(); ++i)
        elements *= dims[i];
    return static_cast<std::size_t>(elements);
}

void write_block(Id dataset, std::span<const std::uint64_t> shape,
                 std::array<std::uint64_t, 2> start, std::array<std::uint64_t, 2> count,
                 Element type, const void* values, std::string_view action, const std::string& path,
                 const Context& c) {
    const std::vector<hsize_t> dims = to_hsize(shape);
    const Dataspace file_space =
        select_block(dataset, dims, {start[0], start[1]}, {count[0], count[1]}, path, c);
    const Dataspace memory_space = block_memory_space(dims, {count[0], count[1]}, path, c);
    check(H5Dwrite(dataset, memory_type(type), memory_space.get(), file_space.get(), H5P_DEFAULT,
                   values),
          c, action, path);
}

void read_block(Id dataset, std::span<const std::uint64_t> shape,
                std::array<std::uint64_t, 2> start, std::array<std::uint64_t, 2> count,
                Element type, void* values, const std::string& path, const Context& c) {
    const std::vector<hsize_t> dims = to_hsize(shape);
    const Dataspace file_space =
        select_block(dataset, dims, {start[0], start[1]}, {count[0], count[1]}, path, c);
    const Dataspace memory_space = block_memory_space(dims, {count[0], count[1]}, path, c);
    check(H5Dread(dataset, memory_type(type), memory_space.get(), file_space.get(), H5P_DEFAULT,
                  values),
          c, "read", path);
}

} // namespace ulcsim::hdf5
