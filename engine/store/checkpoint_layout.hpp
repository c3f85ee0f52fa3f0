#pragma once
// The agents' columns in /checkpoint/agents, shared by the checkpoint's writer and reader so
// that they cannot disagree on a name, a unit or a column.

#include "dataset_names.hpp"
#include "ulcsim/population.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace ulcsim::store {

/// A column of the agents: its name, units and where it is in a Population.
template <typename T>
struct AgentColumn {
    const char* name;
    const char* units;
    Column<T> Population::*column;
};

inline constexpr const char* month_units =
    "months from /checkpoint@origin_month + 64 (0: before the origin or never)";

inline const std::array<AgentColumn<std::uint16_t>, 4> agent_columns_16{{
    {"village", "desa/kelurahan of the region (desa first)", &Population::village},
    {"registration_region",
     "index into /checkpoint/region_code of the employer's registration (65535: outside)",
     &Population::registration_region},
    {"covered_since", month_units, &Population::covered_since},
    {"paid_until", "months from /checkpoint@origin_month + 64 (65535: while employed)",
     &Population::paid_until},
}};

inline const std::array<AgentColumn<std::uint8_t>, 5> agent_columns_8{{
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

inline std::string agents_path(const char* name) {
    return dataset::in(dataset::checkpoint_agents, name);
}

} // namespace ulcsim::store
