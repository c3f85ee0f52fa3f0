#include "ulcsim/observation_columns.hpp"

#include "ulcsim/csv_format.hpp"

#include <stdexcept>

namespace ulcsim {

namespace {

std::string segment_name(const Observation& o) {
    return std::string(segment_group_names[static_cast<std::size_t>(o.segment)]);
}

std::string measure_name(const Observation& o) {
    return std::string(coverage_measure_names[static_cast<std::size_t>(o.measure)]);
}

} // namespace

void write_observation_columns(ArrayWriter& out, const std::string& group,
                               const std::vector<Observation>& observations,
                               ObservationDetail detail) {
    std::vector<std::string> region, segment, month, measure, source;
    std::vector<double> observed;
    for (const Observation& o : observations) {
        region.push_back(o.region_code);
        segment.push_back(segment_name(o));
        month.push_back(o.month.to_string());
        measure.push_back(measure_name(o));
        source.push_back(o.source);
        observed.push_back(o.value);
    }
    out.write_strings(group + "/region", region, "observation", "Kemendagri code");
    out.write_strings(group + "/segment", segment, "observation", "segment group");
    out.write_strings(group + "/month", month, "observation", "YYYY-MM");
    if (detail == ObservationDetail::with_measure_and_source) {
        out.write_strings(group + "/measure", measure, "observation", "coverage measure");
        out.write_strings(group + "/source", source, "observation", "text");
    }
    out.write_array(group + "/observed", {observations.size()}, {"observation"}, "share", observed);
}

ObservationColumns read_observation_columns(const RunFileReader& file, const std::string& group) {
    ObservationColumns c;
    c.region = file.strings(group + "/region");
    c.segment = file.strings(group + "/segment");
    c.month = file.strings(group + "/month");
    const std::vector<std::string> members = file.members(group);
    const auto has = [&](const char* name) {
        for (const std::string& m : members)
            if (m == name) return true;
        return false;
    };
    if (has("measure")) c.measure = file.strings(group + "/measure");
    if (has("source")) c.source = file.strings(group + "/source");
    c.observed = file.array(group + "/observed").values;
    const std::size_t n = c.region.size();
    if (c.segment.size() != n || c.month.size() != n || c.observed.size() != n ||
        (!c.measure.empty() && c.measure.size() != n) ||
        (!c.source.empty() && c.source.size() != n))
        throw std::runtime_error(group + ": the observation columns differ in length");
    return c;
}

std::string observation_csv_cells(const Observation& o) {
    return o.region_code + ',' + segment_name(o) + ',' + o.month.to_string() + ',' +
           measure_name(o) + ',' + csv_number(o.value);
}

std::string observation_label(const Observation& o) {
    return o.region_code + " " + segment_name(o) + " " + o.month.to_string();
}

} // namespace ulcsim
