#include "numpy_arrays.hpp"

#include <stdexcept>
#include <utility>

namespace py = pybind11;

namespace ulcsim::python {

namespace {

template <class T>
py::array_t<T> owned_array(std::vector<T>&& values, const std::vector<std::size_t>& dims) {
    std::size_t size = 1;
    for (const std::size_t d : dims)
        size *= d;
    if (size != values.size())
        throw std::logic_error("numpy_array: the shape does not match the values");
    // The vector moves to the heap, where its buffer stays put for the array's lifetime.
    auto* owner = new std::vector<T>(std::move(values));
    py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    std::vector<py::ssize_t> shape(dims.begin(), dims.end());
    return py::array_t<T>(shape, owner->data(), free_when_done);
}

} // namespace

py::array_t<double> numpy_array(std::vector<double>&& values,
                                const std::vector<std::size_t>& dims) {
    return owned_array(std::move(values), dims);
}

py::array_t<std::int64_t> numpy_array(std::vector<std::int64_t>&& values,
                                      const std::vector<std::size_t>& dims) {
    return owned_array(std::move(values), dims);
}

} // namespace ulcsim::python
