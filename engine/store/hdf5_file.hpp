#pragma once
// The HDF5 wrapper of the output files: owned identifiers, typed attributes and datasets,
// blocks along the first two axes, and errors that name the file and the object. This is the
// only interface to HDF5: its implementation (hdf5_file.cpp: errors, handles, files;
// hdf5_writing.cpp; hdf5_blocks.cpp; hdf5_reading.cpp, with RunFileReader) is the only code
// that includes HDF5's headers, so that the writers and readers of each dataset family deal in
// paths, shapes and element types.

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::hdf5 {

/// An HDF5 identifier (hid_t, which is 64-bit in every HDF5 this builds with).
using Id = std::int64_t;

/// The element types the files hold: little-endian in the file, native in memory.
enum class Element : std::uint8_t { u8, u16, u32, i64, u64, f64 };

template <typename T>
constexpr Element element_of();
template <>
constexpr Element element_of<std::uint8_t>() {
    return Element::u8;
}
template <>
constexpr Element element_of<std::uint16_t>() {
    return Element::u16;
}
template <>
constexpr Element element_of<std::uint32_t>() {
    return Element::u32;
}
template <>
constexpr Element element_of<std::int64_t>() {
    return Element::i64;
}
template <>
constexpr Element element_of<std::uint64_t>() {
    return Element::u64;
}
template <>
constexpr Element element_of<double>() {
    return Element::f64;
}

/// Where a writer or reader is, for error messages.
struct Context {
    std::filesystem::path file;
    /// For a writer, the output its (temporary) file becomes: a failure is then the output's
    /// OutputError (exit status 2: a full disk, a folder gone), naming it. Empty for a reader.
    std::filesystem::path output;
};

// HDF5 prints its whole error stack to stderr by default; users get our one-line messages
// instead. The setting is per thread in thread-safe builds, so every entry point calls this.
void silence();

/// The innermost (most specific) entry of HDF5's error stack, which is then cleared.
std::string reason();

/// Clears HDF5's error stack, after a failure that is an answer (a missing link).
void clear_errors();

// Every error names the file and the object, so that a message alone says what went wrong.
[[noreturn]] void fail(const std::filesystem::path& file, std::string_view action,
                       std::string_view object);

template <typename T>
T check(T result, const std::filesystem::path& file, std::string_view action,
        std::string_view object) {
    if (result < 0) fail(file, action, object);
    return result;
}

/// fail() for a reader's or a writer's context (a writer's failure is an OutputError).
[[noreturn]] void fail(const Context& c, std::string_view action, std::string_view object);

template <typename T>
T check(T result, const Context& c, std::string_view action, std::string_view object) {
    if (result < 0) fail(c, action, object);
    return result;
}

/// Owns one HDF5 identifier of a kind; closing calls the kind's H5?close.
class Handle {
public:
    enum class Kind : std::uint8_t {
        file,
        group,
        dataset,
        attribute,
        dataspace,
        datatype,
        property_list,
        object
    };

    Handle() = default;
    Handle(Kind kind, Id id) : kind_(kind), id_(id) {}
    ~Handle() { reset(); }
    Handle(Handle&& other) noexcept;
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    Id get() const { return id_; }
    /// Closes now and reports whether HDF5 could (negative: not), for the paths that must
    /// know (commit).
    int close();
    void reset() noexcept;

private:
    Kind kind_ = Kind::object;
    Id id_ = -1;
};

// ---- files --------------------------------------------------------------------------------

/// Creates (truncating) c.file, without time stamps; in memory only when `in_memory` (for a
/// file written only to be dropped). The handle is invalid when HDF5 could not, so that the
/// caller can say which of its files that was.
Handle create_file(const Context& c, bool in_memory);
/// Creates the temporary file c.file of the output `output` (a "run file", a "result file"):
/// its directory must exist (store::require_directory_of), and a file HDF5 cannot create is an
/// error naming both the output and the temporary name.
Handle create_output_file(const std::filesystem::path& output, std::string_view kind,
                          const Context& c, bool discard);
/// Whether HDF5 can read every object and string of `file` without crashing or hanging,
/// tried in a child process (hdf5_probe.cpp): a damaged file can crash HDF5 itself.
bool survives_reading(const std::filesystem::path& file);
/// Opens a file read-only; the handle is invalid when HDF5 could not.
Handle open_file_read(const std::filesystem::path& path);
/// Flushes a file's buffers to disk.
void flush(Id file, const Context& c);
/// Whether `parent` has a link called `name`; an error on the way counts as no.
bool has_link(Id parent, const std::string& name);

// ---- writing ------------------------------------------------------------------------------

Handle create_group(Id parent, const std::string& path, const Context& c);

void write_string_attribute(Id object, std::string_view object_name, const std::string& name,
                            const std::string& value, const Context& c);
void write_strings_attribute(Id object, std::string_view object_name, const std::string& name,
                             const std::vector<std::string>& values, const Context& c);
void write_scalar_attribute(Id object, std::string_view object_name, const std::string& name,
                            Element type, const void* value, const Context& c);
template <typename T>
void write_scalar_attribute(Id object, std::string_view object_name, const std::string& name,
                            T value, const Context& c) {
    write_scalar_attribute(object, object_name, name, element_of<T>(), &value, c);
}

/// A one-dimensional dataset of UTF-8 strings with its `dimensions` and `units`.
void write_string_dataset(Id file, const std::string& path, const std::vector<std::string>& values,
                          const std::string& dimension, const std::string& units, const Context& c);

/// A dataset with its storage allocated at creation, described by `dimensions` and `units`.
Handle create_dataset(Id file, const std::string& path, std::span<const std::uint64_t> dims,
                      const std::vector<std::string>& dimensions, const std::string& units,
                      Element type, const Context& c);

/// Writes a whole dataset from `values` (nothing when it has no elements).
void write_whole(Id dataset, Element type, const void* values, std::size_t elements,
                 const std::string& path, const Context& c);

/// The block of a dataset of shape `dims` from `start` along the first two axes, `count` of
/// them, all of the others.
std::size_t block_elements(std::span<const std::uint64_t> dims, std::array<std::uint64_t, 2> count);
void write_block(Id dataset, std::span<const std::uint64_t> dims,
                 std::array<std::uint64_t, 2> start, std::array<std::uint64_t, 2> count,
                 Element type, const void* values, std::string_view action, const std::string& path,
                 const Context& c);
void read_block(Id dataset, std::span<const std::uint64_t> dims, std::array<std::uint64_t, 2> start,
                std::array<std::uint64_t, 2> count, Element type, void* values,
                const std::string& path, const Context& c);

/// The shape of an open dataset.
std::vector<std::uint64_t> shape_of(Id dataset, const std::string& path, const Context& c);

// ---- named arrays (ArrayWriter) ------------------------------------------------------------

/// A float64 array at `path`, creating missing parent groups (without time stamps).
void write_array(Id file, const std::string& path, const std::vector<std::size_t>& dims,
                 const std::vector<std::string>& dimension_names, const std::string& units,
                 const std::vector<double>& values, const Context& c);
void write_strings(Id file, const std::string& path, const std::vector<std::string>& values,
                   const std::string& dimension, const std::string& units, const Context& c);
void write_attribute(Id file, const std::string& object, const std::string& name,
                     const std::string& value, const Context& c);
void write_attribute(Id file, const std::string& object, const std::string& name,
                     const std::vector<std::string>& values, const Context& c);

// ---- reading ------------------------------------------------------------------------------

/// Opens a dataset of a file, or throws naming both.
Handle open_dataset(Id file, const std::string& path, const Context& c);
/// An unsigned 64-bit attribute of an object.
std::uint64_t read_u64_attribute(Id file, const std::string& object, const std::string& name,
                                 const Context& c);
/// Reads a whole dataset of `elements` values into `values`.
void read_whole(Id dataset, Element type, void* values, std::size_t elements,
                const std::string& path, const Context& c);

} // namespace ulcsim::hdf5
