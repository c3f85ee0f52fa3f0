#include "ulcsim/store.hpp"

#include "ulcsim/input_error.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <hdf5.h>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unistd.h>
#include <utility>

namespace ulcsim {
namespace {

// HDF5 prints its whole error stack to stderr by default; users get our one-line messages
// instead. The setting is per thread in thread-safe builds, so every entry point calls this.
void silence_hdf5() {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// The innermost entry of HDF5's error stack is the most specific ("component not found",
// "unable to open file: ... errno = 2 ..."), so that is the one worth showing.
std::string hdf5_reason() {
    std::string reason;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned n, const H5E_error2_t* error, void* data) -> herr_t {
            if (n == 0 && error && error->desc) *static_cast<std::string*>(data) = error->desc;
            return 0;
        },
        &reason);
    H5Eclear2(H5E_DEFAULT);
    return reason.empty() ? "HDF5 error" : reason;
}

// Every error names the file and the object, so that a message alone says what went wrong.
[[noreturn]] void fail(const std::filesystem::path& file, std::string_view action,
                       std::string_view object) {
    throw std::runtime_error(file.string() + ": cannot " + std::string(action) + " '" +
                             std::string(object) + "': " + hdf5_reason());
}

template <typename T>
T check(T result, const std::filesystem::path& file, std::string_view action,
        std::string_view object) {
    if (result < 0) fail(file, action, object);
    return result;
}

/// Owns one HDF5 identifier; Close is the matching H5?close.
template <herr_t (*Close)(hid_t)>
class Handle {
public:
    Handle() = default;
    explicit Handle(hid_t id) : id_(id) {}
    ~Handle() { reset(); }
    Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
    Handle& operator=(Handle&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, H5I_INVALID_HID);
        }
        return *this;
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;

    hid_t get() const { return id_; }
    /// Closes now and reports whether HDF5 could, for the paths that must know (commit).
    herr_t close() { return id_ >= 0 ? Close(std::exchange(id_, H5I_INVALID_HID)) : 0; }
    void reset() noexcept {
        if (id_ >= 0) Close(std::exchange(id_, H5I_INVALID_HID));
    }

private:
    hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Attribute = Handle<H5Aclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using PropertyList = Handle<H5Pclose>;
using Object = Handle<H5Oclose>;

/// Opens an identifier, or throws naming the file and the object.
template <typename H>
H open(hid_t id, const std::filesystem::path& file, std::string_view action,
       std::string_view object) {
    if (id < 0) fail(file, action, object);
    return H(id);
}

std::string join(std::string_view parent, std::string_view name) {
    if (parent == "/") return "/" + std::string(name);
    return std::string(parent) + "/" + std::string(name);
}

// ---- writing --------------------------------------------------------------------------------

/// Where the writer is, for error messages.
struct Context {
    std::filesystem::path file;
};

// Variable-length UTF-8 strings: h5py reads them as str, h5dump prints them, and the
// scenario text can exceed the 64 KiB an attribute may hold inline.
Datatype utf8_string_type(const Context& c) {
    auto type = open<Datatype>(H5Tcopy(H5T_C_S1), c.file, "create string type for", "/");
    check(H5Tset_size(type.get(), H5T_VARIABLE), c.file, "size string type for", "/");
    check(H5Tset_cset(type.get(), H5T_CSET_UTF8), c.file, "set UTF-8 on string type for", "/");
    return type;
}

Dataspace vector_space(std::size_t n, const Context& c, std::string_view object) {
    const hsize_t dims[1] = {n};
    return open<Dataspace>(H5Screate_simple(1, dims, nullptr), c.file, "create dataspace for",
                           object);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const std::string& v : values)
        pointers.push_back(v.c_str());
    return pointers;
}

void write_attribute(hid_t object, std::string_view object_name, const std::string& name,
                     hid_t file_type, hid_t memory_type, hid_t space, const void* value,
                     const Context& c) {
    const std::string what = std::string(object_name) + "@" + name;
    auto attribute = open<Attribute>(
        H5Acreate2(object, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), c.file,
        "create attribute", what);
    // HDF5 refuses a null buffer even for no elements, and an empty vector's data() may be one.
    const hssize_t points = check(H5Sget_simple_extent_npoints(space), c.file, "size", what);
    if (points > 0)
        check(H5Awrite(attribute.get(), memory_type, value), c.file, "write attribute", what);
    check(attribute.close(), c.file, "close attribute", what);
}

void write_string_attribute(hid_t object, std::string_view object_name, const std::string& name,
                            const std::string& value, const Context& c) {
    const Datatype type = utf8_string_type(c);
    const auto space =
        open<Dataspace>(H5Screate(H5S_SCALAR), c.file, "create dataspace for", object_name);
    const char* pointer = value.c_str();
    write_attribute(object, object_name, name, type.get(), type.get(), space.get(), &pointer, c);
}

void write_strings_attribute(hid_t object, std::string_view object_name, const std::string& name,
                             const std::vector<std::string>& values, const Context& c) {
    const Datatype type = utf8_string_type(c);
    const Dataspace space = vector_space(values.size(), c, object_name);
    const std::vector<const char*> pointers = c_strings(values);
    write_attribute(object, object_name, name, type.get(), type.get(), space.get(), pointers.data(),
                    c);
}

template <typename T>
void write_scalar_attribute(hid_t object, std::string_view object_name, const std::string& name,
                            hid_t file_type, hid_t memory_type, T value, const Context& c) {
    const auto space =
        open<Dataspace>(H5Screate(H5S_SCALAR), c.file, "create dataspace for", object_name);
    write_attribute(object, object_name, name, file_type, memory_type, space.get(), &value, c);
}

// Time tracking off everywhere: object headers would otherwise carry the creation second and
// two runs of the same scenario would not be byte-identical.
PropertyList untimed(hid_t property_class, const Context& c, std::string_view object) {
    auto list =
        open<PropertyList>(H5Pcreate(property_class), c.file, "create property list for", object);
    check(H5Pset_obj_track_times(list.get(), 0), c.file, "disable time tracking for", object);
    return list;
}

Group create_group(hid_t parent, const std::string& path, const Context& c) {
    const PropertyList gcpl = untimed(H5P_GROUP_CREATE, c, path);
    return open<Group>(H5Gcreate2(parent, path.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                       c.file, "create group", path);
}

void describe(hid_t dataset, const std::string& path, const std::vector<std::string>& dimensions,
              const std::string& units, const Context& c) {
    write_strings_attribute(dataset, path, "dimensions", dimensions, c);
    write_string_attribute(dataset, path, "units", units, c);
}

void write_string_dataset(hid_t file, const std::string& path,
                          const std::vector<std::string>& values, const std::string& dimension,
                          const std::string& units, const Context& c) {
    const Datatype type = utf8_string_type(c);
    const Dataspace space = vector_space(values.size(), c, path);
    const PropertyList dcpl = untimed(H5P_DATASET_CREATE, c, path);
    auto dataset = open<Dataset>(H5Dcreate2(file, path.c_str(), type.get(), space.get(),
                                            H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                                 c.file, "create dataset", path);
    if (!values.empty()) {
        const std::vector<const char*> pointers = c_strings(values);
        check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
              c.file, "write dataset", path);
    }
    describe(dataset.get(), path, {dimension}, units, c);
    check(dataset.close(), c.file, "close dataset", path);
}

// Contiguous storage allocated at creation: where each dataset lies in the file then does not
// depend on the order replicates arrive in, so runs at any thread count give the same bytes.
Dataset create_typed_dataset(hid_t file, const std::string& path, std::span<const hsize_t> dims,
                             const std::vector<std::string>& dimensions, const std::string& units,
                             hid_t file_type, const Context& c) {
    const auto space =
        open<Dataspace>(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                        c.file, "create dataspace for", path);
    const PropertyList dcpl = untimed(H5P_DATASET_CREATE, c, path);
    check(H5Pset_layout(dcpl.get(), H5D_CONTIGUOUS), c.file, "set layout of", path);
    check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY), c.file, "set allocation of", path);
    auto dataset = open<Dataset>(H5Dcreate2(file, path.c_str(), file_type, space.get(), H5P_DEFAULT,
                                            dcpl.get(), H5P_DEFAULT),
                                 c.file, "create dataset", path);
    describe(dataset.get(), path, dimensions, units, c);
    return dataset;
}

Dataset create_number_dataset(hid_t file, const std::string& path, std::span<const hsize_t> dims,
                              const std::vector<std::string>& dimensions, const std::string& units,
                              const Context& c) {
    return create_typed_dataset(file, path, dims, dimensions, units, H5T_IEEE_F64LE, c);
}

std::string units_of(std::string_view metric) {
    return metric.ends_with("_idr") ? "IDR" : "workers";
}

std::filesystem::path temporary_path_for(const std::filesystem::path& output) {
    std::filesystem::path temporary = output;
    temporary += ".tmp-" + std::to_string(::getpid());
    return temporary;
}

std::filesystem::path scratch_path_for(const std::filesystem::path& output) {
    std::filesystem::path scratch = output;
    scratch += ".replicates.tmp-" + std::to_string(::getpid());
    return scratch;
}

// HDF5's own message for this ("unable to open file … errno = 2") names the temporary file,
// not the one the user asked for.
void move_into_place(const std::filesystem::path& temporary, const std::filesystem::path& output,
                     bool discard) {
    if (discard) return;
    std::error_code ec;
    std::filesystem::rename(temporary, output, ec);
    if (ec)
        throw std::runtime_error("cannot rename " + temporary.string() + " to " + output.string() +
                                 ": " + ec.message());
}

void require_directory_of(const std::filesystem::path& output, std::string_view kind,
                          bool discard) {
    if (discard) return;
    const std::filesystem::path directory =
        output.has_parent_path() ? output.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec))
        throw std::runtime_error("cannot create " + std::string(kind) + " " + output.string() +
                                 ": directory " + directory.string() + " does not exist");
}

/// Creates (truncating) the file at c.file; the handle is invalid when HDF5 could not, so that
/// the caller can say which of its files that was.
File create_file(const Context& c, bool discard) {
    const PropertyList fcpl = untimed(H5P_FILE_CREATE, c, "/");
    // SEMI: closing the file fails while anything in it is still open, instead of quietly
    // leaving it open until later, after the rename.
    const auto fapl =
        open<PropertyList>(H5Pcreate(H5P_FILE_ACCESS), c.file, "create property list for", "/");
    check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), c.file, "configure", "/");
    // In memory, never on disk: the file is only written to be dropped.
    if (discard)
        check(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, false), c.file, "configure", "/");
    return File(H5Fcreate(c.file.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()));
}

// ---- named arrays (ArrayWriter) --------------------------------------------------------------
// Shared by RunFileWriter and ResultFileWriter; `file` is the open file, c names it.

// Groups are created one by one with create_group rather than through
// H5Pset_create_intermediate_group, whose groups would carry creation times and make the file
// differ from one run to the next.
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
            check(H5Lexists(file, parent.c_str(), H5P_DEFAULT), c.file, "look up", parent);
        if (exists > 0) continue;
        Group group = create_group(file, parent, c);
        check(group.close(), c.file, "close group", parent);
    }
}

void write_array_to(hid_t file, const std::string& path, const std::vector<std::size_t>& dims,
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
    const std::vector<hsize_t> shape_dims(dims.begin(), dims.end());
    Dataset dataset = create_number_dataset(file, path, shape_dims, dimension_names, units, c);
    if (elements > 0)
        check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       values.data()),
              c.file, "write dataset", path);
    check(dataset.close(), c.file, "close dataset", path);
}

void write_strings_to(hid_t file, const std::string& path, const std::vector<std::string>& values,
                      const std::string& dimension, const std::string& units, const Context& c) {
    create_parent_groups(file, path, c);
    write_string_dataset(file, path, values, dimension, units, c);
}

template <typename Value>
void write_attribute_to(hid_t file, const std::string& object, const std::string& name,
                        const Value& value, const Context& c) {
    Object o = open<Object>(H5Oopen(file, object.c_str(), H5P_DEFAULT), c.file, "open", object);
    if constexpr (std::is_same_v<Value, std::string>)
        write_string_attribute(o.get(), object, name, value, c);
    else
        write_strings_attribute(o.get(), object, name, value, c);
    check(o.close(), c.file, "close", object);
}

// ---- reading --------------------------------------------------------------------------------

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

// ---- ArrayWriter ----------------------------------------------------------------------------

static_assert(std::is_same_v<hid_t, std::int64_t>, "ArrayWriter keeps the file as an int64");

void ArrayWriter::write_into(std::int64_t file, std::string what, std::filesystem::path file_name) {
    file_ = file;
    what_ = std::move(what);
    file_name_ = std::move(file_name);
}

void ArrayWriter::stop_writing() {
    file_ = -1;
}

void ArrayWriter::require_writable(const char* operation) const {
    if (file_ < 0) throw std::logic_error(what_ + ": " + operation + " after commit");
}

void ArrayWriter::write_array(const std::string& path, const std::vector<std::size_t>& dims,
                              const std::vector<std::string>& dimension_names,
                              const std::string& units, const std::vector<double>& values) {
    silence_hdf5();
    require_writable("write_array");
    write_array_to(file_, path, dims, dimension_names, units, values, Context{file_name_});
}

void ArrayWriter::write_strings(const std::string& path, const std::vector<std::string>& values,
                                const std::string& dimension, const std::string& units) {
    silence_hdf5();
    require_writable("write_strings");
    write_strings_to(file_, path, values, dimension, units, Context{file_name_});
}

void ArrayWriter::write_attribute(const std::string& object, const std::string& name,
                                  const std::string& value) {
    silence_hdf5();
    require_writable("write_attribute");
    write_attribute_to(file_, object, name, value, Context{file_name_});
}

void ArrayWriter::write_attribute(const std::string& object, const std::string& name,
                                  const std::vector<std::string>& values) {
    silence_hdf5();
    require_writable("write_attribute");
    write_attribute_to(file_, object, name, values, Context{file_name_});
}

// ---- RunFileWriter --------------------------------------------------------------------------

struct RunFileWriter::Impl {
    std::filesystem::path output;
    std::filesystem::path temporary;
    Context context;
    /// Where /series and /programs/<metric> live: the output itself, or the scratch file when
    /// the replicates are not kept.
    Context replicates_context;
    RunInfo info;
    std::size_t regions = 0;
    std::size_t programmes = 0;
    bool created = false;
    bool scratch_created = false;
    OutputSink* sink = nullptr;
    bool discard = false;
    std::optional<OutputSink::Temporary> temporary_mark, scratch_mark;
    bool committed = false;
    std::vector<bool> written;
    // Declared before the datasets so that they are closed after them.
    File file;
    File scratch_file;
    std::array<Dataset, series_metric_count> series;
    std::array<Dataset, programme_metric_count> programme_series;
    /// /checkpoint, created by the first write_checkpoint: its per-replicate datasets by
    /// path, what every replicate's state must share with the first, and which were written.
    std::vector<std::pair<std::string, Dataset>> checkpoint;
    std::optional<ReplicateState> checkpoint_shape; ///< the first state, without its agents
    std::vector<bool> checkpoint_written;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    // Here rather than in ~RunFileWriter so that a constructor that throws half way also
    // removes its files. Swallows everything: it runs while exceptions unwind.
    ~Impl() {
        for (Dataset& d : series)
            d.reset();
        for (Dataset& d : programme_series)
            d.reset();
        for (auto& [path, d] : checkpoint)
            d.reset();
        scratch_file.reset();
        file.reset();
        std::error_code ec;
        // The scratch file goes in every case: after a commit too, should commit() have failed
        // to remove it.
        if (scratch_created) std::filesystem::remove(replicates_context.file, ec);
        if (created && !committed) std::filesystem::remove(temporary, ec);
    }

    void close_all() {
        for (Dataset& d : series)
            check(d.close(), replicates_context.file, "close dataset", "/series");
        for (Dataset& d : programme_series)
            check(d.close(), replicates_context.file, "close dataset", "/programs");
        for (auto& [path, d] : checkpoint)
            check(d.close(), context.file, "close dataset", path);
        check(scratch_file.close(), replicates_context.file, "close file", "/");
        check(file.close(), context.file, "close file", "/");
    }

    hid_t replicates_file() const { return info.keep_replicates ? file.get() : scratch_file.get(); }

    void require_open(std::string_view operation) const {
        if (committed)
            throw std::logic_error("run file " + output.string() + ": " + std::string(operation) +
                                   " after commit");
    }

    // A replicate never written would read back as zeros, indistinguishable from a run in
    // which nothing happened.
    void require_all_written(std::string_view operation) const {
        const auto missing = std::find(written.begin(), written.end(), false);
        if (missing != written.end())
            throw std::logic_error(
                "run file " + output.string() + ": replicate " +
                std::to_string(missing - written.begin()) + " was never written" +
                (operation == "commit" ? "" : " (" + std::string(operation) + ")"));
    }
};

RunFileWriter::RunFileWriter(const std::filesystem::path& output, const Scenario& scenario,
                             const RunInfo& info, OutputSink* sink)
    : impl_(std::make_unique<Impl>()) {
    silence_hdf5();
    if (info.months < 0) throw std::invalid_argument("run file: negative month count");
    Impl& s = *impl_;
    s.sink = sink;
    s.discard = sink && sink->discards();
    s.output = output;
    s.temporary = temporary_path_for(output);
    s.context.file = s.temporary;
    s.replicates_context.file = info.keep_replicates ? s.temporary : scratch_path_for(output);
    s.info = info;
    s.regions = scenario.regions.size();
    s.programmes = scenario.programmes.size();
    s.written.assign(info.replicates, false);
    const Context& c = s.context;
    const Context& rc = s.replicates_context;

    require_directory_of(output, "run file", s.discard);
    s.file = create_file(c, s.discard);
    if (s.file.get() < 0)
        throw std::runtime_error("cannot create run file " + output.string() + " (as " +
                                 s.temporary.string() + "): " + hdf5_reason());
    s.created = true;
    s.temporary_mark.emplace(s.sink, s.temporary);
    write_into(s.file.get(), "run file " + output.string(), s.temporary);
    if (!info.keep_replicates) {
        s.scratch_file = create_file(rc, s.discard);
        if (s.scratch_file.get() < 0)
            throw std::runtime_error("cannot create the replicates' scratch file for run file " +
                                     output.string() + " (as " + rc.file.string() +
                                     "): " + hdf5_reason());
        s.scratch_created = true;
        s.scratch_mark.emplace(s.sink, rc.file);
    }
    const hid_t f = s.file.get();
    const hid_t rf = s.replicates_file();

    {
        Group meta = create_group(f, "/meta", c);
        const hid_t g = meta.get();
        write_string_attribute(g, "/meta", "scenario_toml", scenario.resolved_toml, c);
        write_string_attribute(g, "/meta", "scenario_name", scenario.run.name, c);
        write_scalar_attribute(g, "/meta", "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, info.seed, c);
        write_string_attribute(g, "/meta", "start_month", info.start.to_string(), c);
        write_scalar_attribute(g, "/meta", "months", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               std::int64_t{info.months}, c);
        write_scalar_attribute(g, "/meta", "replicates", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               std::int64_t{info.replicates}, c);
        write_scalar_attribute(g, "/meta", "threads", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               std::int64_t{info.threads}, c);
        write_string_attribute(g, "/meta", "engine_version", std::string(engine_version()), c);
        write_scalar_attribute(g, "/meta", "scale_workers_per_agent", H5T_IEEE_F64LE,
                               H5T_NATIVE_DOUBLE, scenario.population.scale_workers_per_agent, c);
        write_scalar_attribute(g, "/meta", "replicates_kept", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               std::int64_t{info.keep_replicates ? 1 : 0}, c);
        check(meta.close(), c.file, "close group", "/meta");
    }

    std::vector<std::string> months;
    for (int i = 0; i < info.months; ++i)
        months.push_back((info.start + i).to_string());
    write_string_dataset(f, "/months", months, "month", "YYYY-MM", c);

    {
        Group group = create_group(f, "/regions", c);
        std::vector<std::string> codes, names, provinces;
        const auto table = scenario.region_table.regions();
        for (const std::size_t r : scenario.regions) {
            if (r >= table.size())
                throw std::invalid_argument("run file: scenario region index out of range");
            codes.push_back(table[r].code);
            names.push_back(table[r].name);
            provinces.push_back(table[r].province_code);
        }
        write_string_dataset(f, "/regions/code", codes, "region", "Kemendagri code", c);
        write_string_dataset(f, "/regions/name", names, "region", "text", c);
        write_string_dataset(f, "/regions/province", provinces, "region",
                             "Kemendagri province code", c);
        check(group.close(), c.file, "close group", "/regions");
    }

    const hsize_t replicates = info.replicates;
    const auto months_count = static_cast<hsize_t>(info.months);
    {
        Group group = create_group(rf, "/series", rc);
        write_strings_attribute(group.get(), "/series", "segments",
                                {segment_names.begin(), segment_names.end()}, rc);
        const std::array<hsize_t, 4> dims{replicates, months_count, s.regions, segment_count};
        for (std::size_t m = 0; m < series_metric_count; ++m) {
            const std::string path = join("/series", series_metric_names[m]);
            s.series[m] =
                create_number_dataset(rf, path, dims, {"replicate", "month", "region", "segment"},
                                      units_of(series_metric_names[m]), rc);
        }
        check(group.close(), rc.file, "close group", "/series");
    }
    {
        Group group = create_group(f, "/programs", c);
        std::vector<std::string> names;
        for (const FundingProgramme& p : scenario.programmes)
            names.push_back(p.name);
        write_string_dataset(f, "/programs/names", names, "programme", "text", c);
        Group scratch_group;
        if (!info.keep_replicates) scratch_group = create_group(rf, "/programs", rc);
        const std::array<hsize_t, 3> dims{replicates, months_count, s.programmes};
        for (std::size_t m = 0; m < programme_metric_count; ++m) {
            const std::string path = join("/programs", programme_metric_names[m]);
            s.programme_series[m] =
                create_number_dataset(rf, path, dims, {"replicate", "month", "programme"},
                                      units_of(programme_metric_names[m]), rc);
        }
        check(scratch_group.close(), rc.file, "close group", "/programs");
        check(group.close(), c.file, "close group", "/programs");
    }
}

RunFileWriter::~RunFileWriter() = default;

const std::filesystem::path& RunFileWriter::temporary_path() const {
    return impl_->temporary;
}

namespace {

/// The block of `dataset` (shape `dims`) from `start` along the first two axes, all of the
/// others: one replicate when writing, every replicate and some months when reading.
Dataspace select_block(hid_t dataset, std::span<const hsize_t> dims, std::array<hsize_t, 2> start,
                       std::array<hsize_t, 2> count, const std::string& path, const Context& c) {
    std::vector<hsize_t> offsets(dims.size(), 0);
    std::vector<hsize_t> counts(dims.begin(), dims.end());
    for (std::size_t i = 0; i < 2; ++i) {
        offsets[i] = start[i];
        counts[i] = count[i];
    }
    auto file_space = open<Dataspace>(H5Dget_space(dataset), c.file, "get dataspace of", path);
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, offsets.data(), nullptr,
                              counts.data(), nullptr),
          c.file, "select block of", path);
    return file_space;
}

std::size_t block_elements(std::span<const hsize_t> dims, std::array<hsize_t, 2> count) {
    hsize_t elements = count[0] * count[1];
    for (std::size_t i = 2; i < dims.size(); ++i)
        elements *= dims[i];
    return static_cast<std::size_t>(elements);
}

Dataspace block_memory_space(std::span<const hsize_t> dims, std::array<hsize_t, 2> count,
                             const std::string& path, const Context& c) {
    std::vector<hsize_t> counts(dims.begin(), dims.end());
    counts[0] = count[0];
    counts[1] = count[1];
    return open<Dataspace>(
        H5Screate_simple(static_cast<int>(counts.size()), counts.data(), nullptr), c.file,
        "create dataspace for", path);
}

void write_block(hid_t dataset, std::span<const hsize_t> dims, std::uint32_t replicate,
                 const double* values, const std::string& path, const Context& c) {
    const std::array<hsize_t, 2> start{replicate, 0};
    const std::array<hsize_t, 2> count{1, dims[1]};
    // No months, regions or programmes: nothing to select.
    if (block_elements(dims, count) == 0) return;
    const Dataspace file_space = select_block(dataset, dims, start, count, path, c);
    const Dataspace memory_space = block_memory_space(dims, count, path, c);
    check(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT,
                   values),
          c.file, "write replicate to", path);
}

std::vector<double> read_block(hid_t dataset, std::span<const hsize_t> dims,
                               std::size_t first_month, std::size_t months, const std::string& path,
                               const Context& c) {
    const std::array<hsize_t, 2> start{0, first_month};
    const std::array<hsize_t, 2> count{dims[0], months};
    std::vector<double> values(block_elements(dims, count));
    if (values.empty()) return values;
    const Dataspace file_space = select_block(dataset, dims, start, count, path, c);
    const Dataspace memory_space = block_memory_space(dims, count, path, c);
    check(H5Dread(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT,
                  values.data()),
          c.file, "read", path);
    return values;
}

} // namespace

void RunFileWriter::write_replicate(std::uint32_t replicate, const ReplicateSeries& series) {
    silence_hdf5();
    Impl& s = *impl_;
    s.require_open("write_replicate");
    if (replicate >= s.info.replicates)
        throw std::invalid_argument("run file " + s.output.string() + ": replicate " +
                                    std::to_string(replicate) + " out of range (replicates " +
                                    std::to_string(s.info.replicates) + ")");
    if (series.months != static_cast<std::size_t>(s.info.months) || series.regions != s.regions ||
        series.programmes != s.programmes ||
        series.series.size() != series_metric_count * series.series_block() ||
        series.programme_series.size() != programme_metric_count * series.programme_block())
        throw std::invalid_argument(
            "run file " + s.output.string() + ": replicate series is " +
            std::to_string(series.months) + " months x " + std::to_string(series.regions) +
            " regions x " + std::to_string(series.programmes) + " programmes, the file " +
            std::to_string(s.info.months) + " x " + std::to_string(s.regions) + " x " +
            std::to_string(s.programmes));

    const hsize_t months = series.months;
    const std::array<hsize_t, 4> series_dims{s.info.replicates, months, s.regions, segment_count};
    for (std::size_t m = 0; m < series_metric_count; ++m)
        write_block(s.series[m].get(), series_dims, replicate,
                    series.series.data() + m * series.series_block(),
                    join("/series", series_metric_names[m]), s.replicates_context);
    const std::array<hsize_t, 3> programme_dims{s.info.replicates, months, s.programmes};
    for (std::size_t m = 0; m < programme_metric_count; ++m)
        write_block(s.programme_series[m].get(), programme_dims, replicate,
                    series.programme_series.data() + m * series.programme_block(),
                    join("/programs", programme_metric_names[m]), s.replicates_context);
    s.written[replicate] = true;
}

std::vector<double> RunFileWriter::read_series(SeriesMetric metric, std::size_t first_month,
                                               std::size_t months) const {
    silence_hdf5();
    const Impl& s = *impl_;
    const auto m = static_cast<std::size_t>(metric);
    if (m >= series_metric_count)
        throw std::invalid_argument("run file " + s.output.string() + ": no series metric " +
                                    std::to_string(m));
    const auto total = static_cast<std::size_t>(s.info.months);
    if (first_month > total || months > total - first_month)
        throw std::invalid_argument("run file " + s.output.string() + ": months [" +
                                    std::to_string(first_month) + ", " +
                                    std::to_string(first_month) + " + " + std::to_string(months) +
                                    ") out of range (months " + std::to_string(total) + ")");
    s.require_open("read_series");
    s.require_all_written("read_series");
    const std::array<hsize_t, 4> dims{s.info.replicates, total, s.regions, segment_count};
    return read_block(s.series[m].get(), dims, first_month, months,
                      join("/series", series_metric_names[m]), s.replicates_context);
}

std::vector<double> RunFileWriter::read_programme_series(ProgrammeMetric metric) const {
    silence_hdf5();
    const Impl& s = *impl_;
    const auto m = static_cast<std::size_t>(metric);
    if (m >= programme_metric_count)
        throw std::invalid_argument("run file " + s.output.string() + ": no programme metric " +
                                    std::to_string(m));
    s.require_open("read_programme_series");
    s.require_all_written("read_programme_series");
    const auto total = static_cast<std::size_t>(s.info.months);
    const std::array<hsize_t, 3> dims{s.info.replicates, total, s.programmes};
    return read_block(s.programme_series[m].get(), dims, 0, total,
                      join("/programs", programme_metric_names[m]), s.replicates_context);
}

void RunFileWriter::commit() {
    silence_hdf5();
    Impl& s = *impl_;
    if (s.committed) throw std::logic_error("run file: commit called twice");
    s.require_all_written("commit");
    const auto no_checkpoint =
        std::find(s.checkpoint_written.begin(), s.checkpoint_written.end(), false);
    if (no_checkpoint != s.checkpoint_written.end())
        throw std::logic_error("run file " + s.output.string() + ": replicate " +
                               std::to_string(no_checkpoint - s.checkpoint_written.begin()) +
                               " has no checkpoint");
    check(H5Fflush(s.file.get(), H5F_SCOPE_LOCAL), s.context.file, "flush", "/");
    stop_writing();
    s.close_all();
    // The scratch file is not worth failing the run over: ~Impl tries again.
    if (s.scratch_created) {
        std::error_code ec;
        std::filesystem::remove(s.replicates_context.file, ec);
        if (!ec) s.scratch_created = false;
    }
    move_into_place(s.temporary, s.output, s.discard);
    s.committed = true;
}

// ---- checkpoints ----------------------------------------------------------------------------

namespace {

template <typename T>
struct Hdf5Type;
template <>
struct Hdf5Type<std::uint8_t> {
    static hid_t file() { return H5T_STD_U8LE; }
    static hid_t memory() { return H5T_NATIVE_UINT8; }
};
template <>
struct Hdf5Type<std::uint16_t> {
    static hid_t file() { return H5T_STD_U16LE; }
    static hid_t memory() { return H5T_NATIVE_UINT16; }
};
template <>
struct Hdf5Type<std::uint32_t> {
    static hid_t file() { return H5T_STD_U32LE; }
    static hid_t memory() { return H5T_NATIVE_UINT32; }
};
template <>
struct Hdf5Type<std::int64_t> {
    static hid_t file() { return H5T_STD_I64LE; }
    static hid_t memory() { return H5T_NATIVE_INT64; }
};
template <>
struct Hdf5Type<double> {
    static hid_t file() { return H5T_IEEE_F64LE; }
    static hid_t memory() { return H5T_NATIVE_DOUBLE; }
};

const std::string checkpoint_group = "/checkpoint";

/// A column of the agents: its name, units and where it is in a Population.
template <typename T>
struct AgentColumn {
    const char* name;
    const char* units;
    Column<T> Population::*column;
};

constexpr const char* month_units =
    "months from /checkpoint@origin_month + 64 (0: before the origin or never)";

const std::array<AgentColumn<std::uint16_t>, 4> agent_columns_16{{
    {"village", "desa/kelurahan of the region (desa first)", &Population::village},
    {"registration_region",
     "index into /checkpoint/region_code of the employer's registration (65535: outside)",
     &Population::registration_region},
    {"covered_since", month_units, &Population::covered_since},
    {"paid_until", "months from /checkpoint@origin_month + 64 (65535: while employed)",
     &Population::paid_until},
}};

const std::array<AgentColumn<std::uint8_t>, 5> agent_columns_8{{
    {"traits",
     "bits 0-1 segment (formal, informal, vulnerable; 3: no worker), 2-5 occupation, "
     "6 fears bansos, 7 ever covered",
     &Population::traits},
    {"age_years", "years", &Population::age_years},
    {"income_band", "bits 0-2 income band (0 lowest … 4), bit 7 former programme member",
     &Population::income_band},
    {"awareness", "0 … 255", &Population::awareness},
    {"payer",
     "0 none, 1 employer, 2 self, 3 self by auto-debit, 4 + j programme j of "
     "/checkpoint/programme_name",
     &Population::payer},
}};

std::string agents_path(const char* name) {
    return checkpoint_group + "/agents/" + name;
}

/// Writes replicate `replicate`'s row of a [replicate, …] dataset.
template <typename T>
void write_row(hid_t dataset, std::span<const hsize_t> dims, std::uint32_t replicate,
               const std::vector<T>& values, const std::string& path, const Context& c) {
    const std::array<hsize_t, 2> start{replicate, 0};
    const std::array<hsize_t, 2> count{1, dims[1]};
    if (values.size() != block_elements(dims, count))
        throw std::invalid_argument(c.file.string() + ": '" + path + "' needs " +
                                    std::to_string(block_elements(dims, count)) +
                                    " values per replicate, got " + std::to_string(values.size()));
    if (values.empty()) return;
    const Dataspace file_space = select_block(dataset, dims, start, count, path, c);
    const Dataspace memory_space = block_memory_space(dims, count, path, c);
    check(H5Dwrite(dataset, Hdf5Type<T>::memory(), memory_space.get(), file_space.get(),
                   H5P_DEFAULT, values.data()),
          c.file, "write checkpoint to", path);
}

/// One replicate's row of an agent column: the slots in use, region by region. The others
/// (reserved for entrants, uninitialised in memory) keep the dataset's fill value, 0.
template <typename T>
void write_agents_row(hid_t dataset, std::span<const hsize_t> dims, std::uint32_t replicate,
                      const Column<T>& values, const std::vector<RegionSlots>& regions,
                      const std::string& path, const Context& c) {
    if (values.size() != dims[1])
        throw std::invalid_argument(c.file.string() + ": '" + path + "' needs " +
                                    std::to_string(dims[1]) + " slots per replicate, got " +
                                    std::to_string(values.size()));
    for (const RegionSlots& r : regions) {
        if (r.used == 0) continue;
        const std::array<hsize_t, 2> start{replicate, r.first};
        const std::array<hsize_t, 2> count{1, r.used};
        const Dataspace file_space = select_block(dataset, dims, start, count, path, c);
        const Dataspace memory_space = block_memory_space(dims, count, path, c);
        check(H5Dwrite(dataset, Hdf5Type<T>::memory(), memory_space.get(), file_space.get(),
                       H5P_DEFAULT, values.data() + r.first),
              c.file, "write checkpoint to", path);
    }
}

template <typename T>
void write_whole(hid_t file, const std::string& path, const std::vector<T>& values,
                 const std::string& dimension, const std::string& units, const Context& c) {
    const std::array<hsize_t, 1> dims{values.size()};
    Dataset d = create_typed_dataset(file, path, dims, {dimension}, units, Hdf5Type<T>::file(), c);
    if (!values.empty())
        check(
            H5Dwrite(d.get(), Hdf5Type<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            c.file, "write dataset", path);
    check(d.close(), c.file, "close dataset", path);
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
    silence_hdf5();
    Impl& s = *impl_;
    s.require_open("write_checkpoint");
    const Context& c = s.context;
    const std::string where = "run file " + s.output.string() + ": checkpoint of replicate " +
                              std::to_string(state.replicate);
    if (state.replicate >= s.info.replicates)
        throw std::invalid_argument(where + " out of range (replicates " +
                                    std::to_string(s.info.replicates) + ")");
    const Population& pop = state.population;
    const hsize_t R = s.info.replicates;
    const hsize_t slots = pop.size();
    const hsize_t regions = state.region_codes.size();
    const hsize_t programmes = state.programme_names.size();
    std::size_t village_total = 0;
    for (const std::uint16_t v : state.villages)
        village_total += v;
    const hsize_t villages = village_total;
    const hsize_t years = state.committed_idr.empty() ? 0 : state.committed_idr.front().size();
    for (const auto& row : state.committed_idr)
        if (row.size() != years) throw std::invalid_argument(where + ": ragged commitments");

    if (!s.checkpoint_shape) {
        const hid_t f = s.file.get();
        Group group = create_group(f, checkpoint_group, c);
        const hid_t g = group.get();
        const std::string& name = checkpoint_group;
        write_scalar_attribute(g, name, "format_version", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               std::int64_t{checkpoint_format_version}, c);
        write_string_attribute(g, name, "month", state.month.to_string(), c);
        write_string_attribute(g, name, "origin_month", state.origin.to_string(), c);
        write_scalar_attribute(g, name, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, state.seed, c);
        write_scalar_attribute(g, name, "replicates", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               static_cast<std::int64_t>(R), c);
        write_scalar_attribute(g, name, "scale_workers_per_agent", H5T_IEEE_F64LE,
                               H5T_NATIVE_DOUBLE, state.scale_workers_per_agent, c);
        write_scalar_attribute(g, name, "slots", H5T_STD_I64LE, H5T_NATIVE_INT64,
                               static_cast<std::int64_t>(slots), c);
        write_string_attribute(g, name, "engine_version", std::string(engine_version()), c);

        write_string_dataset(f, name + "/region_code", state.region_codes, "region",
                             "Kemendagri code", c);
        write_whole(f, name + "/villages", state.villages, "region", "desa and kelurahan", c);
        write_whole(f, name + "/desa", state.desa, "region", "desa (villages [0, desa))", c);
        write_string_dataset(f, name + "/programme_name", state.programme_names, "programme",
                             "text", c);
        std::vector<std::int64_t> year_values;
        for (hsize_t y = 0; y < years; ++y)
            year_values.push_back(state.commitment_first_year + static_cast<std::int64_t>(y));
        write_whole(f, name + "/year", year_values, "year", "fiscal year", c);

        const auto add = [&](const std::string& path, std::vector<hsize_t> dims,
                             std::vector<std::string> names, const std::string& units, hid_t type) {
            dims.insert(dims.begin(), R);
            names.insert(names.begin(), "replicate");
            s.checkpoint.emplace_back(path,
                                      create_typed_dataset(f, path, dims, names, units, type, c));
        };
        Group agents = create_group(f, name + "/agents", c);
        for (const auto& column : agent_columns_16)
            add(agents_path(column.name), {slots}, {"slot"}, column.units, H5T_STD_U16LE);
        for (const auto& column : agent_columns_8)
            add(agents_path(column.name), {slots}, {"slot"}, column.units, H5T_STD_U8LE);
        check(agents.close(), c.file, "close group", name + "/agents");
        add(name + "/region_first", {regions}, {"region"}, "slot", H5T_STD_U32LE);
        add(name + "/region_capacity", {regions}, {"region"}, "slots", H5T_STD_U32LE);
        add(name + "/region_used", {regions}, {"region"}, "slots", H5T_STD_U32LE);
        add(name + "/labour_force", {regions}, {"region"}, "agents", H5T_STD_I64LE);
        add(name + "/village_workers", {villages}, {"village"}, "agents", H5T_STD_U32LE);
        add(name + "/village_covered", {villages}, {"village"}, "agents", H5T_STD_U32LE);
        add(name + "/programme_members", {programmes}, {"programme"}, "agents", H5T_STD_I64LE);
        add(name + "/committed_idr", {programmes, years}, {"programme", "year"}, "IDR",
            H5T_IEEE_F64LE);
        check(group.close(), c.file, "close group", name);

        ReplicateState shape = state;
        shape.population = Population{};
        shape.population.region_slots = pop.region_slots;
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
            s.checkpoint.size() == agent_columns_16.size() + agent_columns_8.size() + 8;
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
    const auto next = [&]() -> std::pair<std::string, Dataset>& { return s.checkpoint.at(d++); };
    const auto dims_of = [&](hid_t dataset, const std::string& path) {
        const auto space = open<Dataspace>(H5Dget_space(dataset), c.file, "get dataspace of", path);
        std::vector<hsize_t> dims(static_cast<std::size_t>(
            check(H5Sget_simple_extent_ndims(space.get()), c.file, "get rank of", path)));
        check(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), c.file, "get shape of",
              path);
        return dims;
    };
    const auto write = [&](const auto& values) {
        auto& [path, dataset] = next();
        const std::vector<hsize_t> dims = dims_of(dataset.get(), path);
        write_row(dataset.get(), dims, state.replicate, values, path, c);
    };
    const auto write_agents = [&](const auto& column) {
        auto& [path, dataset] = next();
        const std::vector<hsize_t> dims = dims_of(dataset.get(), path);
        write_agents_row(dataset.get(), dims, state.replicate, column, pop.region_slots, path, c);
    };
    for (const auto& column : agent_columns_16)
        write_agents(pop.*column.column);
    for (const auto& column : agent_columns_8)
        write_agents(pop.*column.column);
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

// ---- CheckpointReader -----------------------------------------------------------------------

struct CheckpointReader::Impl {
    std::filesystem::path path;
    std::unique_ptr<RunFileReader> run_file;
    File file;
    CheckpointInfo info;

    /// An unsigned 64-bit attribute (the seed may not fit RunFileReader's signed one).
    std::uint64_t unsigned_attribute(const std::string& object, const std::string& name) const {
        const std::string what = object + "@" + name;
        const auto o =
            open<Object>(H5Oopen(file.get(), object.c_str(), H5P_DEFAULT), path, "open", object);
        const auto a = open<Attribute>(H5Aopen(o.get(), name.c_str(), H5P_DEFAULT), path,
                                       "open attribute", what);
        std::uint64_t value = 0;
        check(H5Aread(a.get(), H5T_NATIVE_UINT64, &value), path, "read attribute", what);
        return value;
    }

    std::vector<hsize_t> dims(const std::string& dataset) const {
        const auto d = open<Dataset>(H5Dopen2(file.get(), dataset.c_str(), H5P_DEFAULT), path,
                                     "open dataset", dataset);
        const auto space =
            open<Dataspace>(H5Dget_space(d.get()), path, "get dataspace of", dataset);
        std::vector<hsize_t> out(static_cast<std::size_t>(
            check(H5Sget_simple_extent_ndims(space.get()), path, "get rank of", dataset)));
        check(H5Sget_simple_extent_dims(space.get(), out.data(), nullptr), path, "get shape of",
              dataset);
        return out;
    }

    /// Replicate `replicate`'s row of a [replicate, …] dataset, or the whole of any other
    /// (replicate < 0).
    template <typename T>
    std::vector<T> read(const std::string& dataset, std::int64_t replicate = -1) const {
        const auto d = open<Dataset>(H5Dopen2(file.get(), dataset.c_str(), H5P_DEFAULT), path,
                                     "open dataset", dataset);
        const std::vector<hsize_t> shape = dims(dataset);
        const Context c{path};
        if (replicate < 0) {
            std::size_t n = 1;
            for (const hsize_t k : shape)
                n *= k;
            std::vector<T> values(n);
            if (n > 0)
                check(H5Dread(d.get(), Hdf5Type<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                              values.data()),
                      path, "read dataset", dataset);
            return values;
        }
        if (shape.size() < 2 || static_cast<hsize_t>(replicate) >= shape[0])
            throw std::runtime_error(path.string() + ": '" + dataset + "' has no replicate " +
                                     std::to_string(replicate));
        const std::array<hsize_t, 2> start{static_cast<hsize_t>(replicate), 0};
        const std::array<hsize_t, 2> count{1, shape[1]};
        std::vector<T> values(block_elements(shape, count));
        if (values.empty()) return values;
        const Dataspace file_space = select_block(d.get(), shape, start, count, dataset, c);
        const Dataspace memory_space = block_memory_space(shape, count, dataset, c);
        check(H5Dread(d.get(), Hdf5Type<T>::memory(), memory_space.get(), file_space.get(),
                      H5P_DEFAULT, values.data()),
              path, "read", dataset);
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
    silence_hdf5();
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
    s.file = File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (s.file.get() < 0) refuse("cannot read the checkpoint: " + hdf5_reason());
    const htri_t has = H5Lexists(s.file.get(), "checkpoint", H5P_DEFAULT);
    if (has <= 0) {
        H5Eclear2(H5E_DEFAULT);
        refuse("the run file has no checkpoint (/checkpoint): write one with ulcsim run … "
               "--checkpoint-at YYYY-MM");
    }
    const RunFileReader& r = *s.run_file;
    const std::string& g = checkpoint_group;
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

ReplicateState CheckpointReader::state(std::uint32_t replicate) const {
    silence_hdf5();
    const Impl& s = *impl_;
    const CheckpointInfo& info = s.info;
    if (replicate >= info.replicates)
        throw std::invalid_argument(s.path.string() + ": no checkpoint of replicate " +
                                    std::to_string(replicate) + " (it holds " +
                                    std::to_string(info.replicates) + ")");
    const std::string& g = checkpoint_group;
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
    const auto slots = static_cast<std::size_t>(s.run_file->integer_attribute(g, "slots"));
    const auto read_agents = [&](auto& column, auto type, const char* name) {
        const auto values =
            s.require(s.read<decltype(type)>(agents_path(name), r), slots, agents_path(name));
        column.assign(values.begin(), values.end());
    };
    for (const auto& column : agent_columns_16)
        read_agents(pop.*column.column, std::uint16_t{}, column.name);
    for (const auto& column : agent_columns_8)
        read_agents(pop.*column.column, std::uint8_t{}, column.name);
    const auto first = s.require(s.read<std::uint32_t>(g + "/region_first", r), K, "region_first");
    for (std::size_t k = 0; k < K; ++k)
        pop.region_slots.push_back(
            {first[k], info.region_capacity[replicate][k], info.region_used[replicate][k]});
    std::size_t villages = 0;
    for (const std::uint16_t v : info.villages)
        villages += v;
    state.labour_force = s.require(s.read<std::int64_t>(g + "/labour_force", r), K, "labour_force");
    state.village_workers =
        s.require(s.read<std::uint32_t>(g + "/village_workers", r), villages, "village_workers");
    state.village_covered =
        s.require(s.read<std::uint32_t>(g + "/village_covered", r), villages, "village_covered");
    state.programme_members = info.programme_members[replicate];
    const auto years = s.read<std::int64_t>(g + "/year");
    state.commitment_first_year = years.empty() ? info.month.year() : static_cast<int>(years[0]);
    const auto committed =
        s.require(s.read<double>(g + "/committed_idr", r), J * years.size(), "committed_idr");
    for (std::size_t j = 0; j < J; ++j)
        state.committed_idr.emplace_back(
            committed.begin() + static_cast<std::ptrdiff_t>(j * years.size()),
            committed.begin() + static_cast<std::ptrdiff_t>((j + 1) * years.size()));
    return state;
}

// ---- ResultFileWriter -----------------------------------------------------------------------

struct ResultFileWriter::Impl {
    std::filesystem::path output;
    std::filesystem::path temporary;
    Context context;
    bool created = false;
    bool committed = false;
    File file;
    OutputSink* sink = nullptr;
    bool discard = false;
    std::optional<OutputSink::Temporary> temporary_mark;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    // As RunFileWriter::Impl: also runs when the constructor throws. Swallows everything.
    ~Impl() {
        if (committed || !created) return;
        file.reset();
        std::error_code ec;
        std::filesystem::remove(temporary, ec);
    }
};

ResultFileWriter::ResultFileWriter(const std::filesystem::path& output, OutputSink* sink)
    : impl_(std::make_unique<Impl>()) {
    silence_hdf5();
    Impl& s = *impl_;
    s.sink = sink;
    s.discard = sink && sink->discards();
    s.output = output;
    s.temporary = temporary_path_for(output);
    s.context.file = s.temporary;
    const Context& c = s.context;

    require_directory_of(output, "result file", s.discard);
    s.file = create_file(c, s.discard);
    if (s.file.get() < 0)
        throw std::runtime_error("cannot create result file " + output.string() + " (as " +
                                 s.temporary.string() + "): " + hdf5_reason());
    s.created = true;
    s.temporary_mark.emplace(s.sink, s.temporary);
    write_into(s.file.get(), "result file " + output.string(), s.temporary);

    Group meta = create_group(s.file.get(), "/meta", c);
    write_string_attribute(meta.get(), "/meta", "engine_version", std::string(engine_version()), c);
    check(meta.close(), c.file, "close group", "/meta");
}

ResultFileWriter::~ResultFileWriter() = default;

const std::filesystem::path& ResultFileWriter::temporary_path() const {
    return impl_->temporary;
}

void ResultFileWriter::commit() {
    silence_hdf5();
    Impl& s = *impl_;
    if (s.committed) throw std::logic_error("result file: commit called twice");
    check(H5Fflush(s.file.get(), H5F_SCOPE_LOCAL), s.context.file, "flush", "/");
    stop_writing();
    check(s.file.close(), s.context.file, "close file", "/");
    move_into_place(s.temporary, s.output, s.discard);
    s.committed = true;
}

// ---- RunFileReader --------------------------------------------------------------------------

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

RunInfo run_info_of(const Scenario& scenario, int threads, bool keep_replicates) {
    RunInfo info;
    info.seed = scenario.run.seed;
    info.start = scenario.run.start;
    info.months = scenario.run.months;
    info.replicates = static_cast<std::uint32_t>(scenario.run.replicates);
    info.threads = threads;
    info.keep_replicates = keep_replicates;
    return info;
}

RunFileReader::RunFileReader(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
    silence_hdf5();
    impl_->path = path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw std::runtime_error("cannot read run file " + path.string() + ": no such file");
    impl_->file = File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    if (impl_->file.get() < 0)
        throw std::runtime_error("cannot read run file " + path.string() + ": " + hdf5_reason());
    const htri_t has_meta = H5Lexists(impl_->file.get(), "meta", H5P_DEFAULT);
    if (has_meta <= 0) {
        H5Eclear2(H5E_DEFAULT);
        throw std::runtime_error("cannot read run file " + path.string() +
                                 ": not a ulcsim run file (no /meta)");
    }
}

RunFileReader::~RunFileReader() = default;

StoredArray RunFileReader::array(const std::string& dataset) const {
    silence_hdf5();
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
    silence_hdf5();
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
    silence_hdf5();
    std::vector<std::string> values = impl_->attribute_strings(object, name);
    if (values.size() != 1)
        throw std::runtime_error(impl_->path.string() + ": attribute '" + object + "@" + name +
                                 "' is not a single string");
    return std::move(values.front());
}

std::vector<std::string> RunFileReader::strings_attribute(const std::string& object,
                                                          const std::string& name) const {
    silence_hdf5();
    return impl_->attribute_strings(object, name);
}

std::int64_t RunFileReader::integer_attribute(const std::string& object,
                                              const std::string& name) const {
    silence_hdf5();
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
    silence_hdf5();
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
    silence_hdf5();
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
