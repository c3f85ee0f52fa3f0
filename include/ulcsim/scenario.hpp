#pragma once
/// \file
/// A scenario: plain, immutable, validated data describing one simulation — regions,
/// population, behaviour, funding programmes, policies and observations. Built by
/// load_scenario() from a TOML file (with `extends` and `--set` resolved) and validated
/// completely before anything runs. Field names carry units; scenarios/README.md documents
/// every key.

#include "ulcsim/calendar.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/regions.hpp"
#include "ulcsim/worker_attributes.hpp"
#include "ulcsim/workforce.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ulcsim {

struct RunSettings {
    std::string name;
    std::string description;
    Month start;
    int months = 12;
    std::uint64_t seed = 1;
    int replicates = 10;
    /// The fit file (from `ulcsim calibrate`) whose posterior `forecast` draws each
    /// replicate's parameters from unless told --priors; empty: none. Absolute.
    std::filesystem::path posterior;

    Month last_month() const { return start + (months - 1); }
};

struct InitialCoverage {
    double formal_employer = 0.55;
    double informal_self = 0.10;
    double vulnerable_self = 0.05;
};

/// Per-region overrides of the region data and population defaults; unset fields inherit.
struct RegionPopulationOverride {
    std::size_t region = 0; ///< index into RegionTable::regions()
    std::optional<std::int64_t> employed_workers;
    std::optional<double> formal_share;
    std::optional<double> vulnerable_share_of_informal;
    std::optional<double> km_to_office;
    std::optional<double> commuting_share;
    std::optional<double> formal_employer;
    std::optional<double> informal_self;
    std::optional<double> vulnerable_self;
};

/// Where the starting coverage comes from: the scenario's shares as they are, or those
/// shares shifted per province so that the participants registered in each province at the
/// start are its Dec 2023 active count (provinces.csv).
enum class CoverageSource : std::uint8_t { scenario, province_active_2023_12 };
inline constexpr std::array<std::string_view, 2> coverage_source_names{"scenario",
                                                                       "province_active_2023_12"};

/// Head offices that register formal workers living in other provinces (DKI Jakarta's
/// participant count exceeds its resident workers by a third).
struct HeadOffice {
    std::optional<std::size_t> region; ///< index into RegionTable::regions()
    double share = 0; ///< of the formal workers living in the scenario's other provinces
};

struct PopulationSpec {
    double scale_workers_per_agent = 1;
    std::optional<double> formal_share; ///< unset: the region data's (BPS, by province)
    double vulnerable_share_of_informal = 0.25;
    double commuting_share = 0;
    InitialCoverage initial_coverage;
    /// Non-active registered members per active member at the start (BPJS's non-active:
    /// registered, contributions not current), drawn among each segment's uncovered workers.
    double nonactive_per_active = 0.48;
    CoverageSource initial_coverage_from = CoverageSource::scenario;
    /// Multiplies the estimated starting coverage of provinces without a Dec 2023 count.
    double unobserved_province_factor = 1;
    /// Log-odds shift of a region's starting coverage per unit of its urban share (kelurahan
    /// among its villages), each province's stated coverage kept: kota start above kabupaten.
    double urban_coverage_shift = 0.5;
    HeadOffice head_office;
    /// region_data: the region data's (Aug 2024) employed workers throughout, entrants at
    /// behaviour.entry_rate; bps_employment_by_province: each province's employed workers
    /// follow `employment` from the start month, entrants filling the gap to it.
    WorkforceSource workforce_from = WorkforceSource::region_data;
    /// Beyond the series: this multiple of each province's mean log growth over it.
    double workforce_growth_factor = 1;
    std::shared_ptr<const EmploymentSeries> employment; ///< read when workforce_from needs it
    std::array<double, segment_count> awareness_mean{0.6, 0.35, 0.2};
    std::array<double, segment_count> fears_bansos_share{0.0, 0.15, 0.40};
    std::array<double, age_band_count> age_band_shares{0.15, 0.23, 0.24, 0.21, 0.13, 0.04};
    std::array<std::array<double, income_band_count>, segment_count> income_band_shares{{
        {0.10, 0.20, 0.30, 0.25, 0.15},
        {0.20, 0.30, 0.25, 0.15, 0.10},
        {0.60, 0.30, 0.10, 0.00, 0.00},
    }};
    std::array<std::array<double, occupation_count>, segment_count> occupation_shares{};
    std::vector<RegionPopulationOverride> region_overrides;
};

/// Formal workers living in `from` whose employer is registered in `to`.
struct CommutingFlow {
    std::size_t from = 0;
    std::size_t to = 0;
    double share = 0;
};

/// Where each region's employer registration hazard comes from: `behaviour.h0_register` for
/// every region, or the hazard at which the region's starting employer coverage is a steady
/// state (neither rising nor falling without policies).
enum class EmployerRegistration : std::uint8_t { hazard, steady_state };
inline constexpr std::array<std::string_view, 2> employer_registration_names{"hazard",
                                                                             "steady_state"};

/// Behaviour as hazards per month (p = 1 − exp(−h)); names match the scenario keys so that
/// calibration can address them.
struct Behaviour {
    double h0_self = 0.008;
    double b_aware = 1.0;
    double b_peer = 1.0;
    double b_income = 0.15;
    double b_fear = 0.7;
    double b_dist = 0.01;
    double registration_success = 0.5;
    double assisted_registration_success = 0.7;
    double b_premium = 0.5;
    double h_lapse = 0.065;
    double b_lapse_income = -0.1;
    double b_lapse_premium = 0.5;
    double autodebit_share = 0.1;
    double h_lapse_autodebit = 0.015;
    int arrears_months = 3;
    double h_reinstate = 0.1;
    double continue_after_subsidy = 0.33;
    double h0_register = 0.01;
    EmployerRegistration employer_registration = EmployerRegistration::hazard;
    double h_employer_lapse = 0.008;
    double h_formal_to_informal = 0.008;
    double h_informal_to_formal = 0.005;
    double h_informal_to_vulnerable = 0.003;
    double h_vulnerable_to_informal = 0.004;
    double entry_rate = 0.0025;
    int exit_age_years = 70;
    double awareness_decay = 0.02;
    double awareness_peer_gain = 0.05;
    std::array<double, age_band_count> mortality_hazard{0.0000833, 0.000125, 0.000208,
                                                        0.0005,    0.00117,  0.00333};
    std::array<double, occupation_count> accident_hazard{};
};

/// The statutory minimum a self-paying BPU pays a month (JKK Rp10,000 on the minimum declared
/// income of Rp1,000,000, plus JKM Rp6,800): the premium at which the behaviour's self-paid
/// hazards are stated, so that only a premium above or below it moves them.
inline constexpr double statutory_bpu_premium_idr = 16'800;

struct Benefits {
    double jkm_idr = 42'000'000;
    double jkm_waiting_idr = 10'000'000;
    int jkm_waiting_months = 3;
    double jkk_mean_claim_idr = 5'000'000;
    double jkk_fatal_share = 0.02;
    double self_premium_idr_per_month = statutory_bpu_premium_idr;
    /// JKK death benefit to the heirs: this many monthly wages (PU) or months of declared
    /// income (BPU).
    double jkk_death_wage_months = 48;
    /// The wage a PU member's benefits are computed on, and the income a BPU member declares;
    /// both default to the BPU minimum declared income, a floor for wage earners.
    double pu_wage_idr_per_month = 1'000'000;
    double bpu_declared_income_idr_per_month = 1'000'000;
    /// Scholarships for the children of a member who dies: at most this for two children,
    /// of which an eligible death's heirs draw `scholarship_share` on average; a non-work death
    /// qualifies only after `scholarship_membership_months` of membership.
    double scholarship_max_idr = 174'000'000;
    double scholarship_share = 0.25;
    int scholarship_membership_months = 36;

    double wage_idr_per_month(Segment segment) const {
        return segment == Segment::formal ? pu_wage_idr_per_month
                                          : bpu_declared_income_idr_per_month;
    }
    double scholarship_idr_per_death() const { return scholarship_max_idr * scholarship_share; }
};

enum class ProgrammeKind : std::uint8_t {
    apbd_province,
    apbd_kabkota,
    dbhcht,
    dbh_sawit,
    dana_desa,
    csr,
    baznas,
    sponsor,
    other,
};
inline constexpr std::array<std::string_view, 9> programme_kind_names{
    "apbd_province", "apbd_kabkota", "dbhcht",  "dbh_sawit", "dana_desa",
    "csr",           "baznas",       "sponsor", "other"};

enum class VillageScope : std::uint8_t { all, desa, kelurahan };
inline constexpr std::array<std::string_view, 3> village_scope_names{"all", "desa", "kelurahan"};
/// Who registers a worker who accepts a programme's offer: the programme itself (never
/// fails), the worker alone (as a self-paid attempt, with the region's registration success)
/// or the worker with help (behaviour.assisted_registration_success).
enum class OfferRegistration : std::uint8_t { programme, self, assisted };
inline constexpr std::array<std::string_view, 3> offer_registration_names{"programme", "self",
                                                                          "assisted"};
enum class Targeting : std::uint8_t { random, lowest_income_first };
inline constexpr std::array<std::string_view, 2> targeting_names{"random", "lowest_income_first"};

struct CoverageWindow {
    Month start;
    Month end; ///< inclusive
    std::optional<std::int64_t> quota_workers;

    int months() const { return end - start + 1; }
};

struct Eligibility {
    std::array<bool, segment_count> segments{false, false, true};
    std::array<bool, occupation_count> occupations{true, true, true, true, true,
                                                   true, true, true, true, true};
    int max_income_band = 4;
    int min_age_years = 15;
    int max_age_years = 100;
};

/// A funding programme paying premiums of eligible uncovered workers over its windows.
struct FundingProgramme {
    std::string name;
    ProgrammeKind kind = ProgrammeKind::other;
    std::string description;
    std::string source;
    std::vector<std::size_t> regions; ///< indices into RegionTable::regions()
    VillageScope villages = VillageScope::all;
    double premium_idr_per_month = 16'800;
    std::optional<std::int64_t> quota_workers; ///< sponsors × workers_per_sponsor if given
    std::optional<std::int64_t> sponsors;
    std::optional<std::int64_t> workers_per_sponsor;
    std::optional<std::int64_t> outreach_per_month;
    /// Most members at any one time in each desa/kelurahan it recruits in (Dana Desa paid out
    /// of each village's own allocation); unset: villages are not limited one by one.
    std::optional<std::int64_t> quota_per_village;
    double acceptance = 0.9;
    double fear_acceptance_factor = 0.5;
    /// Acceptance × exp(b_accept_income·income_band + b_accept_aware·awareness/255
    /// − b_accept_member_share·member_share), at most 1.
    double b_accept_income = 0;
    double b_accept_aware = 0;
    double b_accept_member_share = 1.4;
    OfferRegistration registration = OfferRegistration::programme;
    Targeting targeting = Targeting::random;
    bool renewal = true;
    double continue_after_subsidy = 0.33;
    double member_lapse_per_month = 0;
    /// Each member is funded for this many months from his own enrolment, whatever the
    /// window (which then only says when the offer can be taken up); unset: to the end of
    /// the window he enrolled in.
    std::optional<int> months_per_member;
    double member_share = 0;                   ///< share of the premium the member pays himself
    std::map<int, double> budget_idr_per_year; ///< empty: no budget limit
    Eligibility eligibility;
    std::vector<CoverageWindow> windows; ///< ordered, non-overlapping

    double total_budget_idr() const;
    /// What the programme pays per member and month: its share of the premium.
    double programme_premium_idr() const { return premium_idr_per_month * (1 - member_share); }
    /// Take-up of its offer depends on the worker beyond the fear of losing bansos.
    bool acceptance_by_worker() const { return b_accept_income != 0 || b_accept_aware != 0; }
};

enum class PolicyKind : std::uint8_t { enforcement, campaign };
inline constexpr std::array<std::string_view, 2> policy_kind_names{"enforcement", "campaign"};

struct Policy {
    std::string name;
    PolicyKind kind = PolicyKind::campaign;
    std::string description;
    std::string source;
    std::vector<std::size_t> regions;
    Month start;
    std::optional<Month> end; ///< inclusive; open-ended when absent
    double register_multiplier = 1;
    /// Enforcement: the occupations whose workers it acts on, for the employer registration
    /// multiplier and the permit condition (a condition on construction tenders acts on
    /// construction workers only); all by default.
    std::array<bool, occupation_count> occupations{true, true, true, true, true,
                                                   true, true, true, true, true};
    /// Enforcement: the hazard per month that an informal worker (of `occupations`) takes or
    /// renews a business permit, and the probability that the permit office requires active
    /// membership of an uncovered one, who then enrols as a self-payer. Off while the rate is 0.
    double permit_rate = 0;
    double permit_compliance = 0.5;
    /// What it costs while in force: a fixed amount a month for all its regions (staff,
    /// printing, inspections), and an amount per worker of its regions and month (a contact
    /// with each worker reached), so that its cost can be set against a subsidy's.
    double cost_idr_per_month = 0;
    double cost_idr_per_worker_month = 0;
    double awareness_gain = 0;
    double fear_reduction = 0;
    std::optional<double> registration_success;
    /// Campaign: its awareness gain and fear reduction reach only the villages this close to
    /// the region's BPJS office (outreach "within 5 km of an office"); unset: every village.
    std::optional<double> within_km_of_office;

    bool in_force(Month m) const { return start <= m && (!end || m <= *end); }
};

/// Which segments an observation or output aggregates.
enum class SegmentGroup : std::uint8_t { all, formal, informal, vulnerable, bpu };
inline constexpr std::array<std::string_view, 5> segment_group_names{"all", "formal", "informal",
                                                                     "vulnerable", "bpu"};

/// coverage_share: participants registered in the region / resident workers (can exceed 1);
/// resident_coverage: covered residents / resident workers.
enum class CoverageMeasure : std::uint8_t { coverage_share, resident_coverage };
inline constexpr std::array<std::string_view, 2> coverage_measure_names{"coverage_share",
                                                                        "resident_coverage"};

enum class EvidenceStatus : std::uint8_t { exact, quoted, estimate };
inline constexpr std::array<std::string_view, 3> evidence_status_names{"EXACT", "QUOTED",
                                                                       "ESTIMATE"};

struct Observation {
    std::string region_code;          ///< kab/kota, province, or "ID"
    std::vector<std::size_t> regions; ///< the kab/kota it aggregates
    SegmentGroup segment = SegmentGroup::all;
    Month month;
    double value = 0;
    CoverageMeasure measure = CoverageMeasure::coverage_share;
    std::string source;
    EvidenceStatus status = EvidenceStatus::quoted;
    double weight = 1;
    /// Half-width (share) of the band around `value` within which the model is not penalised:
    /// the figure's own uncertainty when its definition or denominator is not the model's.
    double error_band = 0;
};

struct UlcDefinition {
    double threshold = 1.0;
    CoverageMeasure measure = CoverageMeasure::coverage_share;
};

/// The merged TOML document a scenario was validated from (opaque: the library reads it).
struct ScenarioDocument;

/// What the files of an `extends` chain did to one named entry of [[programme]] or [[policy]],
/// so that `validate` can show what a child file changed, replaced or removed.
struct EntryOrigin {
    /// A later file of the chain that changed keys of the entry (merged by name).
    struct Change {
        std::string file;
        std::vector<std::string> keys; ///< the keys it gave, in the order written
    };
    std::string array; ///< "programme" or "policy"
    std::string name;
    std::string written_in; ///< the file whose entry it is: after a replacement, the replacing one
    std::string replaced;   ///< non-empty: the file whose entry of this name written_in replaced
    std::vector<Change> changes;
    std::string removed_in; ///< non-empty: the file that removed it; it is not in the scenario
};

/// A complete, validated scenario. Immutable after load_scenario(); vary() (ulcsim/vary.hpp)
/// makes validated variants of it.
struct Scenario {
    std::filesystem::path file;
    /// The files it was read from: `file`, then each base it extends (the inputs an output
    /// must never replace).
    std::vector<std::filesystem::path> source_files;
    std::string resolved_toml; ///< the merged scenario (extends and --set applied) as TOML
    RunSettings run;
    RegionTable region_table;
    std::vector<std::size_t> regions; ///< indices into region_table.regions(), in code order
    PopulationSpec population;
    std::vector<CommutingFlow> commuting;
    Behaviour behaviour;
    Benefits benefits;
    std::vector<FundingProgramme> programmes;
    std::vector<Policy> policies;
    std::vector<Observation> observations;
    UlcDefinition ulc;

    /// For a file that extends another: every named programme and policy of the chain, in the
    /// order they were written, with what each file did to it. Empty for a single file.
    std::vector<EntryOrigin> entry_origins;

    /// The document the fields were validated from, shared by copies: what vary() changes.
    std::shared_ptr<const ScenarioDocument> document;

    /// Employed workers of a region at the start month: the region data's (or its override)
    /// moved along the employment series when population.workforce_from asks for it.
    std::int64_t employed_workers(std::size_t region) const;
    std::int64_t total_employed_workers() const;
    /// Employed workers of a region in the region data's month (Aug 2024), after overrides.
    std::int64_t region_data_employed_workers(std::size_t region) const;
    /// Employed workers at month `m` over those at region_data_month: 1 unless the workforce
    /// follows the employment series.
    double workforce_factor(std::size_t region, Month m) const;
    /// With the workforce following the series, the labour force (agents, unrounded) each of
    /// the scenario's regions should have at the end of each month of the run: [month][region].
    /// Empty otherwise.
    std::vector<double> workforce_targets() const;
    /// The monthly growth for which each region reserves slots for its entrants
    /// (region_capacity): behaviour.entry_rate, or the fastest growth of the series over the run.
    double entrant_room_rate() const;
};

/// Reads a scenario file, resolves `extends`, applies `--set` overrides ("key.path=value"),
/// and validates the result. Throws InputError listing every problem found.
Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& overrides = {});

/// Where a key of the scenario was written ("programme[0].quota_workers", "run.start"): its
/// file, line and column; the scenario's file without a line when it was not written (a
/// default) or came from a --set.
SourceLocation where_written(const Scenario& scenario, std::string_view key_path);

/// Reads a scenario from TOML text, named `source_name` in messages, as load_scenario() reads
/// a file. Nothing in the text may name a file (`extends`, run.posterior, regions.data_dir):
/// a text has no folder to resolve them against, and a text from a network request must
/// never reach the file system. Throws InputError listing every problem found.
Scenario load_scenario_text(const std::string& text, const std::string& source_name,
                            const std::vector<std::string>& overrides = {});

/// Default behaviour and population values that scenarios/README.md documents, exposed so that
/// tests can check the documentation against the code.
Behaviour default_behaviour();
PopulationSpec default_population();

} // namespace ulcsim
