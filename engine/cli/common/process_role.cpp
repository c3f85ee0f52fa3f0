#include "process_role.hpp"

namespace ulcsim::cli {

namespace {
ProcessRole role;
}

const ProcessRole& process_role() {
    return role;
}

void set_process_role(const ProcessRole& r) {
    role = r;
}

} // namespace ulcsim::cli
