// The typed readers of run files: what the writer put in comes back in the structs.

#include "support/test_support.hpp"
#include "ulcsim/run_file.hpp"
#include "ulcsim/summary.hpp"

#include <gtest/gtest.h>

namespace ulcsim {
namespace {

using test::ScratchDir;

const Scenario& magelang() {
    static const Scenario s = load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml");
    return s;
}

/// Kota Magelang 2024 run for the three months of write_run(), as its summaries need.
const Scenario& magelang_three_months() {
    static const Scenario s =
        load_scenario(test::scenarios_dir() / "kota-magelang-2024.toml", {"run.months=3"});
    return s;
}

/// A run file of two replicates of three months; cell values tell replicate and month apart.
/// With `summaries`, /summary is written too.
std::filesystem::path write_run(const ScratchDir& dir, bool keep_replicates = true,
                                bool summaries = false) {
    const Scenario& s = summaries ? magelang_three_months() : magelang();
    RunInfo info = run_info_of(s, 3, keep_replicates);
    info.seed = 987654321;
    info.months = 3;
    info.replicates = 2;
    const auto path = dir.path() / "run.h5";
    RunFileWriter writer(path, s, info, nullptr);
    for (std::uint32_t r = 0; r < info.replicates; ++r) {
        ReplicateSeries series(3, s.regions.size(), s.programmes.size());
        for (std::size_t t = 0; t < 3; ++t)
            series.at(SeriesMetric::covered, t, 0, Segment::formal) =
                100.0 * r + static_cast<double>(t);
        writer.write_replicate(r, series);
    }
    if (summaries) write_summary(writer, s, info.replicates);
    writer.commit();
    return path;
}

TEST(RunFileReaders, MetaComesBackAsWritten) {
    const ScratchDir dir;
    const RunMeta meta = read_run_meta(RunFileReader(write_run(dir)));
    EXPECT_EQ(meta.scenario_name, magelang().run.name);
    EXPECT_EQ(meta.scenario_toml, magelang().resolved_toml);
    EXPECT_EQ(meta.seed, 987654321);
    EXPECT_EQ(meta.replicates, 2);
    EXPECT_EQ(meta.threads, 3);
    EXPECT_EQ(meta.start_month, magelang().run.start.to_string());
    EXPECT_EQ(meta.scale_workers_per_agent, magelang().population.scale_workers_per_agent);
    EXPECT_TRUE(meta.replicates_kept);
    EXPECT_FALSE(meta.from_checkpoint.has_value());
}

TEST(RunFileReaders, SummariesOnlyIsNotKept) {
    const ScratchDir dir;
    EXPECT_FALSE(read_run_meta(RunFileReader(write_run(dir, false))).replicates_kept);
}

TEST(RunFileReaders, MonthsRegionsAndProgrammes) {
    const ScratchDir dir;
    const RunFileReader file(write_run(dir));
    const Scenario& s = magelang();
    const std::vector<std::string> months = read_months(file);
    ASSERT_EQ(months.size(), 3u);
    EXPECT_EQ(months[0], s.run.start.to_string());
    EXPECT_EQ(months[2], (s.run.start + 2).to_string());
    const RunRegions regions = read_regions(file);
    ASSERT_EQ(regions.code.size(), s.regions.size());
    EXPECT_EQ(regions.code[0], s.region_table.regions()[s.regions[0]].code);
    EXPECT_EQ(regions.name[0], s.region_table.regions()[s.regions[0]].name);
    EXPECT_EQ(regions.province[0], s.region_table.regions()[s.regions[0]].province_code);
    const std::vector<std::string> programmes = read_programme_names(file);
    ASSERT_EQ(programmes.size(), s.programmes.size());
    for (std::size_t j = 0; j < programmes.size(); ++j)
        EXPECT_EQ(programmes[j], s.programmes[j].name);
}

TEST(RunFileReaders, SeriesHaveTheirShapeAndValues) {
    const ScratchDir dir;
    const RunFileReader file(write_run(dir));
    const StoredArray covered = read_series(file, SeriesMetric::covered);
    const std::size_t K = magelang().regions.size();
    ASSERT_EQ(covered.dims, (std::vector<std::size_t>{2, 3, K, segment_count}));
    // [replicate 1][month 2][region 0][formal]
    EXPECT_EQ(covered.values[((1 * 3 + 2) * K + 0) * segment_count + 0], 102.0);
    EXPECT_EQ(covered.values[((0 * 3 + 1) * K + 0) * segment_count + 0], 1.0);
    const StoredArray members = read_programme_series(file, ProgrammeMetric::members);
    ASSERT_EQ(members.dims, (std::vector<std::size_t>{2, 3, magelang().programmes.size()}));
}

TEST(RunFileReaders, SummariesComeBackByLevelWithTheirStatistics) {
    const ScratchDir dir;
    const RunFileReader file(write_run(dir, true, true));
    const std::vector<std::string> statistics = read_summary_statistics(file);
    ASSERT_EQ(statistics.size(), summary_statistic_count);
    EXPECT_EQ(statistics[static_cast<std::size_t>(Statistic::mean)], "mean");
    const StoredArray nation = read_summary(file, SummaryLevel::nation, "covered");
    EXPECT_EQ(nation.dims,
              (std::vector<std::size_t>{summary_statistic_count, 3, summary_segment_count}));
    // Formal covered in region 0 is 100 r + t in replicate r: the mean of replicates 0 and 1
    // is 50 + t, and the other regions have none.
    for (std::size_t t = 0; t < 3; ++t)
        EXPECT_EQ(nation.values[summary_index(Statistic::mean, t, 0,
                                              static_cast<std::size_t>(Segment::formal), 3, 1)],
                  50.0 + static_cast<double>(t));
    const StoredArray regions = read_summary(file, SummaryLevel::region, "covered");
    EXPECT_EQ(regions.dims[2], magelang().regions.size());
    const std::vector<std::string> members = read_summary_members(file, SummaryLevel::nation);
    EXPECT_NE(std::find(members.begin(), members.end(), "coverage_rate"), members.end());
    EXPECT_THROW(read_summary(file, SummaryLevel::nation, "no_such_metric"), std::runtime_error);
}

TEST(RunFileReaders, WithoutSummariesThereAreNoMembers) {
    const ScratchDir dir;
    const RunFileReader file(write_run(dir));
    EXPECT_TRUE(read_summary_members(file, SummaryLevel::nation).empty());
    EXPECT_TRUE(read_summary_provinces(file).code.empty());
}

TEST(RunFileReaders, ANonRunFileIsAnErrorNamingIt) {
    const ScratchDir dir;
    const auto path = dir.path() / "result.h5";
    {
        ResultFileWriter writer(path, nullptr);
        writer.commit();
    }
    try {
        read_run_meta(RunFileReader(path));
        FAIL() << "read_run_meta accepted a result file";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("scenario_name"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace ulcsim
