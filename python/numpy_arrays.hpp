#pragma once
// Library results as NumPy arrays without copying them: the array's buffer is the vector's,
// which a capsule owns and frees when NumPy lets go of the array.

#include <cstddef>
#include <cstdint>
#include <pybind11/numpy.h>
#include <vector>

namespace ulcsim::python {

/// `values` (row-major, dims' product long) as an array of shape `dims`, taking the vector.
pybind11::array_t<double> numpy_array(std::vector<double>&& values,
                                      const std::vector<std::size_t>& dims);
/// The same for whole numbers.
pybind11::array_t<std::int64_t> numpy_array(std::vector<std::int64_t>&& values,
                                            const std::vector<std::size_t>& dims);

} // namespace ulcsim::python
