// The report's figures (ulcsim/report.hpp) against what the typed readers return for the same
// run files, made here by small ensembles; and the files the report refuses.

#include "support/test_support.hpp"
#include "ulcsim/ensemble.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/report.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/run_plan.hpp"
#include "ulcsim/summary.hpp"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <memory>

namespace ulcsim {
namespace {

namespace fs = std::filesystem;
using test::ScratchDir;

constexpr std::size_t all = report_segment_count - 1;

/// Runs every replicate of `s` into `file` as `ulcsim run` does: the series (unless
/// `keep_replicates` is false) and the summaries.
fs::path run_into(const fs::path& file, const Scenario& s, bool keep_replicates = true) {
    RunFileWriter writer(file, s, run_info_of(s, 2, keep_replicates), nullptr);
    EnsembleOptions options;
    options.on_replicate = [&](std::size_t, std::uint32_t r, ReplicateSeries&& series) {
        writer.write_replicate(r, series);
    };
    ExecutionContext context;
    context.threads = 2;
    run_ensemble(RunPlan::replicates_of(s), context, options);
    write_summary(writer, s, static_cast<std::size_t>(s.run.replicates));
    writer.commit();
    return file;
}

/// Kota Magelang 2024 and 2025 for ten months (the 2024 programme starts in the seventh), on
/// the same seed and replicates so that the report pairs them; the 2025 run also kept as
/// summaries only.
struct Runs {
    ScratchDir dir;
    fs::path km2024, km2025, km2025_summaries;
};

const Runs& runs() {
    static const std::unique_ptr<Runs> r = [] {
        auto made = std::make_unique<Runs>();
        const std::vector<std::string> settings{"run.months=10", "run.replicates=4",
                                                "run.seed=20241"};
        const auto scenario = [&](const char* name) {
            return load_scenario(test::scenarios_dir() / name, settings);
        };
        made->km2024 =
            run_into(made->dir.path() / "km2024.h5", scenario("kota-magelang-2024.toml"));
        const Scenario km2025 = scenario("kota-magelang-2025.toml");
        made->km2025 = run_into(made->dir.path() / "km2025.h5", km2025);
        made->km2025_summaries = run_into(made->dir.path() / "km2025-summaries.h5", km2025, false);
        return made;
    }();
    return *r;
}

/// The mean over replicates of coverage (percent) at month `t`, all regions and segments,
/// straight from /series.
double mean_coverage_from_series(const RunFileReader& file, std::size_t t) {
    const StoredArray covered = read_series(file, SeriesMetric::covered);
    const StoredArray workers = read_series(file, SeriesMetric::labour_force);
    const std::size_t R = covered.dims[0], T = covered.dims[1], K = covered.dims[2],
                      S = covered.dims[3];
    double sum = 0;
    for (std::size_t r = 0; r < R; ++r) {
        double c = 0, w = 0;
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t s = 0; s < S; ++s) {
                c += covered.values[((r * T + t) * K + k) * S + s];
                w += workers.values[((r * T + t) * K + k) * S + s];
            }
        sum += 100 * c / w;
    }
    return sum / static_cast<double>(R);
}

/// Each replicate's coverage (percent) at the last month, all regions and segments.
std::vector<double> last_month_coverage(const RunFileReader& file) {
    const StoredArray covered = read_series(file, SeriesMetric::covered);
    const StoredArray workers = read_series(file, SeriesMetric::labour_force);
    const std::size_t R = covered.dims[0], T = covered.dims[1], K = covered.dims[2],
                      S = covered.dims[3];
    std::vector<double> out;
    for (std::size_t r = 0; r < R; ++r) {
        double c = 0, w = 0;
        for (std::size_t k = 0; k < K; ++k)
            for (std::size_t s = 0; s < S; ++s) {
                c += covered.values[((r * T + T - 1) * K + k) * S + s];
                w += workers.values[((r * T + T - 1) * K + k) * S + s];
            }
        out.push_back(100 * c / w);
    }
    return out;
}

/// Statistic `stat` of a summary at month t and trailing index `inner`.
double summary_at(const StoredArray& a, Statistic stat, std::size_t t, std::size_t inner) {
    std::size_t inner_size = 1;
    for (std::size_t d = 2; d < a.dims.size(); ++d)
        inner_size *= a.dims[d];
    return a.values[(static_cast<std::size_t>(stat) * a.dims[1] + t) * inner_size + inner];
}

/// The quantile at `level` by linear interpolation between order statistics (type 7).
double type7_quantile(std::vector<double> v, double level) {
    std::sort(v.begin(), v.end());
    const double position = level * static_cast<double>(v.size() - 1);
    const auto below = static_cast<std::size_t>(position);
    const std::size_t above = std::min(below + 1, v.size() - 1);
    return v[below] + (position - static_cast<double>(below)) * (v[above] - v[below]);
}

double mean_of(const std::vector<double>& v) {
    double sum = 0;
    for (const double x : v)
        sum += x;
    return sum / static_cast<double>(v.size());
}

TEST(ReportData, ARunsFiguresAreWhatTheTypedReadersReturn) {
    const fs::path file = runs().km2024;
    const ReportData data = read_report_data({file});
    ASSERT_EQ(data.runs.size(), 1u);
    EXPECT_TRUE(data.comparison.empty());
    const ReportRun& run = data.runs[0];
    const RunFileReader reader(file);
    const RunMeta meta = read_run_meta(reader);
    EXPECT_EQ(run.file, "km2024.h5");
    EXPECT_EQ(run.scenario, meta.scenario_name);
    EXPECT_EQ(run.seed, 20241u);
    EXPECT_EQ(run.replicates, 4);
    EXPECT_FALSE(run.description.empty());
    EXPECT_FALSE(run.sources.empty());
    const std::vector<std::string> months = read_months(reader);
    ASSERT_EQ(run.months, months);
    const std::size_t T = months.size();

    // One kabupaten/kota: the small multiples are by region, one of them, and the whole
    // area's mean coverage is that region's.
    const RunRegions regions = read_regions(reader);
    EXPECT_EQ(run.areas.level, "region");
    EXPECT_EQ(run.areas.total, 1u);
    EXPECT_EQ(run.areas.names, regions.name);
    const StoredArray region = read_summary(reader, SummaryLevel::region, "coverage_rate");
    const StoredArray nation = read_summary(reader, SummaryLevel::nation, "coverage_rate");
    ASSERT_EQ(run.nation[all].mean.size(), T);
    ASSERT_EQ(run.areas.p50.size(), 1u);
    for (std::size_t t = 0; t < T; ++t) {
        EXPECT_DOUBLE_EQ(run.nation[all].mean[t],
                         100 * summary_at(nation, Statistic::mean, t, all));
        EXPECT_DOUBLE_EQ(run.nation[all].mean[t],
                         100 * summary_at(region, Statistic::mean, t, all));
        EXPECT_DOUBLE_EQ(run.areas.p50[0][t], 100 * summary_at(region, Statistic::p50, t, all));
        // And independently of the summaries: the replicates' mean from their series.
        EXPECT_NEAR(run.nation[all].mean[t], mean_coverage_from_series(reader, t), 1e-9);
        EXPECT_LE(run.nation[all].p05[t], run.nation[all].p50[t]);
        EXPECT_LE(run.nation[all].p50[t], run.nation[all].p95[t]);
    }
    // Covered by who pays: employer, self and programme add up to all covered (means).
    const StoredArray covered = read_summary(reader, SummaryLevel::nation, "covered");
    for (std::size_t t = 0; t < T; ++t)
        EXPECT_NEAR(run.payers.employer[t] + run.payers.self[t] + run.payers.programme[t],
                    summary_at(covered, Statistic::mean, t, all),
                    1e-6 * summary_at(covered, Statistic::mean, t, all));

    // The programme, funded from the seventh month.
    const std::vector<std::string> programmes = read_programme_names(reader);
    ASSERT_FALSE(programmes.empty());
    EXPECT_EQ(run.programmes.names, programmes);
    const StoredArray members = read_summary(reader, SummaryLevel::programme, "members");
    ASSERT_EQ(run.programmes.members.size(), programmes.size());
    for (std::size_t t = 0; t < T; ++t)
        EXPECT_DOUBLE_EQ(run.programmes.members[0][t], summary_at(members, Statistic::mean, t, 0));
    EXPECT_GT(run.programmes.members[0][T - 1], 0);
    EXPECT_FALSE(run.forecast.has_value());
    ASSERT_TRUE(run.registration.has_value());
    EXPECT_DOUBLE_EQ(run.registration->coverage_rate[1], run.nation[all].mean[T - 1]);
    EXPECT_GE(run.registration->registered_rate[0], run.registration->coverage_rate[0]);
}

TEST(ReportData, TwoRunsOnTheSameDrawsArePairedReplicateByReplicate) {
    const ReportData data = read_report_data({runs().km2024, runs().km2025});
    ASSERT_EQ(data.comparison.size(), 2u);
    const ReportComparison& base = data.comparison[0];
    const ReportComparison& other = data.comparison[1];
    EXPECT_TRUE(base.kept_replicates);
    EXPECT_FALSE(base.paired);
    EXPECT_TRUE(other.paired);
    const std::vector<double> a = last_month_coverage(RunFileReader(runs().km2024));
    const std::vector<double> b = last_month_coverage(RunFileReader(runs().km2025));
    ASSERT_EQ(a.size(), 4u);
    EXPECT_NEAR(base.level[all].mean, mean_of(a), 1e-9);
    EXPECT_NEAR(other.level[all].mean, mean_of(b), 1e-9);
    // The mean of the paired differences is the difference of the means.
    EXPECT_NEAR(other.difference[all].mean, mean_of(b) - mean_of(a), 1e-9);
    std::vector<double> d;
    for (std::size_t r = 0; r < a.size(); ++r)
        d.push_back(b[r] - a[r]);
    EXPECT_NEAR(other.difference[all].p05, type7_quantile(d, 0.05), 1e-9);
    EXPECT_NEAR(other.difference[all].p95, type7_quantile(d, 0.95), 1e-9);
    EXPECT_NEAR(other.level[all].p95, type7_quantile(b, 0.95), 1e-9);
    EXPECT_LE(other.difference[all].p05, other.difference[all].mean);
    EXPECT_LE(other.difference[all].mean, other.difference[all].p95);
}

TEST(ReportData, ARunKeptAsSummariesIsShownByItsSummariesAndNotPaired) {
    const ReportData data = read_report_data({runs().km2025, runs().km2025_summaries});
    ASSERT_EQ(data.comparison.size(), 2u);
    const ReportComparison& summaries = data.comparison[1];
    EXPECT_FALSE(summaries.kept_replicates);
    EXPECT_FALSE(summaries.paired);
    const CoverageBands& bands = data.runs[1].nation[all];
    EXPECT_EQ(summaries.level[all].mean, bands.mean.back());
    EXPECT_EQ(summaries.level[all].p05, bands.p05.back());
    EXPECT_EQ(summaries.level[all].p95, bands.p95.back());
    // The same draws as the run that kept its replicates: the same mean at the last month.
    EXPECT_NEAR(summaries.level[all].mean, data.comparison[0].level[all].mean, 1e-9);
}

TEST(ReportData, SeveralProvincesAreShownByProvince) {
    const ScratchDir dir;
    // Kota Magelang (Jawa Tengah) and Kota Yogyakarta (DI Yogyakarta).
    const Scenario s = load_scenario(dir.write("two.toml", R"([run]
name = "two-provinces"
start = "2025-01"
months = 2
replicates = 2
[regions]
include = ["33.71", "34.71"]
)"));
    const fs::path file = run_into(dir.path() / "two.h5", s);
    const ReportData data = read_report_data({file});
    const RunFileReader reader(file);
    const SummaryProvinces provinces = read_summary_provinces(reader);
    ASSERT_EQ(provinces.name.size(), 2u);
    const ReportRun::Areas& areas = data.runs[0].areas;
    EXPECT_EQ(areas.level, "province");
    EXPECT_EQ(areas.total, 2u);
    EXPECT_EQ(areas.names, provinces.name);
    const StoredArray p95 = read_summary(reader, SummaryLevel::province, "coverage_rate");
    ASSERT_EQ(areas.p95.size(), 2u);
    for (std::size_t a = 0; a < 2; ++a)
        for (std::size_t t = 0; t < 2; ++t)
            EXPECT_DOUBLE_EQ(areas.p95[a][t], 100 * summary_at(p95, Statistic::p95, t,
                                                               a * summary_segment_count + all));
    EXPECT_TRUE(data.runs[0].programmes.names.empty());
    EXPECT_TRUE(data.runs[0].programmes.members.empty());
}

/// A province of `n` small kabupaten, 99.01 … 99.n, in region data of its own.
fs::path province_of(const ScratchDir& dir, int n) {
    dir.write("provinces.csv",
              "code,name,n_kabkota,n_desa,n_kelurahan,population,employed_workers,"
              "employed_method,formal_share,bpjstk_active_2023_12,bpjstk_nonactive_2023_12,"
              "coverage_share_2023_12\n"
              "99,Provinsi Uji," +
                  std::to_string(n) + "," + std::to_string(5 * n) + ",0," +
                  std::to_string(1000 * n) + "," + std::to_string(300 * n) + ",test,0.4,,,\n");
    std::string regions = "code,province_code,name,kind,n_kecamatan,n_desa,n_kelurahan,"
                          "population,area_km2,employed_workers,employed_method,formal_share,"
                          "km_to_office\n";
    for (int i = 1; i <= n; ++i) {
        const std::string two = (i < 10 ? "0" : "") + std::to_string(i);
        regions += "99." + two + ",99,Kabupaten Uji " + two + ",kabupaten,1,5,0,1000,10,300,test," +
                   "0.4,5\n";
    }
    dir.write("regions.csv", regions);
    return dir.write("province.toml", "[run]\nname = \"test-province\"\nstart = \"2025-01\"\n"
                                      "months = 2\nreplicates = 2\n[regions]\ninclude = "
                                      "[\"99\"]\ndata_dir = \".\"\n");
}

TEST(ReportData, SmallMultiplesStopAtTheCutOffAndSayHowManyThereAre) {
    const ScratchDir dir;
    const int n = static_cast<int>(report_max_small_multiples) + 5;
    const Scenario s = load_scenario(province_of(dir, n));
    ASSERT_EQ(s.regions.size(), static_cast<std::size_t>(n));
    const fs::path file = run_into(dir.path() / "many.h5", s);
    const ReportData data = read_report_data({file});
    const ReportRun::Areas& areas = data.runs[0].areas;
    EXPECT_EQ(areas.level, "region");
    EXPECT_EQ(areas.total, static_cast<std::size_t>(n));
    const std::vector<std::string> names = read_regions(RunFileReader(file)).name;
    ASSERT_EQ(areas.names.size(), report_max_small_multiples);
    EXPECT_EQ(areas.names,
              std::vector<std::string>(names.begin(), names.begin() + report_max_small_multiples));
    EXPECT_EQ(areas.names.back(), "Kabupaten Uji 40");
    EXPECT_EQ(areas.p05.size(), report_max_small_multiples);
    EXPECT_EQ(areas.p95.size(), report_max_small_multiples);
}

/// The message of the InputError `call` throws, or "no InputError".
template <typename Call>
std::string input_error_of(Call&& call) {
    try {
        call();
    } catch (const InputError& e) {
        return e.what();
    }
    return "no InputError";
}

TEST(ReportData, ACompareOrSweepFileIsRefusedWithItsMessage) {
    const ScratchDir dir;
    const fs::path file = dir.path() / "compare.h5";
    {
        ResultFileWriter w(file, nullptr);
        w.write_strings("/scenarios/name", {"base", "more"}, "scenario", "text");
        w.commit();
    }
    EXPECT_EQ(input_error_of([&] {
                  read_report_data({runs().km2024, file});
              }),
              file.string() + ": error: a compare result is reported alone (its first scenario "
                              "is the baseline of the others)");
    // Alone, one without its monthly series is incomplete.
    EXPECT_EQ(input_error_of([&] {
                  read_report_data({file});
              }).rfind(file.string() + ": error: not a complete compare result: ", 0),
              0u);
    const fs::path sweep = dir.path() / "sweep.h5";
    {
        ResultFileWriter w(sweep, nullptr);
        w.write_strings("/grid/keys", {"run.seed"}, "axis", "text");
        w.commit();
    }
    EXPECT_EQ(input_error_of([&] { read_report_data({sweep}); }),
              sweep.string() + ": error: not a complete sweep result: its grid, measures and "
                               "statistics do not agree");
    EXPECT_EQ(input_error_of([&] {
                  read_report_data({sweep, runs().km2024});
              }),
              sweep.string() + ": error: a sweep result is reported alone (its first point is "
                               "the baseline of the others)");
    const fs::path missing = dir.path() / "nowhere.h5";
    EXPECT_EQ(input_error_of([&] {
                  read_report_data({missing});
              }).rfind(missing.string() + ": error: ", 0),
              0u);
}

TEST(ReportData, ThePageCarriesTheFiguresAsJson) {
    const ReportData one = read_report_data({runs().km2024});
    const std::string json = report_json(one);
    EXPECT_EQ(json.rfind("{\"runs\":[{\"file\":\"km2024.h5\",", 0), 0u) << json.substr(0, 80);
    EXPECT_NE(json.find("\"areas\":{\"level\":\"region\",\"total\":1,"), std::string::npos);
    EXPECT_TRUE(json.ends_with("],\"compared\":null,\"swept\":null,\"comparison\":null}"))
        << json.substr(json.size() - 40);
    // One run without a baseline: its summary, and nothing against a first run.
    EXPECT_NE(json.find("\"summaries\":[{\"scenario\":\"kota-magelang-2024\","), std::string::npos);
    EXPECT_NE(json.find("\"against_first\":[],"), std::string::npos);
    const std::string two = report_json(read_report_data({runs().km2024, runs().km2025}));
    EXPECT_NE(two.find("\"comparison\":[{\"kept_replicates\":true,\"paired\":false,"),
              std::string::npos);
    const std::string page = report_html(one, ReportLanguage::indonesian);
    EXPECT_EQ(page.rfind("<!DOCTYPE html>\n<html lang=\"id\">", 0), 0u);
    EXPECT_NE(page.find(json), std::string::npos);
}

} // namespace
} // namespace ulcsim
