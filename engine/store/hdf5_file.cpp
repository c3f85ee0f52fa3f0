// The HDF5 wrapper (hdf5_file.hpp): errors, handles, the shared helpers of hdf5_handles.hpp
// and files. Writing is in hdf5_writing.cpp, blocks of datasets in hdf5_blocks.cpp, reading
// and the generic reader of output files (RunFileReader) in hdf5_reading.cpp.

#include "hdf5_file.hpp"

#include "hdf5_handles.hpp"
#include "temporary_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/store.hpp"

#include <hdf5.h>
#include <new>
#include <string_view>
#include <type_traits>
#include <utility>

namespace ulcsim::hdf5 {

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
/// error message, which is what a user can act on: "No space left on device"). Throws
/// std::bad_alloc when HDF5 ran out of memory ("memory allocation failed for chunk"), so that
/// it ends as any other allocation that fails: the out-of-memory message, not an internal
/// error.
std::pair<std::string, bool> innermost_error() {
    struct Walk {
        std::string reason;
        bool out_of_memory = false;
    } walk;
    H5Ewalk2(
        H5E_DEFAULT, H5E_WALK_UPWARD,
        [](unsigned n, const H5E_error2_t* error, void* data) -> herr_t {
            auto& w = *static_cast<Walk*>(data);
            if (!error) return 0;
            if (n == 0 && error->desc) w.reason = error->desc;
            if (error->maj_num == H5E_RESOURCE &&
                (error->min_num == H5E_CANTALLOC || error->min_num == H5E_NOSPACE) && error->desc &&
                std::string_view(error->desc).find("memory") != std::string::npos)
                w.out_of_memory = true;
            return 0;
        },
        &walk);
    H5Eclear2(H5E_DEFAULT);
    if (walk.out_of_memory) throw std::bad_alloc();
    std::string& reason = walk.reason;
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

PropertyList untimed(hid_t property_class, const Context& c, std::string_view object) {
    auto list =
        open<PropertyList>(H5Pcreate(property_class), c, "create property list for", object);
    check(H5Pset_obj_track_times(list.get(), 0), c, "disable time tracking for", object);
    return list;
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

} // namespace ulcsim::hdf5
