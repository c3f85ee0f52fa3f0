// The planner's API as plain values: what each route answers, whatever carries it.

#include "json_writer.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/planner_server.hpp"
#include "ulcsim/planner_workbook.hpp"
#include "ulcsim/report.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>

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

ReportLanguage language_of(const PlannerFields& fields) {
    const auto it = fields.find("lang");
    if (it == fields.end() || it->second.empty() || it->second == "id")
        return ReportLanguage::indonesian;
    if (it->second == "en") return ReportLanguage::english;
    throw InputError(Diagnostic{SourceLocation{"request", 0, 0, false}, "lang",
                                "expected id or en, got '" + it->second + "'"});
}

// The name `ulcsim compare BASELINE SCENARIO` gives its result by default: what the workbook
// and the report page call the comparison.
std::string compare_file_name(const PlannerComparison& c) {
    return c.baseline.run.name + "-vs-" + c.policy.run.name + ".h5";
}

// The workbook writer writes a file: it goes to a folder of the server's own, readable only
// by it, that is removed with whatever is in it. Nothing of the request names it.
std::string workbook_bytes(const PlannerComparison& c) {
    std::string pattern = (std::filesystem::temp_directory_path() / "ulcsim-serve-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("cannot make a temporary folder for the workbook");
    const std::filesystem::path folder = pattern;
    struct Removed {
        std::filesystem::path folder;
        ~Removed() {
            std::error_code ec;
            std::filesystem::remove_all(folder, ec);
        }
    } removed{folder};
    const std::filesystem::path file = folder / "results.xlsx";
    write_comparison_workbook(file, {c.baseline, c.policy}, c.measures, c.measured, c.totals);
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw std::runtime_error("cannot read the workbook back");
    return bytes;
}

std::string report_page(const PlannerComparison& c, ReportLanguage language) {
    ComparedTotals totals = c.totals;
    totals.file = compare_file_name(c);
    for (RunTotals& t : totals.scenarios)
        t.file = totals.file;
    return report_html(compared_report_data(totals), language);
}

} // namespace

// The comparisons ran most recently, by the text of their scenario.
struct PlannerApi::Held {
    std::mutex mutex;
    std::deque<std::pair<std::string, std::shared_ptr<const PlannerComparison>>> comparisons;

    std::shared_ptr<const PlannerComparison> find(const std::string& toml) {
        const std::lock_guard lock(mutex);
        for (const auto& [text, comparison] : comparisons)
            if (text == toml) return comparison;
        return nullptr;
    }
    void keep(const std::string& toml, std::shared_ptr<const PlannerComparison> comparison) {
        const std::lock_guard lock(mutex);
        std::erase_if(comparisons, [&](const auto& held) { return held.first == toml; });
        comparisons.emplace_back(toml, std::move(comparison));
        while (comparisons.size() > held_comparisons)
            comparisons.pop_front();
    }
};

PlannerApi::PlannerApi(RegionTable regions, PlannerLimits limits)
    : regions_(std::move(regions)), limits_(limits), held_(std::make_shared<Held>()) {}

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
        c.toml = toml;
        c.target = target_of(fields);
        c.policy = load_scenario_text(toml, text_source);
        check_planner_limits(c.policy, limits_);
        // The planner's baseline of the same text, named as the page's baseline.toml names it:
        // what `ulcsim compare baseline.toml scenario.toml` compares.
        std::vector<std::string> overrides = planner_baseline_overrides(c.policy);
        overrides.emplace_back("run.name=\"baseline\"");
        c.baseline = load_scenario_text(toml, text_source, overrides);
        c.memory_bytes = planner_memory_bytes(c.policy, c.baseline, limits_.threads);
        return c;
    } catch (const InputError& e) {
        return input_error_response(e);
    }
}

std::shared_ptr<const PlannerComparison>
PlannerApi::run_comparison(const PreparedComparison& c, const std::atomic<bool>* stop,
                           const std::function<void(const EnsembleProgress&)>& on_progress) const {
    auto comparison = std::make_shared<const PlannerComparison>(
        compare_planner(c.policy, c.baseline, limits_.threads, stop, c.target, on_progress));
    held_->keep(c.toml, comparison);
    return comparison;
}

ApiResponse PlannerApi::run(const PreparedComparison& c, const std::atomic<bool>* stop,
                            const std::function<void(const EnsembleProgress&)>& on_progress) const {
    try {
        return {200, "application/json",
                planner_comparison_json(*run_comparison(c, stop, on_progress))};
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

namespace {

ApiResponse download_file(PlannerDownload what, const PlannerComparison& comparison,
                          ReportLanguage language) {
    if (what == PlannerDownload::workbook)
        return {200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                workbook_bytes(comparison)};
    return {200, "text/html; charset=utf-8", report_page(comparison, language)};
}

} // namespace

std::optional<ApiResponse> PlannerApi::download(PlannerDownload what,
                                                const PlannerFields& fields) const {
    try {
        const std::string toml =
            planner_scenario_toml(planner_request(fields), regions_, limits_, false);
        const ReportLanguage language = language_of(fields);
        const std::shared_ptr<const PlannerComparison> comparison = held_->find(toml);
        if (!comparison) return std::nullopt;
        return download_file(what, *comparison, language);
    } catch (const InputError& e) {
        return input_error_response(e);
    }
}

ApiResponse
PlannerApi::download(PlannerDownload what, const PlannerFields& fields, const PreparedComparison& c,
                     const std::atomic<bool>* stop,
                     const std::function<void(const EnsembleProgress&)>& on_progress) const {
    try {
        const ReportLanguage language = language_of(fields);
        return download_file(what, *run_comparison(c, stop, on_progress), language);
    } catch (const InputError& e) {
        return input_error_response(e);
    } catch (const Stopped&) {
        return errors_response(409, {"stopped before the comparison was done"});
    }
}

} // namespace ulcsim
