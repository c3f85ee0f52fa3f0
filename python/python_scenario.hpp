#pragma once
// A validated scenario as Python holds it: shared and immutable, as run plans hold theirs.

#include "ulcsim/scenario.hpp"

#include <memory>

namespace ulcsim::python {

struct PyScenario {
    std::shared_ptr<const Scenario> scenario;
    const Scenario& operator*() const { return *scenario; }
    const Scenario* operator->() const { return scenario.get(); }
};

} // namespace ulcsim::python
