// The planner's API as plain values: what each route answers, whatever carries it.

#include "json_writer.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/planner_server.hpp"

#include <charconv>
#include <cmath>
#include <exception>

namespace ulcsim {

namespace {

// The name a scenario from a request has in messages: what `ulcsim validate scenario.toml`
// says of the same text saved under the name the page downloads it as.
const std::string text_source = "scenario.toml";

ApiResponse errors_response(int status, const std::vector<std::string>& errors) {
    detail::JsonWriter j;
    j.raw("{").key("errors").strs(errors).raw("}");
    return {status, "application/json", j.take()};
}

ApiResponse input_error_response(const InputError& e) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : e.diagnostics())
        lines.push_back(d.format());
    return errors_response(400, lines);
}

std::optional<double> target_of(const PlannerFields& fields) {
    const auto it = fields.find("target");
    if (it == fields.end() || it->second.empty()) return std::nullopt;
    double value = 0;
    const std::string& text = it->second;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !(value > 0 && value <= 1))
        throw InputError(Diagnostic{SourceLocation{"request", 0, 0, false}, "target",
                                    "expected a coverage share in (0, 1], got '" + text + "'"});
    return value;
}

} // namespace

PlannerApi::PlannerApi(RegionTable regions, PlannerLimits limits)
    : regions_(std::move(regions)), limits_(limits) {}

ApiResponse PlannerApi::regions() const {
    return {200, "application/json", planner_regions_json(regions_)};
}

ApiResponse PlannerApi::scenario_toml(const PlannerFields& fields, bool baseline) const {
    try {
        return {200, "application/toml; charset=utf-8",
                planner_scenario_toml(planner_request(fields), regions_, limits_, baseline)};
    } catch (const InputError& e) {
        return input_error_response(e);
    }
}

std::variant<PreparedComparison, ApiResponse>
PlannerApi::prepare(const std::string& body, bool form, const PlannerFields& fields) const {
    if (body.size() > limits_.max_body_bytes)
        return errors_response(413,
                               {"request body of " + std::to_string(body.size()) +
                                " bytes; the limit is " + std::to_string(limits_.max_body_bytes)});
    try {
        const std::string toml =
            form ? planner_scenario_toml(planner_request(fields), regions_, limits_, false) : body;
        PreparedComparison c;
        c.target = target_of(fields);
        c.policy = load_scenario_text(toml, text_source);
        check_planner_limits(c.policy, limits_);
        // The baseline is the same text without programmes, regulations and outreach, as
        // `--set 'programme=[]' --set 'policy=[]'` gives: what the page downloads as
        // baseline.toml.
        c.baseline = load_scenario_text(toml, text_source, {"programme=[]", "policy=[]"});
        c.memory_bytes = planner_memory_bytes(c.policy, c.baseline, limits_.threads);
        return c;
    } catch (const InputError& e) {
        return input_error_response(e);
    }
}

ApiResponse PlannerApi::run(const PreparedComparison& c, const std::atomic<bool>* stop,
                            const std::function<void(const EnsembleProgress&)>& on_progress) const {
    try {
        return {200, "application/json",
                planner_comparison_json(compare_planner(c.policy, c.baseline, limits_.threads, stop,
                                                        c.target, on_progress))};
    } catch (const InputError& e) {
        return input_error_response(e);
    } catch (const Stopped&) {
        return errors_response(409, {"superseded by a newer request from the same page"});
    }
}

ApiResponse
PlannerApi::compare(const std::string& body, bool form, const PlannerFields& fields,
                    const std::atomic<bool>* stop,
                    const std::function<void(const EnsembleProgress&)>& on_progress) const {
    auto prepared = prepare(body, form, fields);
    if (auto* refused = std::get_if<ApiResponse>(&prepared)) return std::move(*refused);
    return run(std::get<PreparedComparison>(prepared), stop, on_progress);
}

} // namespace ulcsim
