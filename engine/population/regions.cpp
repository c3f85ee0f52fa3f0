#include "ulcsim/regions.hpp"

#include "csv_reader.hpp"

#include <algorithm>
#include <cstdlib>

#ifndef ULCSIM_DEFAULT_DATA_DIR
#error "ULCSIM_DEFAULT_DATA_DIR must be defined by the build"
#endif

namespace ulcsim {

namespace {

void check_share(detail::CsvReader& csv, std::string_view column, double value) {
    if (!(value >= 0 && value <= 1))
        csv.error(column, std::to_string(value) + " is out of range [0, 1]");
}

void check_non_negative(detail::CsvReader& csv, std::string_view column, double value) {
    if (!(value >= 0)) csv.error(column, std::to_string(value) + " is out of range [0, ∞)");
}

template <class Row>
std::optional<std::size_t> find_by_code(const std::vector<Row>& rows, std::string_view code) {
    const auto it = std::lower_bound(rows.begin(), rows.end(), code,
                                     [](const Row& r, std::string_view c) { return r.code < c; });
    if (it == rows.end() || it->code != code) return std::nullopt;
    return static_cast<std::size_t>(it - rows.begin());
}

} // namespace

std::filesystem::path RegionTable::default_data_dir() {
    if (const char* env = std::getenv("ULCSIM_DATA_DIR"); env && *env) return env;
    return ULCSIM_DEFAULT_DATA_DIR;
}

RegionTable RegionTable::load(const std::filesystem::path& data_dir) {
    RegionTable table;
    table.data_dir_ = data_dir;

    detail::CsvReader provinces(data_dir / "provinces.csv",
                                {"code", "name", "n_kabkota", "n_desa", "n_kelurahan", "population",
                                 "employed_workers", "formal_share", "bpjstk_active_2023_12",
                                 "bpjstk_nonactive_2023_12"});
    while (provinces.next()) {
        Province p;
        p.code = provinces.text("code");
        p.name = provinces.text("name");
        p.kabkota = static_cast<int>(provinces.integer("n_kabkota"));
        p.desa = static_cast<int>(provinces.integer("n_desa"));
        p.kelurahan = static_cast<int>(provinces.integer("n_kelurahan"));
        p.population = provinces.integer("population");
        p.employed_workers = provinces.integer("employed_workers");
        p.formal_share = provinces.number("formal_share");
        check_share(provinces, "formal_share", p.formal_share);
        p.bpjstk_active_2023_12 = provinces.optional_integer("bpjstk_active_2023_12");
        p.bpjstk_nonactive_2023_12 = provinces.optional_integer("bpjstk_nonactive_2023_12");
        if (!table.provinces_.empty() && table.provinces_.back().code >= p.code)
            provinces.error("code", "'" + p.code + "' is out of order or repeated");
        table.provinces_.push_back(std::move(p));
    }
    provinces.finish();

    detail::CsvReader regions(data_dir / "regions.csv",
                              {"code", "province_code", "name", "kind", "n_kecamatan", "n_desa",
                               "n_kelurahan", "population", "area_km2", "employed_workers",
                               "employed_method", "formal_share", "km_to_office"});
    while (regions.next()) {
        Region r;
        r.code = regions.text("code");
        r.province_code = regions.text("province_code");
        r.name = regions.text("name");
        const std::string_view kind = regions.text("kind");
        if (kind == "kabupaten")
            r.kind = RegionKind::kabupaten;
        else if (kind == "kota")
            r.kind = RegionKind::kota;
        else
            regions.error("kind", "'" + std::string(kind) + "' is not one of: kabupaten, kota");
        r.kecamatan = static_cast<int>(regions.integer("n_kecamatan"));
        r.desa = static_cast<int>(regions.integer("n_desa"));
        r.kelurahan = static_cast<int>(regions.integer("n_kelurahan"));
        r.population = regions.integer("population");
        r.area_km2 = regions.number("area_km2");
        r.employed_workers = regions.integer("employed_workers");
        r.employed_method = regions.text("employed_method");
        r.formal_share = regions.number("formal_share");
        r.km_to_office = regions.number("km_to_office");
        check_share(regions, "formal_share", r.formal_share);
        check_non_negative(regions, "area_km2", r.area_km2);
        check_non_negative(regions, "km_to_office", r.km_to_office);
        check_non_negative(regions, "employed_workers", static_cast<double>(r.employed_workers));
        if (r.villages() <= 0) regions.error("n_desa", "a region needs at least one village");
        if (!find_by_code(table.provinces_, r.province_code))
            regions.error("province_code", "unknown province '" + r.province_code + "'");
        if (!table.regions_.empty() && table.regions_.back().code >= r.code)
            regions.error("code", "'" + r.code + "' is out of order or repeated");
        table.regions_.push_back(std::move(r));
    }
    regions.finish();
    return table;
}

std::optional<std::size_t> RegionTable::find_region(std::string_view code) const {
    return find_by_code(regions_, code);
}

std::optional<std::size_t> RegionTable::find_province(std::string_view code) const {
    return find_by_code(provinces_, code);
}

std::vector<std::size_t> RegionTable::expand(std::string_view code) const {
    std::vector<std::size_t> out;
    if (const auto r = find_region(code)) {
        out.push_back(*r);
    } else if (find_province(code)) {
        for (std::size_t i = 0; i < regions_.size(); ++i)
            if (regions_[i].province_code == code) out.push_back(i);
    }
    return out;
}

} // namespace ulcsim
