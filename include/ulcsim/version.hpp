#pragma once
/// \file
/// The engine's version, written into every output file.

#include <string_view>

namespace ulcsim {
std::string_view engine_version() noexcept;
} // namespace ulcsim
