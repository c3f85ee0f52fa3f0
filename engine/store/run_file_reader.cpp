// Typed readers of run files, over the generic RunFileReader.

#include "dataset_names.hpp"
#include "optional_reads.hpp"
#include "ulcsim/run_file.hpp"

#include <algorithm>
#include <stdexcept>

namespace ulcsim {

namespace {

using detail::has_member;
using detail::optional_of;

} // namespace

RunFileParts run_file_parts(const RunFileReader& file) {
    const std::vector<std::string> top = file.members("/");
    const auto holds = [&top](const std::string& path) {
        return std::find(top.begin(), top.end(), dataset::leaf(path)) != top.end();
    };
    RunFileParts parts;
    parts.months = holds(dataset::months);
    parts.summary = holds(dataset::summary);
    parts.series = holds(dataset::series);
    parts.forecast = holds(dataset::forecast);
    parts.backtest = holds(dataset::backtest);
    parts.checkpoint = holds(dataset::checkpoint);
    parts.series_members = detail::members_or_none(file, dataset::series);
    parts.programme_members = detail::members_or_none(file, dataset::programmes);
    return parts;
}

RunMeta read_run_meta(const RunFileReader& file) {
    const std::string& m = dataset::meta;
    const auto text = [&](const char* name) {
        return optional_of([&] { return file.string_attribute(m, name); });
    };
    RunMeta meta;
    meta.scenario_name = file.string_attribute(m, "scenario_name");
    meta.replicates = file.integer_attribute(m, "replicates");
    meta.seed = file.integer_attribute(m, "seed");
    meta.scenario_toml = text("scenario_toml").value_or("");
    meta.start_month = text("start_month");
    meta.threads = optional_of([&] { return file.integer_attribute(m, "threads"); });
    meta.engine_version = text("engine_version");
    meta.scale_workers_per_agent =
        optional_of([&] { return file.number_attribute(m, "scale_workers_per_agent"); });
    meta.key_table_version =
        optional_of([&] { return file.integer_attribute(m, "key_table_version"); });
    meta.replicates_kept =
        optional_of([&] { return file.integer_attribute(m, "replicates_kept"); }).value_or(1) != 0;
    meta.from_checkpoint = text("from_checkpoint");
    meta.checkpoint_month = text("checkpoint_month");
    meta.checkpoint_origin_month = text("checkpoint_origin_month");
    return meta;
}

std::vector<std::string> read_months(const RunFileReader& file) {
    return file.strings(dataset::months);
}

RunRegions read_regions(const RunFileReader& file) {
    RunRegions regions;
    regions.code = file.strings(dataset::region_code);
    regions.name = file.strings(dataset::region_name);
    regions.province = file.strings(dataset::region_province);
    return regions;
}

std::vector<std::string> read_programme_names(const RunFileReader& file) {
    if (!has_member(file, dataset::programmes, "names")) return {};
    return file.strings(dataset::programme_names);
}

StoredArray read_series(const RunFileReader& file, SeriesMetric metric) {
    return file.array(
        dataset::in(dataset::series, series_metric_names[static_cast<std::size_t>(metric)]));
}

StoredArray read_programme_series(const RunFileReader& file, ProgrammeMetric metric) {
    return file.array(
        dataset::in(dataset::programmes, programme_metric_names[static_cast<std::size_t>(metric)]));
}

namespace {

std::string summary_group(SummaryLevel level) {
    switch (level) {
    case SummaryLevel::province:
        return dataset::summary_province;
    case SummaryLevel::nation:
        return dataset::summary_nation;
    case SummaryLevel::programme:
        return dataset::summary_programmes;
    case SummaryLevel::region:
        break;
    }
    return dataset::summary;
}

} // namespace

StoredArray read_summary(const RunFileReader& file, SummaryLevel level, std::string_view metric) {
    return file.array(dataset::in(summary_group(level), metric));
}

std::vector<std::string> read_summary_members(const RunFileReader& file, SummaryLevel level) {
    return optional_of([&] { return file.members(summary_group(level)); })
        .value_or(std::vector<std::string>{});
}

std::vector<std::string> read_summary_statistics(const RunFileReader& file) {
    return file.strings(dataset::summary_statistic);
}

SummaryProvinces read_summary_provinces(const RunFileReader& file) {
    const std::string group = summary_group(SummaryLevel::province);
    if (!has_member(file, group, "code")) return {};
    return {file.strings(dataset::in(group, "code")), file.strings(dataset::in(group, "name"))};
}

} // namespace ulcsim
