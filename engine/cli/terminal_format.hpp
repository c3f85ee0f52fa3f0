#pragma once
// Number formatting for terminal output a planner reads: thousands separators, rupiah.

#include <cstdint>
#include <string>

namespace ulcsim::cli {

/// 1234567 -> "1,234,567".
std::string with_thousands(std::int64_t value);
/// 206035200 -> "Rp206,035,200".
std::string rupiah(double amount);

} // namespace ulcsim::cli
