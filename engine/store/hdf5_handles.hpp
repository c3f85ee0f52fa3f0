#pragma once
// What the files that call HDF5 share — typed handles, the element types in the file and in
// memory, opening an identifier or throwing, and the string types and property lists every
// object is made with. Private to engine/store: the files that include it (hdf5_file.cpp,
// hdf5_writing.cpp, hdf5_blocks.cpp, hdf5_reading.cpp) and hdf5_probe.cpp are the only ones
// that include HDF5's headers.

#include "hdf5_file.hpp"

#include <hdf5.h>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::hdf5 {

/// Handles of one kind, so that the code reads File(id), open<Group>(…).
template <Handle::Kind K>
struct Typed : Handle {
    Typed() : Handle(K, H5I_INVALID_HID) {}
    explicit Typed(hid_t id) : Handle(K, id) {}
};

using File = Typed<Handle::Kind::file>;
using Group = Typed<Handle::Kind::group>;
using Dataset = Typed<Handle::Kind::dataset>;
using Attribute = Typed<Handle::Kind::attribute>;
using Dataspace = Typed<Handle::Kind::dataspace>;
using Datatype = Typed<Handle::Kind::datatype>;
using PropertyList = Typed<Handle::Kind::property_list>;
using Object = Typed<Handle::Kind::object>;

/// The type of an element in the file (little-endian) and in memory (native).
hid_t file_type(Element e);
hid_t memory_type(Element e);

inline std::vector<hsize_t> to_hsize(std::span<const std::uint64_t> dims) {
    return {dims.begin(), dims.end()};
}

/// Opens an identifier, or throws naming the file and the object.
template <typename H>
H open(hid_t id, const std::filesystem::path& file, std::string_view action,
       std::string_view object) {
    if (id < 0) fail(file, action, object);
    return H(id);
}
template <typename H>
H open(hid_t id, const Context& c, std::string_view action, std::string_view object) {
    if (id < 0) fail(c, action, object);
    return H(id);
}

/// Variable-length UTF-8 strings: h5py reads them as str, h5dump prints them, and the
/// scenario text can exceed the 64 KiB an attribute may hold inline.
Datatype utf8_string_type(const Context& c);
/// A one-dimensional dataspace of `n` elements.
Dataspace vector_space(std::size_t n, const Context& c, std::string_view object);
/// Pointers to the strings' characters, as HDF5 writes variable-length strings from.
std::vector<const char*> c_strings(const std::vector<std::string>& values);
/// A property list of `property_class` with time tracking off: object headers would otherwise
/// carry the creation second and two runs of the same scenario would not be byte-identical.
PropertyList untimed(hid_t property_class, const Context& c, std::string_view object);

} // namespace ulcsim::hdf5
