// Named arrays by path, shared by the run and result file writers.

#include "hdf5_file.hpp"
#include "ulcsim/store.hpp"

#include <stdexcept>
#include <type_traits>

namespace ulcsim {

static_assert(std::is_same_v<hdf5::Id, std::int64_t>, "ArrayWriter keeps the file as an int64");

void ArrayWriter::write_into(std::int64_t file, std::string what, std::filesystem::path file_name,
                             std::filesystem::path output) {
    file_ = file;
    what_ = std::move(what);
    file_name_ = std::move(file_name);
    output_ = std::move(output);
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
    hdf5::silence();
    require_writable("write_array");
    hdf5::write_array(file_, path, dims, dimension_names, units, values,
                      hdf5::Context{file_name_, output_});
}

void ArrayWriter::write_strings(const std::string& path, const std::vector<std::string>& values,
                                const std::string& dimension, const std::string& units) {
    hdf5::silence();
    require_writable("write_strings");
    hdf5::write_strings(file_, path, values, dimension, units, hdf5::Context{file_name_, output_});
}

void ArrayWriter::write_attribute(const std::string& object, const std::string& name,
                                  const std::string& value) {
    hdf5::silence();
    require_writable("write_attribute");
    hdf5::write_attribute(file_, object, name, value, hdf5::Context{file_name_, output_});
}

void ArrayWriter::write_attribute(const std::string& object, const std::string& name,
                                  const std::vector<std::string>& values) {
    hdf5::silence();
    require_writable("write_attribute");
    hdf5::write_attribute(file_, object, name, values, hdf5::Context{file_name_, output_});
}

} // namespace ulcsim
