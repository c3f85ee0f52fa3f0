// `ulcsim inspect RUN.h5`: what a run file holds, in the terminal, for people without a
// browser or h5py. Everything is read through RunFileReader (HDF5 stays in
// engine/store/hdf5_*.cpp), and the whole summary is composed before any of it is printed,
// so that a file that turns out to be unreadable halfway leaves nothing on stdout, only the
// one-line error.

#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "forecast_output.hpp"
#include "terminal_format.hpp"
#include "ulcsim/backtest_file.hpp"
#include "ulcsim/fit_file.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/observation_tracks_file.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/stored_scenario.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/tally.hpp"

#include <algorithm>
#include <array>
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::cli {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// Labels are padded to the width `ulcsim run` uses for its headline, so that the two read
// alike and the headline lines can be compared as they are.
constexpr std::size_t label_width = 13;
constexpr std::size_t text_width = 100;
constexpr std::size_t most_forecast_kabkota = 20;
constexpr std::size_t most_named_regions = 3;

[[noreturn]] void refuse(const fs::path& file, const std::string& message) {
    throw InputError(Diagnostic{{file.string(), 0, 0, false}, "", message});
}

std::string padded(std::string_view label) {
    std::string out = "  " + std::string(label);
    out.append(label_width > display_width(label) ? label_width - display_width(label) : 1, ' ');
    return out;
}

/// `text` after a label, wrapped at word boundaries under the label's column.
void print_wrapped(std::ostream& out, std::string_view label, const std::string& text) {
    const std::string indent(2 + label_width, ' ');
    std::istringstream words(text);
    std::string word, line;
    bool first = true;
    const auto flush = [&] {
        out << (first ? padded(label) : indent) << line << '\n';
        first = false;
        line.clear();
    };
    while (words >> word) {
        if (!line.empty() &&
            2 + label_width + display_width(line) + 1 + display_width(word) > text_width)
            flush();
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty() || first) flush();
}

void print_field(std::ostream& out, std::string_view label, const std::string& value) {
    out << padded(label) << value << '\n';
}

// An HDF5 file starts with this signature at byte 0, or at 512, 1024, 2048, … when it has a
// user block. Checking it tells "not HDF5 at all" from "HDF5, but damaged".
bool has_hdf5_signature(const fs::path& file, std::uintmax_t size) {
    static constexpr std::array<char, 8> signature{'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
    std::ifstream in(file, std::ios::binary);
    for (std::uintmax_t at = 0; at + signature.size() <= size; at = at == 0 ? 512 : 2 * at) {
        std::array<char, 8> bytes{};
        in.seekg(static_cast<std::streamoff>(at));
        if (!in.read(bytes.data(), bytes.size())) return false;
        if (bytes == signature) return true;
    }
    return false;
}

/// The store's messages start with "cannot read run file FILE: " or "FILE: "; the error
/// line names the file already.
std::string reason_without_file(std::string reason, const fs::path& file) {
    for (const std::string& prefix :
         {"cannot read run file " + file.string() + ": ", file.string() + ": "})
        if (reason.starts_with(prefix)) return reason.substr(prefix.size());
    return reason;
}

constexpr const char* what_inspect_reads =
    "ulcsim inspect reads the run files of ulcsim run and forecast";

std::unique_ptr<RunFileReader> open_run_file(const fs::path& file) {
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);
    if (!fs::exists(status)) refuse(file, "no such file");
    if (fs::is_directory(status))
        refuse(file, std::string("a directory, not a run file (") + what_inspect_reads + ")");
    if (!std::ifstream(file, std::ios::binary)) refuse(file, "cannot open it for reading");
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec || !has_hdf5_signature(file, size))
        refuse(file, std::string("not an HDF5 file (") + what_inspect_reads + ")");
    try {
        return std::make_unique<RunFileReader>(file);
    } catch (const std::runtime_error& e) {
        const std::string reason = reason_without_file(e.what(), file);
        if (reason.find("no /meta") != std::string::npos)
            refuse(file, std::string("an HDF5 file, but not one ulcsim wrote: it has no /meta (") +
                             what_inspect_reads + ")");
        refuse(file, "cannot read this HDF5 file: " + reason);
    }
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
    return with_thousands(n) + " " + std::string(n == 1 ? one : many);
}

std::string number_text(double value) {
    std::ostringstream out;
    out << std::setprecision(6) << value;
    return out.str();
}

/// What /summary/nation and /summary/programs say, read once.
struct Headline {
    std::size_t months = 0;
    std::size_t replicates = 0;
    StoredArray rate, share, labour_force;
    StoredArray registered_rate; ///< empty in files written before it existed
    std::vector<std::string> programme_names;
    StoredArray members, spent;
};

double at(const StoredArray& a, Statistic s, std::size_t month, std::size_t months) {
    return a.values.at(summary_index(s, month, 0, summary_segment_count - 1, months, 1));
}

std::string with_interval(const StoredArray& a, std::size_t month, std::size_t months,
                          const std::string& units) {
    return measure_with_interval(at(a, Statistic::mean, month, months),
                                 at(a, Statistic::p05, month, months),
                                 at(a, Statistic::p95, month, months), units, false);
}

void require_shape(const StoredArray& a, const std::vector<std::size_t>& dims,
                   const std::string& name) {
    if (a.dims != dims)
        throw std::runtime_error("'" + name + "' does not have the shape of the run's summary");
}

/// The headline of `ulcsim run`, from the file: the same lines, and the labour force.
void print_headline(const Headline& h, const std::vector<std::string>& month_names,
                    std::ostream& out) {
    const std::size_t T = h.months, last = T - 1, R = h.replicates;
    out << "Headline (all regions of the scenario, /summary/nation and /summary/programs):\n";
    out << padded("coverage") << with_interval(h.rate, 0, T, "share") << " of resident workers in "
        << month_names.front() << ", " << with_interval(h.rate, last, T, "share") << " in "
        << month_names.back() << '\n'
        << std::string(2 + label_width, ' ') << "(mean [90% interval] of " << R
        << (R == 1 ? " replicate" : " replicates") << ")\n";
    out << padded("share") << with_interval(h.share, 0, T, "share") << " → "
        << with_interval(h.share, last, T, "share")
        << "\n               (participants registered in the scenario's regions / resident "
           "workers)\n";
    if (!h.registered_rate.values.empty())
        out << padded("registered") << with_interval(h.registered_rate, 0, T, "share") << " → "
            << with_interval(h.registered_rate, last, T, "share")
            << "\n               (registered participants, active and non-active / resident "
               "workers)\n";
    out << padded("labour force") << with_interval(h.labour_force, 0, T, "workers") << " → "
        << with_interval(h.labour_force, last, T, "workers") << " workers\n";
    // Statistic 0, the mean, comes first: the same lines as `ulcsim run` prints.
    print_programme_headlines(h.programme_names, h.members.values.data(), h.spent.values.data(), T,
                              out);
}

/// A month `months` after the first of the run, or "> last" for NaN (not within the run).
std::string forecast_month(double months_after, const std::vector<std::string>& month_names) {
    if (std::isnan(months_after) || months_after < 0 ||
        months_after >= static_cast<double>(month_names.size()))
        return "> " + month_names.back();
    return month_names[static_cast<std::size_t>(months_after)];
}

std::string percent_whole(double share) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(0) << share * 100 << '%';
    return out.str();
}

void print_forecast_section(const RunFileReader& r, const std::vector<std::string>& month_names,
                            const std::vector<std::string>& region_provinces, std::ostream& out) {
    const ForecastFile f = read_forecast(r);
    const std::vector<std::string>& codes = f.code;
    const std::vector<std::string>& names = f.name;
    const std::vector<std::string>& levels = f.level;
    const std::size_t A = codes.size();
    const std::size_t R = f.first_month.dims[1];
    const std::string measure = f.measure.value_or("coverage");
    out << "Forecast (/forecast): first month with " << measure << " ≥ "
        << percent_text(f.threshold) << ", "
        << plural(static_cast<std::int64_t>(R), "replicate", "replicates") << ":\n";
    std::vector<std::vector<std::string>> table{
        {"area", "at start", "median", "80% interval", "never"}};
    const auto row = [&](std::size_t a) {
        const auto q = [&](std::size_t i) {
            return forecast_month(f.quantile.values[a * 5 + i], month_names);
        };
        const std::string interval = q(1) == q(3) ? q(1) : q(1) + " … " + q(3);
        const auto n = static_cast<std::int64_t>(f.never[a]);
        table.push_back(
            {names[a] + " (" + codes[a] + ")", measure_value(f.start_coverage[a], "share", false),
             q(2), interval,
             (R > 0 ? percent_whole(static_cast<double>(n) / static_cast<double>(R)) : "n/a") +
                 " (" + std::to_string(n) + "/" + std::to_string(R) + ")"});
    };
    // As `ulcsim forecast` prints it: all regions together, provinces, kabupaten/kota, and
    // the total only when it is not one of the others again.
    const std::size_t provinces =
        static_cast<std::size_t>(std::count(levels.begin(), levels.end(), std::string("province")));
    const std::set<std::string> distinct(region_provinces.begin(), region_provinces.end());
    const bool total_repeats =
        region_provinces.size() == 1 || (provinces == 1 && distinct.size() == 1);
    std::size_t kabkota = 0;
    for (const std::string_view level : {"scenario", "province", "kabkota"})
        for (std::size_t a = 0; a < A; ++a) {
            if (levels[a] != level) continue;
            if (level == "scenario" && total_repeats && A > 1) continue;
            if (level == "kabkota" && ++kabkota > most_forecast_kabkota) continue;
            row(a);
        }
    print_table(table, out);
    if (kabkota > most_forecast_kabkota)
        out << "  (" << kabkota - most_forecast_kabkota
            << " more kabupaten/kota in /forecast and the forecast CSV)\n";
    if (f.posterior) {
        std::string list;
        for (const std::string& p : f.posterior->parameter)
            list += (list.empty() ? "" : ", ") + p;
        out << "  Each replicate ran with a posterior draw of " << list << " (from "
            << f.posterior->source.value_or("a fit file") << ").\n";
    }
}

void print_backtest_section(const RunFileReader& r, std::ostream& out) {
    const BacktestFile b = read_backtest(r);
    const std::size_t N = b.error.size();
    double absolute = 0, in80 = 0, in95 = 0;
    for (std::size_t i = 0; i < N; ++i) {
        absolute += std::abs(b.error[i]);
        in80 += b.inside_80[i];
        in95 += b.inside_95[i];
    }
    out << "Backtest (/backtest): calibrated on the observations before "
        << b.cut_off.value_or("the cut-off") << ", "
        << plural(static_cast<std::int64_t>(N), "held-out observation", "held-out observations");
    if (N > 0)
        out << ": " << std::llround(in80) << " inside the 80% interval, " << std::llround(in95)
            << " inside the 95%, mean absolute error "
            << measure_value(absolute / static_cast<double>(N), "share", true).substr(1);
    out << '\n';
}

/// Bytes of /checkpoint's agent columns (Population's columns, as stored).
double print_checkpoint_section(const fs::path& file, const std::string& file_name,
                                std::ostream& out) {
    try {
        const CheckpointReader checkpoint(file);
        const CheckpointInfo& c = checkpoint.info();
        double agents = 0, slots = 0;
        for (const auto& used : c.region_used)
            for (const std::uint32_t n : used)
                agents += n;
        for (const auto& capacity : c.region_capacity)
            for (const std::uint32_t n : capacity)
                slots += n;
        const double R = c.replicates;
        out << "Checkpoint (/checkpoint): every replicate's state at the start of "
            << c.month.to_string() << '\n';
        print_field(out, "replicates",
                    with_thousands(c.replicates) + ", " +
                        with_thousands(std::llround(R > 0 ? agents / R : 0)) +
                        " agents each (mean), " +
                        with_thousands(std::llround(R > 0 ? slots / R : 0)) +
                        " slots with the room for entrants");
        print_field(out, "origin",
                    c.origin.to_string() +
                        " (the first month of the run that synthesised the agents)");
        print_field(out, "branch",
                    "ulcsim run SCENARIO --from-checkpoint " + file_name +
                        " --set run.start=" + c.month.to_string());
        return slots * static_cast<double>(Population::bytes_per_agent);
    } catch (const InputError& e) {
        out << "Checkpoint (/checkpoint): present, but a branch cannot start from it: "
            << (e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().message)
            << '\n';
        return 0;
    }
}

struct SizeRow {
    std::string label;
    std::string size;
    std::string what;
};

void print_sizes(const std::vector<SizeRow>& rows, std::ostream& out) {
    std::size_t label = 0, size = 0;
    for (const SizeRow& row : rows) {
        label = std::max(label, display_width(row.label));
        size = std::max(size, display_width(row.size));
    }
    for (const SizeRow& row : rows)
        out << "  " << row.label << std::string(label - display_width(row.label) + 2, ' ')
            << std::string(size - display_width(row.size), ' ') << row.size << "  " << row.what
            << '\n';
}

std::string datasets(std::size_t n) {
    return plural(static_cast<std::int64_t>(n), "dataset", "datasets");
}

void inspect_run_file(const RunFileReader& r, const fs::path& file, const RunFileParts& parts,
                      std::ostream& out) {
    const RunMeta meta = read_run_meta(r);
    const std::string& scenario_name = meta.scenario_name;
    const std::vector<std::string> month_names = read_months(r);
    const RunRegions run_regions = read_regions(r);
    const std::vector<std::string>& region_codes = run_regions.code;
    const std::vector<std::string>& region_names = run_regions.name;
    const std::vector<std::string>& region_provinces = run_regions.province;
    const std::vector<std::string> programme_names = read_programme_names(r);
    const std::size_t T = month_names.size(), K = region_codes.size(), J = programme_names.size();
    const std::int64_t replicates = meta.replicates;
    const bool forecast = parts.forecast, backtest = parts.backtest, checkpoint = parts.checkpoint;
    const bool kept = meta.replicates_kept && parts.series;
    const std::string& toml = meta.scenario_toml;

    std::string kind = forecast ? (backtest ? "a run file of `ulcsim forecast --backtest`"
                                            : "a run file of `ulcsim forecast`")
                                : "a run file of `ulcsim run`";
    if (checkpoint) kind += ", with a checkpoint";
    out << file.string() << ": " << kind << " (written by ulcsim "
        << meta.engine_version.value_or("of unknown version") << ")\n";

    print_field(out, "scenario", scenario_name);
    if (const std::string description = stored_scenario_text(toml).description;
        !description.empty())
        print_wrapped(out, "", description);
    print_field(out, "seed", std::to_string(meta.seed));
    const std::string start = meta.start_month.value_or("?");
    print_field(out, "months",
                T == 0
                    ? "none"
                    : std::to_string(T) + ": " + month_names.front() + " … " + month_names.back());
    print_field(out, "replicates",
                with_thousands(replicates) +
                    (kept ? ", every replicate's series kept (/series, /programs)"
                          : ", only their summaries kept (--keep summaries)"));
    if (const auto threads = meta.threads)
        print_field(out, "threads",
                    std::to_string(*threads) + " (the output is the same for any number)");
    if (const auto scale = meta.scale_workers_per_agent)
        print_field(out, "scale",
                    number_text(*scale) +
                        (*scale == 1 ? " worker per agent" : " workers per agent"));
    const std::set<std::string> provinces(region_provinces.begin(), region_provinces.end());
    std::string regions =
        plural(static_cast<std::int64_t>(K), "kabupaten/kota", "kabupaten/kota") + " in " +
        plural(static_cast<std::int64_t>(provinces.size()), "province", "provinces");
    if (K <= most_named_regions && region_names.size() == K) {
        regions += ":";
        for (std::size_t k = 0; k < K; ++k)
            regions += (k == 0 ? " " : ", ") + region_names[k] + " (" + region_codes[k] + ")";
    }
    print_field(out, "regions", regions);
    std::string programmes = std::to_string(J);
    for (std::size_t j = 0; j < J; ++j)
        programmes += (j == 0 ? ": " : ", ") + programme_names[j];
    print_wrapped(out, "programmes", J == 0 ? "none" : programmes);
    if (const auto observed = read_observation_tracks(r))
        print_wrapped(
            out, "observations",
            plural(static_cast<std::int64_t>(observed->point_track.size()), "dated observation",
                   "dated observations") +
                " of " +
                plural(static_cast<std::int64_t>(observed->tracks.size()), "measure", "measures") +
                ", each simulated every month (/observation_tracks; `ulcsim report` "
                "draws them)");
    if (const auto origin = meta.from_checkpoint)
        print_wrapped(out, "branch",
                      "continued from the checkpoint in " + *origin + " at " +
                          meta.checkpoint_month.value_or(start) + " (agents synthesised for " +
                          meta.checkpoint_origin_month.value_or("?") + ")");

    // Every dataset of the layout is contiguous and allocated in full, so its bytes follow
    // from its shape; what is left of the file is the scenario, names, attributes and HDF5's
    // own structure.
    const auto R = static_cast<double>(replicates);
    const auto count_of = [](const std::vector<std::string>& present, const auto& names) {
        std::size_t n = 0;
        for (const std::string_view name : names)
            n += contains(present, name) ? 1 : 0;
        return n;
    };
    const std::size_t series_count = count_of(parts.series_members, series_metric_names);
    const std::size_t programme_count = count_of(parts.programme_members, programme_metric_names);
    const double replicate_bytes = 8 * R * static_cast<double>(T) *
                                   (static_cast<double>(series_count * K * segment_count) +
                                    static_cast<double>(programme_count * J));
    std::vector<std::string> summary_names;
    for (std::size_t m = 0; m < summary_metric_count; ++m)
        summary_names.emplace_back(summary_metric_name(m));
    const std::vector<std::string> summary_group = read_summary_members(r, SummaryLevel::region);
    const std::vector<std::string> province_group = read_summary_members(r, SummaryLevel::province);
    const std::size_t P = read_summary_provinces(r).code.size();
    const std::size_t region_summaries = count_of(summary_group, summary_names),
                      province_summaries = count_of(province_group, summary_names),
                      nation_summaries =
                          count_of(read_summary_members(r, SummaryLevel::nation), summary_names),
                      programme_summaries = count_of(
                          read_summary_members(r, SummaryLevel::programme), programme_metric_names);
    const double per_month = 8.0 * summary_statistic_count * static_cast<double>(T);
    const double summary_bytes =
        per_month * (static_cast<double>(region_summaries * K * summary_segment_count) +
                     static_cast<double>(province_summaries * P * summary_segment_count) +
                     static_cast<double>(nation_summaries * summary_segment_count) +
                     static_cast<double>(programme_summaries * J));

    std::ostringstream sections;
    if (forecast) {
        sections << '\n';
        print_forecast_section(r, month_names, region_provinces, sections);
    }
    if (backtest) {
        sections << '\n';
        print_backtest_section(r, sections);
    }
    double checkpoint_bytes = 0;
    if (checkpoint) {
        sections << '\n';
        checkpoint_bytes = print_checkpoint_section(file, file.string(), sections);
    }

    std::error_code ec;
    const auto on_disk = static_cast<double>(fs::file_size(file, ec));
    out << "\nSize: " << byte_size(on_disk) << " on disk (" << with_thousands(std::llround(on_disk))
        << " bytes)\n";
    std::vector<SizeRow> sizes;
    sizes.push_back({"replicate series", kept ? byte_size(replicate_bytes) : "-",
                     kept ? "/series, /programs: " + datasets(series_count + programme_count) +
                                " [replicate, month, …]"
                          : "not kept (--keep summaries)"});
    sizes.push_back({"summaries", byte_size(summary_bytes),
                     "/summary: " +
                         datasets(region_summaries + province_summaries + nation_summaries +
                                  programme_summaries) +
                         " [statistic, month, …] over replicates"});
    if (checkpoint && checkpoint_bytes > 0)
        sizes.push_back({"checkpoint", byte_size(checkpoint_bytes),
                         "/checkpoint: the agents of every replicate"});
    const double rest =
        on_disk - replicate_bytes * (kept ? 1 : 0) - summary_bytes - checkpoint_bytes;
    if (rest > 0)
        sizes.push_back({"the rest", byte_size(rest),
                         std::string("scenario, names, attributes") +
                             (forecast ? ", /forecast" : "") + (backtest ? ", /backtest" : "") +
                             (checkpoint ? ", checkpoint state" : "") + ", HDF5 structure"});
    print_sizes(sizes, out);

    if (T > 0 && contains(read_summary_members(r, SummaryLevel::nation), "coverage_rate")) {
        Headline h;
        h.months = T;
        h.replicates = static_cast<std::size_t>(std::max<std::int64_t>(replicates, 0));
        h.rate = read_summary(r, SummaryLevel::nation, "coverage_rate");
        h.share = read_summary(r, SummaryLevel::nation, "coverage_share");
        h.labour_force = read_summary(r, SummaryLevel::nation, "labour_force");
        const std::vector<std::size_t> nation_shape{summary_statistic_count, T,
                                                    summary_segment_count};
        require_shape(h.rate, nation_shape, "/summary/nation/coverage_rate");
        require_shape(h.share, nation_shape, "/summary/nation/coverage_share");
        require_shape(h.labour_force, nation_shape, "/summary/nation/labour_force");
        if (contains(read_summary_members(r, SummaryLevel::nation), "registered_rate")) {
            h.registered_rate = read_summary(r, SummaryLevel::nation, "registered_rate");
            require_shape(h.registered_rate, nation_shape, "/summary/nation/registered_rate");
        }
        h.programme_names = programme_names;
        if (J > 0) {
            h.members = read_summary(r, SummaryLevel::programme, "members");
            h.spent = read_summary(r, SummaryLevel::programme, "spent_idr");
            const std::vector<std::size_t> programme_shape{summary_statistic_count, T, J};
            require_shape(h.members, programme_shape, "/summary/programs/members");
            require_shape(h.spent, programme_shape, "/summary/programs/spent_idr");
        }
        out << '\n';
        print_headline(h, month_names, out);
    } else {
        out << "\nNo /summary/nation: the run did not finish its summaries.\n";
    }
    out << sections.str();
}

/// The base's mean of every measure, each other scenario's, and their paired difference
/// against the base, as `ulcsim compare` printed them.
void print_comparison(const ComparisonFile& c, std::ostream& out) {
    const std::vector<std::string>& scenarios = c.scenarios;
    const std::vector<std::string>& measures = c.measures;
    const std::vector<std::string>& units = c.units;
    const StoredArray& levels = c.statistics;
    const StoredArray& differences = c.differences;
    const std::size_t S = scenarios.size(), M = measures.size(), N = summary_statistic_count;
    const auto at = [&](const StoredArray& a, std::size_t i, std::size_t m, Statistic s) {
        return a.values[(i * M + m) * N + static_cast<std::size_t>(s)];
    };
    out << "Means, and differences against " << (S > 0 ? scenarios[0] : "the base")
        << " [90% interval over paired replicates]:\n";
    std::vector<std::vector<std::string>> table{{"measure"}};
    for (const std::string& s : scenarios)
        table[0].push_back(s);
    for (std::size_t i = 1; i < S; ++i)
        table[0].push_back("difference " + scenarios[i]);
    for (std::size_t m = 0; m < M; ++m) {
        std::vector<std::string> row{measures[m]};
        for (std::size_t i = 0; i < S; ++i)
            row.push_back(measure_value(at(levels, i, m, Statistic::mean), units[m], false));
        for (std::size_t i = 1; i < S; ++i)
            row.push_back(measure_with_interval(
                at(differences, i, m, Statistic::mean), at(differences, i, m, Statistic::p05),
                at(differences, i, m, Statistic::p95), units[m], true));
        table.push_back(row);
    }
    print_table(table, out);
}

/// Files of compare, sweep and calibrate share /meta but hold other things: say what the
/// file is and what it holds, and where its figures are.
void print_replicates(std::optional<std::size_t> replicates, std::ostream& out) {
    if (replicates)
        print_field(out, "replicates", with_thousands(static_cast<std::int64_t>(*replicates)));
}

void inspect_comparison(const ComparisonFile& c, const fs::path& file, std::ostream& out) {
    out << file.string() << ": a comparison file of `ulcsim compare` (written by ulcsim "
        << c.engine_version.value_or("of unknown version") << "), not a run file\n";
    std::string list;
    for (const std::string& s : c.scenarios)
        list += (list.empty() ? "" : ", ") + s;
    print_wrapped(out, "scenarios", list + " (the first is the base)");
    if (!c.months.empty())
        print_field(out, "months",
                    std::to_string(c.months.size()) + ": " + c.months.front() + " … " +
                        c.months.back());
    print_replicates(c.replicates, out);
    if (c.method) print_wrapped(out, "method", *c.method);
    print_comparison(c, out);
    out << "The figures are in /statistics, /differences and "
        << fs::path(file).replace_extension(".csv").string() << ".\n";
}

void inspect_sweep(const SweepFile& s, const fs::path& file, std::ostream& out) {
    out << file.string() << ": a sweep file of `ulcsim sweep` (written by ulcsim "
        << s.engine_version.value_or("of unknown version") << "), not a run file\n";
    std::size_t points = 1;
    for (std::size_t a = 0; a < s.axes.size(); ++a) {
        points *= s.axes[a].values.size();
        std::string list;
        for (const std::string& v : s.axes[a].values)
            list += (list.empty() ? "" : ", ") + v;
        print_wrapped(out, a == 0 ? "grid" : "", s.axes[a].key + " = " + list);
    }
    print_field(out, "points", with_thousands(static_cast<std::int64_t>(points)));
    print_replicates(s.replicates, out);
    if (!s.measures.empty()) {
        std::string list;
        for (const std::string& m : s.measures)
            list += (list.empty() ? "" : ", ") + m;
        print_wrapped(out, "measures", list);
    }
    out << "The figures of every point are in /statistics, /differences and "
        << fs::path(file).replace_extension(".csv").string() << ".\n";
}

void inspect_fit(const FitFile& f, const fs::path& file, std::ostream& out) {
    out << file.string() << ": a fit file of `ulcsim calibrate` (written by ulcsim "
        << f.engine_version.value_or("of unknown version") << "), not a run file\n";
    if (f.scenario_file) print_field(out, "scenario", *f.scenario_file);
    if (f.calibrated_scenario) print_field(out, "calibrated", *f.calibrated_scenario);
    const FitFile::Parameters& p = f.parameters;
    for (std::size_t i = 0; i < p.key.size(); ++i)
        print_field(out, i == 0 ? "estimate" : "", p.key[i] + " = " + number_text(p.estimate[i]));
    if (f.posterior)
        print_field(
            out, "posterior",
            plural(static_cast<std::int64_t>(f.posterior->weights.size()), "draw", "draws") +
                " (forecast --posterior " + file.filename().string() +
                " carries them into a forecast)");
}

void inspect(const fs::path& file, std::ostream& out) {
    const std::unique_ptr<RunFileReader> reader = open_run_file(file);
    const RunFileReader& r = *reader;
    try {
        switch (output_kind(r)) {
        case OutputKind::run:
            inspect_run_file(r, file, run_file_parts(r), out);
            return;
        case OutputKind::comparison:
            inspect_comparison(read_comparison(r), file, out);
            return;
        case OutputKind::sweep:
            inspect_sweep(read_sweep(r), file, out);
            return;
        case OutputKind::fit:
            inspect_fit(read_fit(r), file, out);
            return;
        case OutputKind::unknown:
            break;
        }
    } catch (const std::runtime_error& e) {
        refuse(file, "damaged or incomplete: " + reason_without_file(e.what(), file));
    }
    refuse(file, std::string("an HDF5 file with /meta, but not a run file (no "
                             "/meta@scenario_name, /months or /regions; ") +
                     what_inspect_reads + ")");
}

/// The scenario a run file stores, as TOML text ending in a newline.
void print_scenario(const fs::path& file, std::ostream& out) {
    const std::unique_ptr<RunFileReader> reader = open_run_file(file);
    RunMeta meta;
    try {
        meta = read_run_meta(*reader);
    } catch (const std::runtime_error& e) {
        refuse(file, "not a run file: " + reason_without_file(e.what(), file));
    }
    if (meta.scenario_toml.empty()) refuse(file, "the run file holds no scenario");
    out << meta.scenario_toml;
    if (!meta.scenario_toml.ends_with('\n')) out << '\n';
}

} // namespace

int inspect_command(const std::vector<std::string>& args) {
    std::string file;
    bool scenario = false;
    po::options_description options(
        "Usage: ulcsim inspect RUN.h5\n\n"
        "Prints what a run file of `ulcsim run` or `ulcsim forecast` holds: the scenario, seed,\n"
        "months, replicates, regions and programmes; the sizes of its datasets; the headline\n"
        "figures of `ulcsim run` (coverage at the first and last month with its 90% interval,\n"
        "labour force, each programme's members and spending); and the forecast, backtest and\n"
        "checkpoint when the file has them. Files of compare, sweep and calibrate are named and\n"
        "outlined.\n"
        "With --scenario, prints instead the scenario the run was made with, as the TOML text it\n"
        "stores (every extends and --set resolved): `ulcsim run` takes it as it is.\n"
        "Exit status: 0 done, 2 not a readable run file or a bad command line.\n\nOptions");
    options.add_options()("help,h", "show this help")("scenario", po::bool_switch(&scenario),
                                                      "print the run's scenario as TOML");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty()) throw UsageError("inspect: no run file given (see ulcsim inspect --help)");
    std::ostringstream out;
    if (scenario)
        print_scenario(file, out);
    else
        inspect(file, out);
    std::cout << out.str();
    return 0;
}

} // namespace ulcsim::cli
