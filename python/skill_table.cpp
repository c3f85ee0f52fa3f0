#include "skill_table.hpp"

#include "numpy_arrays.hpp"

#include <pybind11/stl.h>
#include <string>
#include <vector>

namespace py = pybind11;

namespace ulcsim::python {

py::dict skill_table(const Skill& skill) {
    std::vector<SkillRow> rows = skill.by_horizon;
    rows.push_back(skill.overall);
    const std::size_t n = rows.size();
    const auto column = [&](auto value) {
        std::vector<double> values;
        for (const SkillRow& r : rows)
            values.push_back(static_cast<double>(value(r)));
        return numpy_array(std::move(values), {n});
    };
    py::dict table;
    table["horizon_from"] = column([](const SkillRow& r) { return r.horizon_from; });
    table["horizon_to"] = column([](const SkillRow& r) { return r.horizon_to; });
    table["points"] = column([](const SkillRow& r) { return r.points; });
    table["mean_absolute_error"] = column([](const SkillRow& r) { return r.mean_absolute_error; });
    table["root_mean_squared_error"] =
        column([](const SkillRow& r) { return r.root_mean_squared_error; });
    table["inside_80"] = column([](const SkillRow& r) { return r.inside_80; });
    table["inside_95"] = column([](const SkillRow& r) { return r.inside_95; });
    table["widened_inside_80"] = column([](const SkillRow& r) { return r.widened_inside_80; });
    table["widened_inside_95"] = column([](const SkillRow& r) { return r.widened_inside_95; });
    table["persistence_points"] =
        column([](const SkillRow& r) { return r.persistence.observations; });
    table["persistence_model_error"] =
        column([](const SkillRow& r) { return r.persistence.model_error; });
    table["persistence_error"] =
        column([](const SkillRow& r) { return r.persistence.reference_error; });
    table["linear_trend_points"] =
        column([](const SkillRow& r) { return r.linear_trend.observations; });
    table["linear_trend_model_error"] =
        column([](const SkillRow& r) { return r.linear_trend.model_error; });
    table["linear_trend_error"] =
        column([](const SkillRow& r) { return r.linear_trend.reference_error; });
    std::vector<std::string> cut_offs;
    for (const Month m : skill.cut_offs)
        cut_offs.push_back(m.to_string());
    py::dict result;
    result["table"] = table;
    result["cut_offs"] = cut_offs;
    result["discrepancy_sd_at_cut_off"] = skill.discrepancy.standard_deviation(0);
    result["discrepancy_sd_a_year_on"] = skill.discrepancy.standard_deviation(12);
    result["discrepancy_errors"] = skill.discrepancy.errors;
    return result;
}

} // namespace ulcsim::python
