// The HDF5 wrapper (hdf5_file.hpp) and the generic reader of output files (RunFileReader):
// the one file that includes HDF5's headers.

#include "hdf5_file.hpp"

#include "temporary_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <functional>
#include <hdf5.h>
#include <limits>
#include <type_traits>
#include <utility>

namespace ulcsim {
namespace hdf5 {

static_assert(std::is_same_v<hid_t, Id>, "hdf5::Id holds an hid_t");
static_assert(sizeof(hsize_t) == sizeof(std::uint64_t), "shapes are passed as uint64");

namespace {
// A file whose close failed (a full disk) stays in HDF5's tables, and HDF5's clean-up at exit
// closes it again and crashes. That clean-up has nothing else to do: every file the library
// opens is closed by its handles, and a temporary that failed is removed. HDF5 takes this
// before its first other call, which a static initialiser comes before. HDF5's C++ library is
// not linked for the same reason: its static destructor calls H5close regardless.
[[maybe_unused]] const herr_t no_clean_up_at_exit = H5dont_atexit();
} // namespace

void silence() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

namespace {

/// The innermost entry of HDF5's error stack (then cleared), and whether it is a failed system
/// call (which HDF5 describes at length: time, file descriptor, offsets…, and the system's
/// error message, which is what a user can act on: "No space left on device").
std::pair<std::string, bool> innermost_error() {
    std::string reason;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned n, const H5E_error2_t* error, void* data) -> herr_t {
            if (n == 0 && error && error->desc) *static_cast<std::string*>(data) = error->desc;
            return 0;
        },
        &reason);
    H5Eclear2(H5E_DEFAULT);
    const std::string::size_type at = reason.find("error message = '");
    if (at != std::string::npos) {
        const std::string::size_type from = at + 17, to = reason.find('\'', from);
        if (to != std::string::npos) return {reason.substr(from, to - from), true};
    }
    return {reason.empty() ? "HDF5 error" : reason, false};
}

} // namespace

std::string reason() {
    return innermost_error().first;
}

void fail(const std::filesystem::path& file, std::string_view action, std::string_view object) {
    throw std::runtime_error(file.string() + ": cannot " + std::string(action) + " '" +
                             std::string(object) + "': " + reason());
}

// Only a system call that failed is the output's fault (a full disk, a folder gone); any
// other failure of a writer is this program's.
void fail(const Context& c, std::string_view action, std::string_view object) {
    const auto [why, system_call] = innermost_error();
    const std::string what = "cannot " + std::string(action) + " '" + std::string(object) + "'";
    if (c.output.empty() || !system_call)
        throw std::runtime_error(c.file.string() + ": " + what + ": " + why);
    throw OutputError(Diagnostic{{c.output.string(), 0, 0, false},
                                 "",
                                 what + " (writing " + c.file.filename().string() + "): " + why});
}

void clear_errors() {
    H5Eclear2(H5E_DEFAULT);
}

Handle::Handle(Handle&& other) noexcept
    : kind_(other.kind_), id_(std::exchange(other.id_, H5I_INVALID_HID)) {}

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        reset();
        kind_ = other.kind_;
        id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
}

namespace {

herr_t close_id(Handle::Kind kind, hid_t id) {
    switch (kind) {
    case Handle::Kind::file:
        return H5Fclose(id);
    case Handle::Kind::group:
        return H5Gclose(id);
    case Handle::Kind::dataset:
        return H5Dclose(id);
    case Handle::Kind::attribute:
        return H5Aclose(id);
    case Handle::Kind::dataspace:
        return H5Sclose(id);
    case Handle::Kind::datatype:
        return H5Tclose(id);
    case Handle::Kind::property_list:
        return H5Pclose(id);
    case Handle::Kind::object:
        return H5Oclose(id);
    }
    return -1;
}

} // namespace

int Handle::close() {
    return id_ >= 0 ? close_id(kind_, std::exchange(id_, H5I_INVALID_HID)) : 0;
}

void Handle::reset() noexcept {
    if (id_ >= 0) close_id(kind_, std::exchange(id_, H5I_INVALID_HID));
}

namespace {

/// Handles of one kind, so that the code below reads as before: File(id), open<Group>(…).
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

hid_t file_type(Element e) {
    switch (e) {
    case Element::u8:
        return H5T_STD_U8LE;
    case Element::u16:
        return H5T_STD_U16LE;
    case Element::u32:
        return H5T_STD_U32LE;
    case Element::i64:
        return H5T_STD_I64LE;
    case Element::u64:
        return H5T_STD_U64LE;
    case Element::f64:
        return H5T_IEEE_F64LE;
    }
    return H5I_INVALID_HID;
}

hid_t memory_type(Element e) {
    switch (e) {
    case Element::u8:
        return H5T_NATIVE_UINT8;
    case Element::u16:
        return H5T_NATIVE_UINT16;
    case Element::u32:
        return H5T_NATIVE_UINT32;
    case Element::i64:
        return H5T_NATIVE_INT64;
    case Element::u64:
        return H5T_NATIVE_UINT64;
    case Element::f64:
        return H5T_NATIVE_DOUBLE;
    }
    return H5I_INVALID_HID;
}

std::vector<hsize_t> to_hsize(std::span<const std::uint64_t> dims) {
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

// Variable-length UTF-8 strings: h5py reads them as str, h5dump prints them, and the
// scenario text can exceed the 64 KiB an attribute may hold inline.
Datatype utf8_string_type(const Context& c) {
    auto type = open<Datatype>(H5Tcopy(H5T_C_S1), c, "create string type for", "/");
    check(H5Tset_size(type.get(), H5T_VARIABLE), c, "size string type for", "/");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), c, "set UTF-8 on string type for", "/");
    return type;
}

Dataspace vector_space(std::size_t n, const Context& c, std::string_view object) {
    const hsize_t dims[1] = {n};
    return open<Dataspace>(H5Screate_simple(1, dims, nullptr), c, "create dataspace for", object);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& v : values)
        pointers.push_back(v.c_str());
    return pointers;
}

void write_attribute_value(hid_t object, std::string_view object_name, const std::string& name,
                           hid_t file_type, hid_t memory_type, hid_t space, const void* value,
                           const Context& c) {
    const std::string what = std::string(object_name) + "@" + name;
    auto attribute = open<Attribute>(
        H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), c,
        "create attribute", what);
    // HDF5 refuses a null buffer even for no elements, and an empty vector's data() may be one.
    const hssize_t points = check(H5Sget_simple_extent_npoints(space), c, "size", what);
    if (points > 0)
        check(H5Awrite(attribute.get(), memory_type, value), c, "write attribute", what);
    check(attribute.close(), c, "close attribute", what);
}

} // namespace

void write_string_attribute(hid_t object, std::string_view object_name, const std::string& name,
                            const std::string& value, const Context& c) {
    const Datatype type = utf8_string_type(c);
    const auto space =
        open<Dataspace>(H5Screate(H5S_SCALAR), c, "create dataspace for", object_name);
    const char* pointer = value.c_str();
    write_attribute_value(object, object_name, name, type.get(), type.get(), space.get(), &pointer,
                          c);
}

void write_strings_attribute(hid_t object, std::string_view object_name, const std::string& name,
                             const std::vector<std::string>& values, const Context& c) {
    const Datatype type = utf8_string_type(c);
    const Dataspace space = vector_space(values.size(), c, object_name);
    const std::vector<const char*> pointers = c_strings(values);
    write_attribute_value(object, object_name, name, type.get(), type.get(), space.get(),
                          pointers.data(), c);
}

void write_scalar_attribute(Id object, std::string_view object_name, const std::string& name,
                            Element type, const void* value, const Context& c) {
    const auto space =
        open<Dataspace>(H5Screate(H5S_SCALAR), c, "create dataspace for", object_name);
    write_attribute_value(object, object_name, name, file_type(type), memory_type(type),
                          space.get(), value, c);
}

namespace {

// Time tracking off everywhere: object headers would otherwise carry the creation second and
// two runs of the same scenario would not be byte-identical.
PropertyList untimed(hid_t property_class, const Context& c, std::string_view object) {
    auto list =
        open<PropertyList>(H5Pcreate(property_class), c, "create property list for", object);
    check(H5Pset_obj_track_times(list.get(), 0), c, "disable time tracking for", object);
    return list;
}

} // namespace

Handle create_group(hid_t parent, const std::string& path, const Context& c) {
    const PropertyList gcpl = untimed(H5P_GROUP_CREATE, c, path);
    return open<Group>(H5Gcreate2(parent, path.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), c,
                       "create group", path);
}

namespace {

void describe(hid_t dataset, const std::string& path, const std::vector<std::string>& dimensions,
              const std::string& units, const Context& c) {
    write_strings_attribute(dataset, path, "dimensions", dimensions, c);
    write_string_attribute(dataset, path, "units", units, c);
}

} // namespace

void write_string_dataset(hid_t file, const std::string& path,
                          const std::vector<std::string>& values, const std::string& dimension,
                          const std::string& units, const Context& c) {
    const Datatype type = utf8_string_type(c);
    const Dataspace space = vector_space(values.size(), c, path);
    const PropertyList dcpl = untimed(H5P_DATASET_CREATE, c, path);
    auto dataset = open<Dataset>(H5Dcreate2(file, path.c_str(), type.get(), space.get(),
                                            H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                                 c, "create dataset", path);
    if (!values.empty()) {
        const std::vector<const char*> pointers = c_strings(values);
        check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
              c, "write dataset", path);
    }
    describe(dataset.get(), path, {dimension}, units, c);
    check(dataset.close(), c, "close dataset", path);
}

// Contiguous storage allocated at creation: where each dataset lies in the file then does not
// depend on the order replicates arrive in, so runs at any thread count give the same bytes.
Handle create_dataset(Id file, const std::string& path, std::span<const std::uint64_t> shape,
                      const std::vector<std::string>& dimensions, const std::string& units,
                      Element type, const Context& c) {
    const std::vector<hsize_t> dims = to_hsize(shape);
    const auto space =
        open<Dataspace>(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), c,
                        "create dataspace for", path);
    const PropertyList dcpl = untimed(H5P_DATASET_CREATE, c, path);
    check(H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS), c, "set layout of", path);
    check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), c, "set allocation of", path);
    auto dataset = open<Dataset>(H5Dcreate2(file, path.c_str(), file_type(type), space.get(),
                                            H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                                 c, "create dataset", path);
    describe(dataset.get(), path, dimensions, units, c);
    return dataset;
}

Handle create_file(const Context& c, bool in_memory) {
    const PropertyList fcpl = untimed(H5P_FILE_CREATE, c, "/");
    // SEMI: closing the file fails while anything in it is still open, instead of quietly
    // leaving it open until later, after the rename.
    const auto fapl =
        open<PropertyList>(H5Pcreate(H5P_FILE_ACCESS), c, "create property list for", "/");
    check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), c, "configure", "/");
    // In memory, never on disk: the file is only written to be dropped.
    if (in_memory)
        check(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false), c, "configure", "/");
    return File(H5Fcreate(c.file.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()));
}

Handle create_output_file(const std::filesystem::path& output, std::string_view kind,
                          const Context& c, bool discard) {
    store::require_directory_of(output, kind, discard);
    Handle file = create_file(c, discard);
    if (file.get() < 0)
        throw OutputError(Diagnostic{{output.string(), 0, 0, false},
                                     "",
                                     "cannot create this " + std::string(kind) + " (as " +
                                         c.file.filename().string() + "): " + reason()});
    return file;
}

Handle open_file_read(const std::filesystem::path& path) {
    return File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
}

void flush(Id file, const Context& c) {
    check(H5Fflush(file, H5F_SCOPE_LOCAL), c, "flush", "/");
}

bool has_link(Id parent, const std::string& name) {
    const htri_t has = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
    if (has <= 0) H5Eclear2(H5E_DEFAULT);
    return has > 0;
}

void write_whole(Id dataset, Element type, const void* values, std::size_t elements,
                 const std::string& path, const Context& c) {
    if (elements > 0)
        check(H5Dwrite(dataset, memory_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, values), c,
              "write dataset", path);
}

void read_whole(Id dataset, Element type, void* values, std::size_t elements,
                const std::string& path, const Context& c) {
    if (elements > 0)
        check(H5Dread(dataset, memory_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, values), c,
              "read dataset", path);
}

// ---- blocks along the first two axes -------------------------------------------------------

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

std::vector<std::uint64_t> shape_of(Id dataset, const std::string& path, const Context& c) {
    const auto space = open<Dataspace>(H5Dget_space(dataset), c, "get dataspace of", path);
    std::vector<hsize_t> dims(static_cast<std::size_t>(
        check(H5Sget_simple_extent_ndims(space.get()), c, "get rank of", path)));
    check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), c, "get shape of", path);
    return {dims.begin(), dims.end()};
}

Handle open_dataset(Id file, const std::string& path, const Context& c) {
    return open<Dataset>(H5Dopen2(file, path.c_str(), H5P_DEFAULT), c, "open dataset", path);
}

std::uint64_t read_u64_attribute(Id file, const std::string& object, const std::string& name,
                                 const Context& c) {
    const std::string what = object + "@" + name;
    const auto o = open<Object>(H5Oopen(file, object.c_str(), H5P_DEFAULT), c, "open", object);
    const auto a =
        open<Attribute>(H5Aopen(o.get(), name.c_str(), H5P_DEFAULT), c, "open attribute", what);
    std::uint64_t value = 0;
    check(H5Aread(a.get(), H5T_NATIVE_UINT64, &value), c, "read attribute", what);
    return value;
}

// ---- named arrays (ArrayWriter) ------------------------------------------------------------

// Groups are created one by one with create_group rather than through
// H5Pset_create_intermediate_group, whose groups would carry creation times and make the file
// differ from one run to the next.
namespace {

void create_parent_groups(hid_t file, const std::string& path, const Context& c) {
    std::vector<std::string> components;
    for (std::size_t begin = 0; begin <= path.size();) {
        const std::size_t end = std::min(path.find('/', begin), path.size());
        if (end > begin) components.push_back(path.substr(begin, end - begin));
        begin = end + 1;
    }
    if (components.empty())
        throw std::invalid_argument(c.file.string() + ": '" + path + "' names no object");
    std::string parent;
    for (std::size_t i = 0; i + 1 < components.size(); ++i) {
        parent += "/" + components[i];
        const htri_t exists =
            check(H5Lexists(file, parent.c_str(), H5P_DEFAULT), c, "look up", parent);
        if (exists > 0) continue;
        Handle group = create_group(file, parent, c);
        check(group.close(), c, "close group", parent);
    }
}

} // namespace

void write_array(Id file, const std::string& path, const std::vector<std::size_t>& dims,
                 const std::vector<std::string>& dimension_names, const std::string& units,
                 const std::vector<double>& values, const Context& c) {
    std::string shape;
    std::size_t elements = 1;
    bool overflow = false;
    for (const std::size_t n : dims) {
        shape += (shape.empty() ? "" : " x ") + std::to_string(n);
        overflow = overflow || (n != 0 && elements > std::numeric_limits<std::size_t>::max() / n);
        elements *= n;
    }
    // A wrapped product could match values.size() and let H5Dwrite read past the buffer.
    if (overflow && std::find(dims.begin(), dims.end(), 0) == dims.end())
        throw std::invalid_argument(c.file.string() + ": array '" + path + "' of shape [" + shape +
                                    "] is too large");
    if (dimension_names.size() != dims.size())
        throw std::invalid_argument(c.file.string() + ": array '" + path + "' has " +
                                    std::to_string(dims.size()) + " dimensions but " +
                                    std::to_string(dimension_names.size()) + " dimension names");
    if (values.size() != elements)
        throw std::invalid_argument(c.file.string() + ": array '" + path + "' of shape [" + shape +
                                    "] needs " + std::to_string(elements) + " values, got " +
                                    std::to_string(values.size()));
    create_parent_groups(file, path, c);
    const std::vector<std::uint64_t> shape_dims(dims.begin(), dims.end());
    Handle dataset =
        create_dataset(file, path, shape_dims, dimension_names, units, Element::f64, c);
    if (elements > 0)
        check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       values.data()),
              c, "write dataset", path);
    check(dataset.close(), c, "close dataset", path);
}

void write_strings(Id file, const std::string& path, const std::vector<std::string>& values,
                   const std::string& dimension, const std::string& units, const Context& c) {
    create_parent_groups(file, path, c);
    write_string_dataset(file, path, values, dimension, units, c);
}

namespace {

template <typename Value>
void write_attribute_to(hid_t file, const std::string& object, const std::string& name,
                        const Value& value, const Context& c) {
    Object o = open<Object>(H5Oopen(file, object.c_str(), H5P_DEFAULT), c, "open", object);
    if constexpr (std::is_same_v<Value, std::string>)
        write_string_attribute(o.get(), object, name, value, c);
    else
        write_strings_attribute(o.get(), object, name, value, c);
    check(o.close(), c, "close", object);
}

} // namespace

void write_attribute(Id file, const std::string& object, const std::string& name,
                     const std::string& value, const Context& c) {
    write_attribute_to(file, object, name, value, c);
}

void write_attribute(Id file, const std::string& object, const std::string& name,
                     const std::vector<std::string>& values, const Context& c) {
    write_attribute_to(file, object, name, values, c);
}

} // namespace hdf5

// ---- RunFileReader --------------------------------------------------------------------------

namespace {

using namespace hdf5;

struct Reclaim {
    hid_t type;
    hid_t space;
    void* buffer;
    // H5Treclaim is declared by the 1.10.8 headers but missing from Debian's 1.10 library.
#if H5_VERSION_GE(1, 12, 0)
    ~Reclaim() {
        H5Treclaim(type, space, H5P_DEFAULT, buffer);
    }
#else
    ~Reclaim() {
        H5Dvlen_reclaim(type, space, H5P_DEFAULT, buffer);
    }
#endif
};

/// Reads every string of a dataset or attribute, fixed or variable length. `read` performs the
/// H5Dread or H5Aread into a buffer of the given memory type.
std::vector<std::string> read_strings(hid_t file_type, hid_t space, std::string_view object,
                                      const std::filesystem::path& file,
                                      const std::function<herr_t(hid_t, void*)>& read) {
    if (H5Tget_class(file_type) != H5T_STRING)
        throw std::runtime_error(file.string() + ": '" + std::string(object) +
                                 "' does not hold strings");
    const hssize_t points = check(H5Sget_simple_extent_npoints(space), file, "size", object);
    const auto n = static_cast<std::size_t>(points);
    // The native type keeps the stored character set: HDF5 will not convert ASCII to UTF-8.
    const auto memory_type = open<Datatype>(H5Tget_native_type(file_type, H5T_DIR_ASCEND), file,
                                            "get string type of", object);
    std::vector<std::string> values;
    values.reserve(n);
    if (n == 0) return values;
    const htri_t variable = check(H5Tis_variable_str(file_type), file, "inspect", object);
    if (variable > 0) {
        std::vector<char*> pointers(n, nullptr);
        check(read(memory_type.get(), pointers.data()), file, "read", object);
        const Reclaim reclaim{memory_type.get(), space, pointers.data()};
        for (const char* p : pointers)
            values.emplace_back(p ? p : "");
        return values;
    }
    const std::size_t size = H5Tget_size(file_type);
    if (size == 0) fail(file, "get string size of", object);
    const H5T_str_t padding = H5Tget_strpad(file_type);
    std::vector<char> buffer(n * size);
    check(read(memory_type.get(), buffer.data()), file, "read", object);
    for (std::size_t i = 0; i < n; ++i) {
        std::string_view text(buffer.data() + i * size, size);
        text = text.substr(0, std::min(text.size(), text.find('\0')));
        if (padding == H5T_STR_SPACEPAD) text = text.substr(0, text.find_last_not_of(' ') + 1);
        values.emplace_back(text);
    }
    return values;
}

} // namespace

struct RunFileReader::Impl {
    std::filesystem::path path;
    File file;

    Object open_object(const std::string& name) const {
        return open<Object>(H5Oopen(file.get(), name.c_str(), H5P_DEFAULT), path, "open", name);
    }
    Attribute open_attribute(const std::string& object, const std::string& name) const {
        const Object o = open_object(object);
        return open<Attribute>(H5Aopen(o.get(), name.c_str(), H5P_DEFAULT), path, "open attribute",
                               object + "@" + name);
    }
    std::vector<std::string> attribute_strings(const std::string& object,
                                               const std::string& name) const {
        const Attribute a = open_attribute(object, name);
        const std::string what = object + "@" + name;
        const auto type = open<Datatype>(H5Aget_type(a.get()), path, "get type of", what);
        const auto space = open<Dataspace>(H5Aget_space(a.get()), path, "get dataspace of", what);
        return read_strings(
            type.get(), space.get(), what, path,
            [&](hid_t memory_type, void* buffer) { return H5Aread(a.get(), memory_type, buffer); });
    }
    /// A numeric attribute holding exactly one value.
    Attribute scalar_attribute(const std::string& object, const std::string& name,
                               H5T_class_t& type_class, std::size_t& size, bool& is_signed) const {
        Attribute a = open_attribute(object, name);
        const std::string what = object + "@" + name;
        const auto type = open<Datatype>(H5Aget_type(a.get()), path, "get type of", what);
        const auto space = open<Dataspace>(H5Aget_space(a.get()), path, "get dataspace of", what);
        if (check(H5Sget_simple_extent_npoints(space.get()), path, "size", what) != 1)
            throw std::runtime_error(path.string() + ": attribute '" + what +
                                     "' is not a single value");
        type_class = H5Tget_class(type.get());
        size = H5Tget_size(type.get());
        is_signed = type_class == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_2;
        if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
            throw std::runtime_error(path.string() + ": attribute '" + what + "' is not a number");
        return a;
    }
};

RunFileReader::RunFileReader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
    silence();
    impl_->path = path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw std::runtime_error("cannot read run file " + path.string() + ": no such file");
    if (!survives_reading(path))
        throw std::runtime_error("cannot read run file " + path.string() +
                                 ": damaged (HDF5 fails reading it)");
    impl_->file = File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (impl_->file.get() < 0)
        throw std::runtime_error("cannot read run file " + path.string() + ": " + reason());
    const htri_t has_meta = H5Lexists(impl_->file.get(), "meta", H5P_DEFAULT);
    if (has_meta <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw std::runtime_error("cannot read run file " + path.string() +
                                 ": not a ulcsim run file (no /meta)");
    }
}

RunFileReader::~RunFileReader() = default;

StoredArray RunFileReader::array(const std::string& dataset) const {
    silence();
    const std::filesystem::path& path = impl_->path;
    const auto d = open<Dataset>(H5Dopen2(impl_->file.get(), dataset.c_str(), H5P_DEFAULT), path,
                                 "open dataset", dataset);
    const auto type = open<Datatype>(H5Dget_type(d.get()), path, "get type of", dataset);
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class != H5T_FLOAT && type_class != H5T_INTEGER)
        throw std::runtime_error(path.string() + ": dataset '" + dataset + "' is not numeric");
    const auto space = open<Dataspace>(H5Dget_space(d.get()), path, "get dataspace of", dataset);
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), path, "get rank of", dataset);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), path, "get shape of",
          dataset);
    StoredArray result;
    std::size_t elements = 1;
    for (const hsize_t n : dims) {
        result.dims.push_back(n);
        elements *= n;
    }
    result.values.resize(elements);
    if (elements > 0)
        check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                      result.values.data()),
              path, "read dataset", dataset);
    return result;
}

std::vector<std::string> RunFileReader::strings(const std::string& dataset) const {
    silence();
    const std::filesystem::path& path = impl_->path;
    const auto d = open<Dataset>(H5Dopen2(impl_->file.get(), dataset.c_str(), H5P_DEFAULT), path,
                                 "open dataset", dataset);
    const auto type = open<Datatype>(H5Dget_type(d.get()), path, "get type of", dataset);
    const auto space = open<Dataspace>(H5Dget_space(d.get()), path, "get dataspace of", dataset);
    if (check(H5Sget_simple_extent_ndims(space.get()), path, "get rank of", dataset) > 1)
        throw std::runtime_error(path.string() + ": dataset '" + dataset +
                                 "' is not one-dimensional");
    return read_strings(
        type.get(), space.get(), dataset, path, [&](hid_t memory_type, void* buffer) {
            return H5Dread(d.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        });
}

std::string RunFileReader::string_attribute(const std::string& object,
                                            const std::string& name) const {
    silence();
    std::vector<std::string> values = impl_->attribute_strings(object, name);
    if (values.size() != 1)
        throw std::runtime_error(impl_->path.string() + ": attribute '" + object + "@" + name +
                                 "' is not a single string");
    return std::move(values.front());
}

std::vector<std::string> RunFileReader::strings_attribute(const std::string& object,
                                                          const std::string& name) const {
    silence();
    return impl_->attribute_strings(object, name);
}

std::int64_t RunFileReader::integer_attribute(const std::string& object,
                                              const std::string& name) const {
    silence();
    const std::string what = object + "@" + name;
    H5T_class_t type_class{};
    std::size_t size = 0;
    bool is_signed = false;
    const Attribute a = impl_->scalar_attribute(object, name, type_class, size, is_signed);
    if (type_class != H5T_INTEGER)
        throw std::runtime_error(impl_->path.string() + ": attribute '" + what +
                                 "' is not an integer");
    // HDF5 would clamp an unsigned 64-bit value above INT64_MAX silently; refuse instead.
    if (!is_signed && size >= sizeof(std::uint64_t)) {
        std::uint64_t value = 0;
        check(H5Aread(a.get(), H5T_NATIVE_UINT64, &value), impl_->path, "read attribute", what);
        if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw std::runtime_error(impl_->path.string() + ": attribute '" + what +
                                     "' does not fit a signed 64-bit integer");
        return static_cast<std::int64_t>(value);
    }
    std::int64_t value = 0;
    check(H5Aread(a.get(), H5T_NATIVE_INT64, &value), impl_->path, "read attribute", what);
    return value;
}

double RunFileReader::number_attribute(const std::string& object, const std::string& name) const {
    silence();
    H5T_class_t type_class{};
    std::size_t size = 0;
    bool is_signed = false;
    const Attribute a = impl_->scalar_attribute(object, name, type_class, size, is_signed);
    double value = 0;
    check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &value), impl_->path, "read attribute",
          object + "@" + name);
    return value;
}

std::vector<std::string> RunFileReader::members(const std::string& group) const {
    silence();
    const std::filesystem::path& path = impl_->path;
    const auto g = open<Group>(H5Gopen2(impl_->file.get(), group.c_str(), H5P_DEFAULT), path,
                               "open group", group);
    H5G_info_t info{};
    check(H5Gget_info(g.get(), &info), path, "list group", group);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t length = check(H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i,
                                                        nullptr, 0, H5P_DEFAULT),
                                     path, "list group", group);
        std::string name(static_cast<std::size_t>(length) + 1, '\0');
        check(H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                                 name.size(), H5P_DEFAULT),
              path, "list group", group);
        name.resize(static_cast<std::size_t>(length));
        names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace ulcsim
