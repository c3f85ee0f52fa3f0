#pragma once
// Where the agents' columns go in /checkpoint/agents, shared by the checkpoint's writer and
// reader.

#include "dataset_names.hpp"
#include "ulcsim/agent_columns.hpp"

#include <string>
#include <string_view>

namespace ulcsim::store {

// The columns themselves are the agent layout's (ulcsim/agent_columns.hpp).
inline std::string agents_path(std::string_view name) {
    return dataset::in(dataset::checkpoint_agents, std::string(name));
}

} // namespace ulcsim::store
