#include "report_data.hpp"

#include "ulcsim/forecast_file.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/stored_scenario.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

namespace ulcsim::cli {

namespace {

// The segment axis of every summary (formal, informal, vulnerable, all).
constexpr std::size_t segment_count = 4;
constexpr const char* segment_names[segment_count] = {"formal", "informal", "vulnerable", "all"};
constexpr std::size_t all_segments = 3;

// A minimal JSON writer: the report's data is numbers, strings and arrays of them.
class Json {
public:
    Json& raw(std::string_view text) {
        out_ += text;
        return *this;
    }
    Json& str(std::string_view text) {
        out_ += '"';
        for (const char c : text) {
            switch (c) {
            case '"':
                out_ += "\\\"";
                break;
            case '\\':
                out_ += "\\\\";
                break;
            case '\n':
                out_ += "\\n";
                break;
            case '\r':
                out_ += "\\r";
                break;
            case '\t':
                out_ += "\\t";
                break;
            // "</script>" inside the page's JSON would end the script element early.
            case '<':
                out_ += "\\u003c";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out_ += buffer;
                } else {
                    out_ += c;
                }
            }
        }
        out_ += '"';
        return *this;
    }
    // NaN (never reached, nobody working) becomes null, which JSON has and Chart.js skips.
    Json& num(double value) {
        if (!std::isfinite(value)) return raw("null");
        char buffer[32];
        const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
        out_.append(buffer, r.ptr);
        return *this;
    }
    Json& nums(const std::vector<double>& values) {
        out_ += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out_ += ',';
            num(values[i]);
        }
        out_ += ']';
        return *this;
    }
    Json& strs(const std::vector<std::string>& values) {
        out_ += '[';
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) out_ += ',';
            str(values[i]);
        }
        out_ += ']';
        return *this;
    }
    Json& key(std::string_view name) {
        if (!out_.empty() && out_.back() != '{' && out_.back() != '[') out_ += ',';
        str(name);
        out_ += ':';
        return *this;
    }
    Json& comma() {
        out_ += ',';
        return *this;
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

[[noreturn]] void not_a_report_input(const std::filesystem::path& file, const std::string& why) {
    throw InputError(Diagnostic{SourceLocation{file.string()}, "", why});
}

// Strips the reader's "cannot read run file PATH: " so the message reads "FILE: error: …".
std::string reason_of(const std::exception& e, const std::filesystem::path& file) {
    std::string what = e.what();
    const std::string prefix = "cannot read run file " + file.string() + ": ";
    if (what.rfind(prefix, 0) == 0) what.erase(0, prefix.size());
    return what;
}

class Summary {
public:
    Summary(const RunFileReader& reader, SummaryLevel level, const std::string& metric)
        : a_(read_summary(reader, level, metric)) {
        const std::vector<std::string> names = read_summary_statistics(reader);
        for (std::size_t i = 0; i < names.size(); ++i)
            index_[names[i]] = i;
    }
    std::size_t dim(std::size_t d) const { return a_.dims.at(d); }
    // The series of statistic `stat` over months at the given trailing indices.
    std::vector<double> over_months(const std::string& stat, std::size_t inner,
                                    double factor = 1) const {
        const std::size_t months = a_.dims.at(1);
        std::size_t inner_size = 1;
        for (std::size_t d = 2; d < a_.dims.size(); ++d)
            inner_size *= a_.dims[d];
        const std::size_t s = index_.at(stat);
        std::vector<double> out(months);
        for (std::size_t m = 0; m < months; ++m)
            out[m] = a_.values[(s * months + m) * inner_size + inner] * factor;
        return out;
    }

private:
    StoredArray a_;
    std::map<std::string, std::size_t> index_;
};

// Coverage rate at the last month of every replicate, nation-wide by segment, from /series;
// empty when the run kept only its summaries.
std::vector<std::array<double, segment_count>> last_month_rates(const RunFileReader& reader) {
    const std::vector<std::string> groups = reader.members("/");
    if (std::find(groups.begin(), groups.end(), "series") == groups.end()) return {};
    const std::vector<std::string> series = reader.members("/series");
    if (std::find(series.begin(), series.end(), "covered") == series.end()) return {};
    const StoredArray covered = read_series(reader, SeriesMetric::covered);
    const StoredArray workers = read_series(reader, SeriesMetric::labour_force);
    if (covered.dims.size() != 4 || covered.dims != workers.dims) return {};
    const std::size_t reps = covered.dims[0], months = covered.dims[1], regions = covered.dims[2],
                      segs = covered.dims[3];
    std::vector<std::array<double, segment_count>> out(reps);
    for (std::size_t r = 0; r < reps; ++r) {
        std::array<double, segment_count> c{}, w{};
        for (std::size_t g = 0; g < regions; ++g)
            for (std::size_t s = 0; s < segs && s < 3; ++s) {
                const std::size_t i = ((r * months + months - 1) * regions + g) * segs + s;
                c[s] += covered.values[i];
                w[s] += workers.values[i];
                c[all_segments] += covered.values[i];
                w[all_segments] += workers.values[i];
            }
        for (std::size_t s = 0; s < segment_count; ++s)
            out[r][s] = w[s] > 0 ? 100 * c[s] / w[s] : std::nan("");
    }
    return out;
}

// Linear interpolation between order statistics, as the run's summaries are computed.
double quantile(std::vector<double> values, double level) {
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = level * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, values.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return values[below] + fraction * (values[above] - values[below]);
}

double mean_of(const std::vector<double>& values) {
    double sum = 0;
    std::size_t n = 0;
    for (const double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++n;
        }
    return n ? sum / static_cast<double>(n) : std::nan("");
}

void interval(Json& j, const std::vector<double>& values) {
    j.raw("{").key("mean").num(mean_of(values)).key("p05").num(quantile(values, 0.05));
    j.key("p95").num(quantile(values, 0.95)).raw("}");
}

struct RunFigures {
    std::vector<std::array<double, segment_count>> last; // per replicate; empty: summaries only
    // The summaries' mean, p05 and p95 at the last month, for runs kept as summaries only.
    std::array<std::array<double, 3>, segment_count> last_summary{};
    std::uint64_t seed = 0;
};

void write_forecast(Json& j, const RunFileReader& reader) {
    const ForecastFile f = read_forecast(reader);
    j.raw("{");
    j.key("codes").strs(f.code);
    j.key("names").strs(f.name);
    j.key("levels").strs(f.level);
    j.key("measure").str(f.measure.value_or(""));
    j.key("threshold").nums({f.threshold});
    j.key("quantile_level").nums(f.quantile_level);
    const auto rows = [&j](const StoredArray& a) {
        const std::size_t n = a.dims.at(0), k = a.dims.size() > 1 ? a.dims[1] : 1;
        j.raw("[");
        for (std::size_t i = 0; i < n; ++i) {
            if (i) j.comma();
            j.nums(
                std::vector<double>(a.values.begin() + static_cast<std::ptrdiff_t>(i * k),
                                    a.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * k)));
        }
        j.raw("]");
    };
    j.key("quantile");
    rows(f.quantile);
    j.key("first_month");
    rows(f.first_month);
    j.key("by").strs(f.by);
    j.key("probability_by");
    rows(f.probability_by);
    j.key("never").nums(f.never);
    j.raw("}");
}

RunFigures write_run(Json& j, const std::filesystem::path& file) {
    std::unique_ptr<RunFileReader> reader_ptr;
    try {
        reader_ptr = std::make_unique<RunFileReader>(file);
    } catch (const std::exception& e) {
        not_a_report_input(file, reason_of(e, file));
    }
    const RunFileReader& reader = *reader_ptr;
    const std::vector<std::string> groups = reader.members("/");
    const auto has = [&groups](const char* g) {
        return std::find(groups.begin(), groups.end(), g) != groups.end();
    };
    if (!has("summary") || !has("months"))
        not_a_report_input(file, "not a run file with summaries (a compare or sweep result, or "
                                 "a fit file?); give the output of run or forecast");

    RunFigures figures;
    try {
        const RunMeta meta = read_run_meta(reader);
        const StoredScenarioText text = stored_scenario_text(meta.scenario_toml);
        j.raw("{");
        j.key("file").str(file.filename().string());
        j.key("scenario").str(meta.scenario_name);
        j.key("description").str(text.description);
        j.key("sources").raw("[");
        for (std::size_t i = 0; i < text.sources.size(); ++i) {
            if (i) j.comma();
            j.raw("{")
                .key("what")
                .str(text.sources[i].what)
                .key("source")
                .str(text.sources[i].source);
            j.raw("}");
        }
        j.raw("]");
        figures.seed = static_cast<std::uint64_t>(meta.seed);
        j.key("seed").num(static_cast<double>(figures.seed));
        j.key("replicates").num(static_cast<double>(meta.replicates));
        j.key("engine_version").str(meta.engine_version.value_or("unknown"));
        j.key("months").strs(read_months(reader));

        // Rates are stored as shares; the report shows percentages.
        const Summary nation(reader, SummaryLevel::nation, "coverage_rate");
        j.key("nation").raw("{");
        for (std::size_t s = 0; s < segment_count; ++s) {
            j.key(segment_names[s]).raw("{");
            for (const char* stat : {"mean", "p05", "p25", "p50", "p75", "p95"})
                j.key(stat).nums(nation.over_months(stat, s, 100));
            std::size_t k = 0;
            for (const char* stat : {"mean", "p05", "p95"})
                figures.last_summary[s][k++] = nation.over_months(stat, s, 100).back();
            j.raw("}");
        }
        j.raw("}");

        // Covered workers by who pays (means over replicates, whole area, all segments).
        j.key("payers").raw("{");
        for (const char* payer : {"employer", "self", "programme"}) {
            const Summary covered(reader, SummaryLevel::nation, std::string("covered_") + payer);
            j.key(payer).nums(covered.over_months("mean", all_segments));
        }
        j.raw("}");

        // Active, registered (active and non-active) and the coverage share, first and last
        // month (means, all workers); absent from files written before registration existed.
        const std::vector<std::string> nation_metrics =
            read_summary_members(reader, SummaryLevel::nation);
        if (std::find(nation_metrics.begin(), nation_metrics.end(), "registered_rate") !=
            nation_metrics.end()) {
            j.key("registration").raw("{");
            for (const char* metric : {"coverage_rate", "registered_rate", "coverage_share"}) {
                const std::vector<double> v = Summary(reader, SummaryLevel::nation, metric)
                                                  .over_months("mean", all_segments, 100);
                j.key(metric).nums({v.front(), v.back()});
            }
            j.raw("}");
        }

        // Small multiples by province when there are several, else by kabupaten/kota.
        const std::vector<std::string> provinces = read_summary_provinces(reader).name;
        const bool by_province = provinces.size() > 1;
        const std::vector<std::string> names = by_province ? provinces : read_regions(reader).name;
        const Summary areas(reader, by_province ? SummaryLevel::province : SummaryLevel::region,
                            "coverage_rate");
        const std::size_t shown = std::min(names.size(), report_max_small_multiples);
        j.key("areas").raw("{").key("level").str(by_province ? "province" : "region");
        j.key("total").num(static_cast<double>(names.size()));
        j.key("names").strs(std::vector<std::string>(
            names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown)));
        for (const char* stat : {"p05", "p50", "p95"}) {
            j.key(stat).raw("[");
            for (std::size_t a = 0; a < shown; ++a) {
                if (a) j.comma();
                j.nums(areas.over_months(stat, a * segment_count + all_segments, 100));
            }
            j.raw("]");
        }
        j.raw("}");

        const std::vector<std::string> programmes = read_programme_names(reader);
        j.key("programmes").raw("{").key("names").strs(programmes);
        if (!programmes.empty()) {
            const Summary members(reader, SummaryLevel::programme, "members");
            const Summary spent(reader, SummaryLevel::programme, "spent_idr");
            const Summary budget(reader, SummaryLevel::programme, "budget_idr");
            const auto per_programme = [&](const char* key, const Summary& s) {
                j.key(key).raw("[");
                for (std::size_t p = 0; p < programmes.size(); ++p) {
                    if (p) j.comma();
                    j.nums(s.over_months("mean", p));
                }
                j.raw("]");
            };
            per_programme("members", members);
            per_programme("spent_idr", spent);
            per_programme("budget_idr", budget);
        }
        j.raw("}");

        j.key("forecast");
        if (has("forecast"))
            write_forecast(j, reader);
        else
            j.raw("null");
        j.raw("}");
        figures.last = last_month_rates(reader);
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        not_a_report_input(file, "not a complete run file: " + reason_of(e, file));
    }
    return figures;
}

} // namespace

std::string report_json(const std::vector<std::filesystem::path>& run_files) {
    Json j;
    j.raw("{").key("runs").raw("[");
    std::vector<RunFigures> figures;
    for (std::size_t i = 0; i < run_files.size(); ++i) {
        if (i) j.comma();
        figures.push_back(write_run(j, run_files[i]));
    }
    j.raw("]").key("comparison");
    if (run_files.size() < 2) {
        j.raw("null}");
        return j.take();
    }
    // Paired differences need every replicate of both runs and the same draws (seed and
    // replicate count); otherwise only the intervals of each run are shown.
    j.raw("[");
    const RunFigures& base = figures.front();
    for (std::size_t i = 0; i < figures.size(); ++i) {
        const RunFigures& run = figures[i];
        if (i) j.comma();
        const bool paired = i > 0 && !run.last.empty() && run.last.size() == base.last.size() &&
                            run.seed == base.seed;
        j.raw("{").key("kept_replicates").raw(run.last.empty() ? "false" : "true");
        j.key("paired").raw(paired ? "true" : "false");
        for (std::size_t s = 0; s < segment_count; ++s) {
            std::vector<double> level, difference;
            for (std::size_t r = 0; r < run.last.size(); ++r) {
                level.push_back(run.last[r][s]);
                if (paired) difference.push_back(run.last[r][s] - base.last[r][s]);
            }
            j.key(segment_names[s]).raw("{").key("level");
            if (run.last.empty()) {
                const auto& l = run.last_summary[s];
                j.raw("{").key("mean").num(l[0]).key("p05").num(l[1]).key("p95").num(l[2]);
                j.raw("}");
            } else {
                interval(j, level);
            }
            if (paired) {
                j.key("difference");
                interval(j, difference);
            }
            j.raw("}");
        }
        j.raw("}");
    }
    j.raw("]}");
    return j.take();
}

} // namespace ulcsim::cli
