#pragma once
/// \file
/// The region table: provinces and kabupaten/kota with Kemendagri codes, population,
/// employed workers and the other figures that population synthesis needs. Loaded from the
/// CSV files that scenarios/data/build_region_data.py writes.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim {

enum class RegionKind : std::uint8_t { kabupaten, kota };

/// One kabupaten/kota: the unit agents live in.
struct Region {
    std::string code;          ///< Kemendagri code, "33.71"
    std::string province_code; ///< "33"
    std::string name;
    RegionKind kind = RegionKind::kabupaten;
    int kecamatan = 0;
    int desa = 0;      ///< villages (desa), indices [0, desa) inside the region
    int kelurahan = 0; ///< urban villages, indices [desa, desa + kelurahan)
    std::int64_t population = 0;
    double area_km2 = 0;
    std::int64_t employed_workers = 0; ///< estimate; see scenarios/data/README.md
    std::string employed_method;
    double formal_share = 0; ///< BPS Sakernas Aug 2024, the province's value
    double km_to_office = 0; ///< geometric estimate

    int villages() const { return desa + kelurahan; }
};

struct Province {
    std::string code;
    std::string name;
    int kabkota = 0;
    int desa = 0;
    int kelurahan = 0;
    std::int64_t population = 0;
    std::int64_t employed_workers = 0;
    double formal_share = 0;
    std::optional<std::int64_t> bpjstk_active_2023_12; ///< absent for 10 eastern provinces
    std::optional<std::int64_t> bpjstk_nonactive_2023_12;
};

/// All provinces and kabupaten/kota, in code order.
class RegionTable {
public:
    /// Reads provinces.csv and regions.csv from `data_dir`. Throws InputError naming the
    /// file, line and column on any malformed or inconsistent row.
    static RegionTable load(const std::filesystem::path& data_dir);

    /// The folder used when a scenario names none: $ULCSIM_DATA_DIR, else the shipped data.
    static std::filesystem::path default_data_dir();

    std::span<const Region> regions() const { return regions_; }
    std::span<const Province> provinces() const { return provinces_; }

    std::optional<std::size_t> find_region(std::string_view code) const;
    std::optional<std::size_t> find_province(std::string_view code) const;

    /// Indices of the kabupaten/kota a code stands for: one for a kab/kota code, all of a
    /// province's for a province code, none for an unknown code.
    std::vector<std::size_t> expand(std::string_view code) const;

    const std::filesystem::path& data_dir() const { return data_dir_; }

private:
    std::vector<Region> regions_;
    std::vector<Province> provinces_;
    std::filesystem::path data_dir_;
};

} // namespace ulcsim
