#pragma once
// Validation: builds a Scenario from its merged TOML document, collecting every problem
// rather than stopping at the first. One file per group of tables: build_run_regions.cpp,
// build_population.cpp, build_behaviour.cpp, build_programmes.cpp and
// build_policies_observations.cpp; what they share is in scenario_builder.cpp.

#include "observation_rows.hpp"
#include "scenario_document.hpp"
#include "toml_reader.hpp"
#include "ulcsim/scenario.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::detail {

// Shares that must sum to one may be off by this much: files write them to two or three digits.
inline constexpr double sum_tolerance = 0.001;

std::string format_share(double v);

template <class T>
void read_into(T& target, std::optional<T> value) {
    if (value) target = *value;
}

// A number or whole number into a field that holds its default; the value it ends with is
// noted for TableReader's NumbersRead.
void read_number(TableReader& t, std::string_view key, double& target);
void read_int(TableReader& t, std::string_view key, int& target);

// Reads a table whose keys are a fixed list of names into an array of numbers.
template <std::size_t N>
void read_named_numbers(TableReader& t, const std::array<std::string_view, N>& names,
                        std::array<double, N>& target) {
    for (std::size_t i = 0; i < N; ++i)
        read_number(t, names[i], target[i]);
}

// Shares that must sum to one: reported against the table that holds them.
template <std::size_t N>
void check_sums_to_one(TableReader& t, const std::array<double, N>& shares) {
    const double sum = std::accumulate(shares.begin(), shares.end(), 0.0);
    if (std::abs(sum - 1) > sum_tolerance)
        t.diagnostics().add(t.location(), t.path(),
                            "shares sum to " + format_share(sum) + ", not 1");
}

class ScenarioBuilder {
public:
    // `regions`, when given, is the region table to use instead of reading the one the
    // document's data folder names (a variant of a scenario whose table is read already).
    ScenarioBuilder(Scenario& scenario, Diagnostics& diagnostics, TableReader& root,
                    const RegionTable* regions = nullptr)
        : s_(scenario), diag_(diagnostics), root_(root), regions_(regions) {}

    void build();

private:
    void read_run();
    // False when no region could be read: the rest of the file is then checked without them.
    bool read_regions();
    void read_population(bool have_regions);
    void check_agent_slots(TableReader& population);
    void read_employment_series(TableReader& population);
    void read_commuting(bool have_regions);
    void read_behaviour();
    void read_benefits();
    void read_programmes(bool have_regions);
    void read_windows(TableReader& t, FundingProgramme& p);
    void read_budget(TableReader& t, FundingProgramme& p);
    void read_eligibility(TableReader& t, Eligibility& e);
    void read_policies(bool have_regions);
    void read_observations(bool have_regions);
    // [[observation]] row = "id": the figure, region, month and source from observations.csv.
    void observation_from_row(TableReader& t, const std::string& id, Observation& o);
    void observation_regions(TableReader& t, std::string_view key, const std::string& code,
                             Observation& o);
    void read_ulc();
    // Keys of one table that act only with a key of another, given without it.
    void check_keys_needing_another();

    bool in_scenario(std::size_t region) const;
    // A list of region codes that must all lie inside the scenario; absent means all.
    std::vector<std::size_t> read_region_list(TableReader& t, std::string_view key,
                                              bool have_regions);
    // One kabupaten/kota code inside the scenario.
    std::optional<std::size_t> read_kabkota(TableReader& t, std::string_view key,
                                            bool have_regions);
    static bool valid_name(std::string_view name);
    // name: required, well-formed and unique among `taken`.
    std::string read_entry_name(TableReader& t, std::set<std::string>& taken, const char* what);

    template <class Enum, std::size_t N>
    void read_choice(TableReader& t, std::string_view key,
                     const std::array<std::string_view, N>& names, Enum& target) {
        if (const auto i = t.choice(key, names)) target = static_cast<Enum>(*i);
    }

    // An array of names from a fixed list, as flags; absent leaves `flags` unchanged.
    template <std::size_t N>
    void read_name_set(TableReader& t, std::string_view key,
                       const std::array<std::string_view, N>& names, std::array<bool, N>& flags) {
        const auto list = t.string_array(key);
        if (!list) return;
        if (list->empty()) {
            t.error(key, "must list at least one");
            return;
        }
        std::array<bool, N> chosen{};
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto& [name, node] = (*list)[i];
            const std::string path = t.key_path(key) + "[" + std::to_string(i) + "]";
            const auto index = index_of(names, name);
            if (!index) {
                std::string allowed;
                for (std::string_view n : names)
                    allowed += (allowed.empty() ? "" : ", ") + std::string(n);
                t.error_at(*node, path,
                           "'" + name + "' is not one of: " + allowed +
                               detail::name_hint(name, std::span<const std::string_view>(names)));
            } else if (chosen[*index]) {
                t.error_at(*node, path, "duplicate: '" + name + "' is listed twice");
            } else {
                chosen[*index] = true;
            }
        }
        flags = chosen;
    }

    Scenario& s_;
    Diagnostics& diag_;
    TableReader& root_;
    const RegionTable* regions_;
    bool run_valid_ = true;
    std::optional<ObservationRows> observation_rows_; // read when an observation names a row
};

// Validates `document` into a Scenario that keeps it; throws InputError with every problem
// in `diagnostics` and those found. `regions` as for ScenarioBuilder; `numbers`, if given,
// collects every number the validator read (TableReader).
Scenario build_scenario(const std::filesystem::path& file,
                        std::shared_ptr<const ScenarioDocument> document, Diagnostics& diagnostics,
                        const RegionTable* regions = nullptr, NumbersRead* numbers = nullptr);

} // namespace ulcsim::detail
