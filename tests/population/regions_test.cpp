// The shipped region table against the published counts it must reproduce, and the loader's
// handling of broken data.

#include "support/test_support.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/regions.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <numeric>
#include <set>

using ulcsim::InputError;
using ulcsim::RegionKind;
using ulcsim::RegionTable;

namespace {

const RegionTable& shipped() {
    static const RegionTable table = RegionTable::load(ulcsim::test::scenarios_dir() / "data");
    return table;
}

std::int64_t count_lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    std::int64_t n = 0;
    while (std::getline(in, line))
        if (!line.empty() && line != "\r") ++n;
    return n;
}

} // namespace

TEST(RegionData, HasEveryProvinceAndKabupatenKota) {
    EXPECT_EQ(shipped().provinces().size(), 38u); // Kemendagri 2025
    EXPECT_EQ(shipped().regions().size(), 514u);
    const auto kota = std::count_if(shipped().regions().begin(), shipped().regions().end(),
                                    [](const auto& r) { return r.kind == RegionKind::kota; });
    EXPECT_EQ(kota, 98);
    EXPECT_EQ(shipped().regions().size() - static_cast<std::size_t>(kota), 416u);
}

TEST(RegionData, HasEveryDesaAndKelurahan) {
    std::int64_t desa = 0, kelurahan = 0, kecamatan = 0;
    for (const auto& r : shipped().regions()) {
        desa += r.desa;
        kelurahan += r.kelurahan;
        kecamatan += r.kecamatan;
    }
    EXPECT_EQ(desa + kelurahan, 83'762);
    EXPECT_EQ(desa, 75'266);
    EXPECT_EQ(kelurahan, 8'496);
    EXPECT_EQ(kecamatan, 7'285);
    // The village list the counts were derived from, copied with its sources.
    const auto villages = ulcsim::test::scenarios_dir() / "data" / "sources" /
                          "wilayah_desa_kelurahan_kemendagri_2025.csv";
    EXPECT_EQ(count_lines(villages) - 1, 83'762);
}

TEST(RegionData, NationalEmploymentMatchesBpsAugust2024) {
    std::int64_t employed = 0;
    for (const auto& r : shipped().regions())
        employed += r.employed_workers;
    // BPS Sakernas August 2024: 144.64 million employed (observations.csv, row
    // ID-2024-08-employed-all).
    EXPECT_NEAR(static_cast<double>(employed), 144.64e6, 0.02 * 144.64e6);
}

TEST(RegionData, ProvincesAreTheSumOfTheirKabupatenKota) {
    for (const auto& p : shipped().provinces()) {
        std::int64_t population = 0, employed = 0;
        int count = 0;
        for (std::size_t i : shipped().expand(p.code)) {
            population += shipped().regions()[i].population;
            employed += shipped().regions()[i].employed_workers;
            ++count;
        }
        EXPECT_EQ(count, p.kabkota) << p.name;
        EXPECT_EQ(population, p.population) << p.name;
        EXPECT_EQ(employed, p.employed_workers) << p.name;
    }
}

TEST(RegionData, KnownRegionsHaveTheirPublishedFigures) {
    const auto& t = shipped();
    const auto magelang = t.find_region("33.71");
    ASSERT_TRUE(magelang);
    EXPECT_EQ(t.regions()[*magelang].name, "Kota Magelang");
    EXPECT_EQ(t.regions()[*magelang].kelurahan, 17);
    EXPECT_EQ(t.regions()[*magelang].population, 128'709);
    const auto jateng = t.find_province("33");
    ASSERT_TRUE(jateng);
    EXPECT_EQ(t.provinces()[*jateng].employed_workers, 20'860'000); // BPS Aug 2024
    EXPECT_EQ(t.expand("33").size(), 35u);
    EXPECT_EQ(t.expand("34").size(), 5u);
    EXPECT_NEAR(t.provinces()[*jateng].formal_share, 0.4036, 1e-9);
    EXPECT_TRUE(t.expand("33.99").empty());
    EXPECT_TRUE(t.expand("99").empty());
}

TEST(RegionData, CodesAreUnique) {
    std::set<std::string> codes;
    for (const auto& r : shipped().regions())
        EXPECT_TRUE(codes.insert(r.code).second) << r.code;
}

TEST(RegionDataLoader, ReportsMissingFolder) {
    ulcsim::test::ScratchDir dir;
    try {
        RegionTable::load(dir.path() / "nowhere");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 1u);
        EXPECT_NE(e.diagnostics()[0].where.file.find("provinces.csv"), std::string::npos);
        EXPECT_NE(e.diagnostics()[0].message.find("cannot open"), std::string::npos);
    }
}

TEST(RegionDataLoader, ReportsEveryBadRowWithLineAndColumn) {
    ulcsim::test::ScratchDir dir;
    dir.write("provinces.csv",
              "code,name,n_kabkota,n_desa,n_kelurahan,population,employed_workers,"
              "employed_method,formal_share,bpjstk_active_2023_12,bpjstk_nonactive_2023_12,"
              "coverage_share_2023_12\n"
              "33,Jawa Tengah,1,10,0,1000,500,x,0.4,,,\n");
    dir.write("regions.csv",
              "code,province_code,name,kind,n_kecamatan,n_desa,n_kelurahan,population,area_km2,"
              "employed_workers,employed_method,formal_share,km_to_office\n"
              "33.01,33,A,kabupaten,1,10,0,1000,10,500,x,1.4,1\n"
              "33.02,34,B,kota,1,10,0,1000,10,lots,x,0.4,1\n");
    try {
        RegionTable::load(dir.path());
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        ASSERT_EQ(e.diagnostics().size(), 3u) << e.what();
        EXPECT_EQ(e.diagnostics()[0].where.line, 2);
        EXPECT_EQ(e.diagnostics()[0].key, "formal_share");
        EXPECT_EQ(e.diagnostics()[0].where.column, 43); // where "1.4" starts
        // Line 3 in reading order: the province code comes before the employed workers.
        EXPECT_EQ(e.diagnostics()[1].where.line, 3);
        EXPECT_EQ(e.diagnostics()[1].key, "province_code");
        EXPECT_EQ(e.diagnostics()[2].key, "employed_workers");
    }
}
