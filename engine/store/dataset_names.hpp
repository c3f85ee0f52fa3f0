#pragma once
// Where each dataset family lives in the output files: the one place that spells the paths,
// for every writer and reader (the layout is documented in ulcsim/store.hpp).

#include <string>
#include <string_view>

namespace ulcsim::dataset {

inline const std::string meta = "/meta";
inline const std::string months = "/months";
inline const std::string regions = "/regions";
inline const std::string region_code = "/regions/code";
inline const std::string region_name = "/regions/name";
inline const std::string region_province = "/regions/province";
inline const std::string series = "/series";
inline const std::string programmes = "/programs";
inline const std::string programme_names = "/programs/names";
inline const std::string summary = "/summary";
inline const std::string forecast = "/forecast";
inline const std::string backtest = "/backtest";
inline const std::string checkpoint = "/checkpoint";
inline const std::string checkpoint_agents = "/checkpoint/agents";

/// A member of a group: in("/series", "covered") is "/series/covered".
inline std::string in(const std::string& group, std::string_view name) {
    return group + "/" + std::string(name);
}

/// The last part of a path, as its group lists it: leaf("/summary/nation") is "nation".
inline std::string leaf(const std::string& path) {
    return path.substr(path.rfind('/') + 1);
}

} // namespace ulcsim::dataset
