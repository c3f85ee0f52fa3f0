// Writing HDF5 objects (hdf5_file.hpp): attributes, groups, datasets described by their
// dimensions and units, and the named arrays of ArrayWriter.

#include "hdf5_file.hpp"
#include "hdf5_handles.hpp"

#include <algorithm>
#include <hdf5.h>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace ulcsim::hdf5 {

namespace {

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

void write_whole(Id dataset, Element type, const void* values, std::size_t elements,
                 const std::string& path, const Context& c) {
    if (elements > 0)
        check(H5Dwrite(dataset, memory_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, values), c,
              "write dataset", path);
}

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

} // namespace ulcsim::hdf5
