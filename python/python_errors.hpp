#pragma once
// Failures the Python module reports as Python's own exceptions (module.cpp translates them).

#include <stdexcept>

namespace ulcsim::python {

/// The run would need more memory than the machine has: MemoryError.
struct NotEnoughMemory : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace ulcsim::python
