// Reading a damaged HDF5 file can crash HDF5 itself: a variable-length string whose global
// heap entry is longer than its descriptor says is copied past the end of its buffer (a
// segmentation fault, or memory quietly overwritten). No check of ours before the read can see
// that, so a file a user hands over is first read through, every object and every string, by
// a child process: if that child dies, the file is refused instead of this process dying.
// With the wrapper's files (hdf5_handles.hpp), the only file that includes HDF5's headers.

#include "dataset_names.hpp"
#include "hdf5_file.hpp"

#include <cerrno>
#include <hdf5.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace ulcsim::hdf5 {

namespace {

/// Reads every string of a variable-length string object through `read`.
template <typename Read>
void read_variable_strings(hid_t type, hid_t space, Read read) {
    if (type < 0 || space < 0 || H5Tis_variable_str(type) <= 0) return;
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    if (n <= 0 || n > (hssize_t{1} << 24)) return;
    std::vector<char*> strings(static_cast<std::size_t>(n), nullptr);
    // The stored character set, as the readers read it: HDF5 converts none to another.
    const hid_t memory = H5Tget_native_type(type, H5T_DIR_ASCEND);
    if (memory < 0) return;
    if (read(memory, strings.data()) >= 0)
        H5Dvlen_reclaim(memory, space, H5P_DEFAULT, strings.data());
    H5Tclose(memory);
}

void read_dataset_strings(hid_t dataset) {
    const hid_t type = H5Dget_type(dataset), space = H5Dget_space(dataset);
    read_variable_strings(type, space, [&](hid_t memory, char** buffer) {
        return H5Dread(dataset, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    });
    H5Sclose(space);
    H5Tclose(type);
}

herr_t visit_attribute(hid_t location, const char* name, const H5A_info_t*, void*) {
    const hid_t attribute = H5Aopen(location, name, H5P_DEFAULT);
    if (attribute < 0) return 0;
    const hid_t type = H5Aget_type(attribute), space = H5Aget_space(attribute);
    read_variable_strings(type, space, [&](hid_t memory, char** buffer) {
        return H5Aread(attribute, memory, buffer);
    });
    H5Sclose(space);
    H5Tclose(type);
    H5Aclose(attribute);
    return 0;
}

/// The objects the readers open by name: the child reads them even where a damaged group
/// stops the walk through the file, since the readers get to them by name anyway.
const std::string* const named_objects[] = {&dataset::meta,
                                            &dataset::months,
                                            &dataset::regions,
                                            &dataset::region_code,
                                            &dataset::region_name,
                                            &dataset::region_province,
                                            &dataset::series,
                                            &dataset::programmes,
                                            &dataset::programme_names,
                                            &dataset::checkpoint,
                                            &dataset::checkpoint_agents,
                                            &dataset::summary,
                                            &dataset::summary_statistic,
                                            &dataset::summary_province,
                                            &dataset::summary_nation,
                                            &dataset::summary_programmes,
                                            &dataset::forecast,
                                            &dataset::forecast_areas,
                                            &dataset::forecast_posterior,
                                            &dataset::backtest,
                                            &dataset::backtest_rolling,
                                            &dataset::fit_parameters,
                                            &dataset::fit_observations,
                                            &dataset::fit_optimiser,
                                            &dataset::fit_posterior,
                                            &dataset::fit_skill,
                                            &dataset::rolling_skill,
                                            &dataset::forecast_skill,
                                            &dataset::scenarios,
                                            &dataset::scenario_names,
                                            &dataset::scenario_tomls,
                                            &dataset::grid,
                                            &dataset::grid_keys,
                                            &dataset::measures,
                                            &dataset::measure_names,
                                            &dataset::measure_units,
                                            &dataset::statistic,
                                            &dataset::values,
                                            &dataset::statistics,
                                            &dataset::differences,
                                            &dataset::monthly};

herr_t visit_object(hid_t file, const char* name, const H5O_info_t* info, void*) {
    H5Aiterate_by_name(file, name, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit_attribute, nullptr,
                       H5P_DEFAULT);
    if (info->type != H5O_TYPE_DATASET) return 0;
    const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
    if (dataset < 0) return 0;
    read_dataset_strings(dataset);
    H5Dclose(dataset);
    return 0;
}

} // namespace

bool survives_reading(const std::filesystem::path& file) {
    const pid_t child = ::fork();
    if (child < 0) return true; // no probe: read as before
    if (child == 0) {
        // A file that makes HDF5 loop is as damaged as one that makes it crash.
        ::alarm(30);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
        const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
        // Errors are answers: the reader itself reports them.
        if (f >= 0) {
            for (const std::string* name : named_objects) {
                const hid_t object = H5Oopen(f, name->c_str(), H5P_DEFAULT);
                if (object < 0) continue;
                H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, visit_attribute, nullptr);
                if (H5Iget_type(object) == H5I_DATASET) read_dataset_strings(object);
                H5Oclose(object);
            }
            H5Ovisit2(f, H5_INDEX_NAME, H5_ITER_INC, visit_object, nullptr, H5O_INFO_BASIC);
        }
        ::_exit(0);
    }
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR) return true;
    // Under a sanitizer a child that finds memory damaged exits with a status of its own
    // rather than by a signal.
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace ulcsim::hdf5
