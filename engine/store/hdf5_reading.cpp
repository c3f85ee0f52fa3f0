// Reading HDF5 files (hdf5_file.hpp): whole datasets, shapes and attributes for the typed
// readers, and the generic reader of output files handed over by a user (RunFileReader), which
// checks each object's type and shape before reading it.

#include "hdf5_file.hpp"
#include "hdf5_handles.hpp"
#include "ulcsim/store.hpp"

#include <algorithm>
#include <functional>
#include <hdf5.h>
#include <limits>
#include <stdexcept>

namespace ulcsim {
namespace hdf5 {

void read_whole(Id dataset, Element type, void* values, std::size_t elements,
                const std::string& path, const Context& c) {
    if (elements > 0)
        check(H5Dread(dataset, memory_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, values), c,
              "read dataset", path);
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
    if (std::filesystem::is_directory(path, ec))
        throw std::runtime_error("cannot read run file " + path.string() +
                                 ": a directory, not a file");
    if (!std::filesystem::is_regular_file(path, ec))
        throw std::runtime_error("cannot read run file " + path.string() + ": no such file");
    if (!survives_reading(path))
        throw std::runtime_error("cannot read run file " + path.string() +
                                 ": damaged (HDF5 fails reading it)");
    impl_->file = File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (impl_->file.get() < 0) {
        const std::string why = reason();
        // HDF5 says "file signature not found" of a file that is not HDF5 at all (a scenario
        // given where a run file goes).
#if H5_VERSION_GE(1, 12, 0)
        const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
        const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
        if (is_hdf5 <= 0) {
            clear_errors();
            throw std::runtime_error("cannot read run file " + path.string() +
                                     ": not an HDF5 file (not a run file of ulcsim)");
        }
        throw std::runtime_error("cannot read run file " + path.string() + ": " + why);
    }
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
