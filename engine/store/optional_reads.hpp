#pragma once
// What the typed readers may find missing: older files and other commands' files lack some
// attributes and groups, and their absence is information, not an error.

#include "ulcsim/store.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ulcsim::detail {

/// read(), or nothing when it throws std::runtime_error.
template <typename Read>
auto optional_of(Read read) -> std::optional<decltype(read())> {
    try {
        return read();
    } catch (const std::runtime_error&) {
        return std::nullopt;
    }
}

/// The members of `group`, none when it is absent.
inline std::vector<std::string> members_or_none(const RunFileReader& file,
                                                const std::string& group) {
    return optional_of([&] { return file.members(group); }).value_or(std::vector<std::string>{});
}

inline bool has_member(const RunFileReader& file, const std::string& group,
                       const std::string& name) {
    const std::vector<std::string> members = members_or_none(file, group);
    return std::find(members.begin(), members.end(), name) != members.end();
}

inline std::optional<std::string>
optional_attribute(const RunFileReader& file, const std::string& object, const std::string& name) {
    return optional_of([&] { return file.string_attribute(object, name); });
}

} // namespace ulcsim::detail
