// The table of scenario keys (ulcsim/scenario_keys.hpp): one row per key of the language,
// in the order of the key reference in scenarios/README.md. The validator takes each key's
// type and range from here; `--set`, `sweep`, `calibrate` and `forecast --posterior` check
// the keys they are given against it; the key reference is generated from it.
//
// Rows are made by small functions for the common kinds of key (a share, a hazard, an amount
// of rupiah, …), each setting what a key of that kind is: its type, range, unit and whether
// it may be fitted and varied. Keys of no common kind are written out in full.

#include "ulcsim/scenario_keys.hpp"

#include "ulcsim/scenario.hpp"
#include "ulcsim/worker_attributes.hpp"

namespace ulcsim {

namespace {

using sv = std::string_view;

constexpr double hazard_max = 10;      // per month: p = 1 − e⁻¹⁰ is certainty
constexpr double coefficient_max = 20; // on a log hazard: e²⁰ is beyond any effect
// Every number has a finite range, so that money and counts cannot overflow the ledgers.
// Rp10 billion is above any premium or benefit of one worker (a work-accident death pays 48
// monthly wages: Rp9.6bn at Rp200m a month); Rp10,000 trillion a year is above Indonesia's
// whole state budget (about Rp3,600 trillion in 2025); a billion workers is seven times its
// workforce.
constexpr double rupiah_per_worker_max = 1e10;
constexpr double rupiah_per_year_max = 1e16;
constexpr double workers_max = 1e9;

constexpr ScenarioKey table_key(sv path, sv summary) {
    return {.path = path, .type = KeyType::table, .summary = summary};
}
constexpr ScenarioKey text_key(sv path, sv default_text, sv summary) {
    return {.path = path, .type = KeyType::text, .default_text = default_text, .summary = summary};
}
constexpr ScenarioKey month_key(sv path, sv default_text, sv summary) {
    return {.path = path,
            .type = KeyType::month,
            .variable = true,
            .default_text = default_text,
            .summary = summary};
}
constexpr ScenarioKey choice_key(sv path, std::span<const sv> choices, sv default_text,
                                 sv summary) {
    return {.path = path,
            .type = KeyType::choice,
            .variable = true,
            .choices = choices,
            .default_text = default_text,
            .summary = summary};
}
constexpr ScenarioKey regions_key(sv path, sv default_text, sv summary) {
    return {
        .path = path, .type = KeyType::regions, .default_text = default_text, .summary = summary};
}
constexpr ScenarioKey region_key(sv path, sv rule, sv summary) {
    return {.path = path,
            .type = KeyType::region,
            .default_text = "required",
            .rule = rule,
            .summary = summary};
}
constexpr ScenarioKey integer_key(sv path, double lower, double upper, sv unit, sv default_text,
                                  sv summary) {
    return {.path = path,
            .type = KeyType::integer,
            .lower = lower,
            .upper = upper,
            .unit = unit,
            .variable = true,
            .default_text = default_text,
            .summary = summary};
}
// A number of the model, fitted and varied.
constexpr ScenarioKey number_key(sv path, Quantity quantity, double lower, double upper, sv unit,
                                 sv default_text, sv summary) {
    return {.path = path,
            .type = KeyType::number,
            .quantity = quantity,
            .lower = lower,
            .upper = upper,
            .unit = unit,
            .fittable = true,
            .variable = true,
            .default_text = default_text,
            .summary = summary};
}
constexpr ScenarioKey share_key(sv path, sv default_text, sv summary, sv unit = {}) {
    return number_key(path, Quantity::share, 0, 1, unit, default_text, summary);
}
constexpr ScenarioKey probability_key(sv path, sv default_text, sv summary, sv unit = {}) {
    return number_key(path, Quantity::probability, 0, 1, unit, default_text, summary);
}
constexpr ScenarioKey hazard_key(sv path, sv default_text, sv summary) {
    return number_key(path, Quantity::hazard, 0, hazard_max, "/month", default_text, summary);
}
constexpr ScenarioKey coefficient_key(sv path, sv unit, sv default_text, sv summary) {
    return number_key(path, Quantity::coefficient, -coefficient_max, coefficient_max, unit,
                      default_text, summary);
}
constexpr ScenarioKey rupiah_key(sv path, sv unit, sv default_text, sv summary) {
    return number_key(path, Quantity::amount, 0, rupiah_per_worker_max, unit, default_text,
                      summary);
}

constexpr ScenarioKey with_rule(ScenarioKey key, sv rule) {
    key.rule = rule;
    return key;
}
// A key whose `*` stands for one of a fixed list of names.
constexpr ScenarioKey named(ScenarioKey key, std::span<const sv> names) {
    key.key_names = names;
    return key;
}
// One of several shares that must sum to one: changing it alone leaves the scenario
// invalid, so it is neither fitted nor varied.
constexpr ScenarioKey summing(ScenarioKey key, sv rule) {
    key.fittable = key.variable = false;
    key.rule = rule;
    return key;
}
// How finely the run is made rather than a parameter of the model: varied, not fitted.
constexpr ScenarioKey not_fitted(ScenarioKey key) {
    key.fittable = false;
    return key;
}

constexpr sv six_bands = "the six shares sum to 1 (± 0.001)";
constexpr sv mix = "the shares sum to 1 (± 0.001); occupations not named get 0";
constexpr sv five_bands = "five shares summing to 1 (± 0.001)";
constexpr sv entry_name = "letters, digits, `-`, `_`; unique";

constexpr ScenarioKey keys[] = {
    text_key("extends", "none",
             "A base scenario, relative to this file. The base is read first; this file "
             "overrides it key by key. Bases may extend further bases; a cycle is an error."),
    {.path = "remove_programmes",
     .type = KeyType::names,
     .default_text = "`[]`",
     .rule = "names of programmes the bases give; only in a file with `extends` (or a `--set`)",
     .summary = "Removes these inherited programmes before this file's `[[programme]]` entries "
                "are merged: an entry of a removed name then replaces the inherited one whole."},
    {.path = "remove_policies",
     .type = KeyType::names,
     .default_text = "`[]`",
     .rule = "names of policies the bases give; only in a file with `extends` (or a `--set`)",
     .summary = "Removes these inherited policies before this file's `[[policy]]` entries are "
                "merged: an entry of a removed name then replaces the inherited one whole."},

    // ---- [run]: settings of the run, which sweep and calibrate set by their own options ----
    table_key("run", "The run: its name, months, seed and replicates."),
    with_rule(
        text_key("run.name", "the file name without `.toml`", "Name used in outputs and reports."),
        "non-empty"),
    text_key("run.description", "`\"\"`", "One paragraph for reports."),
    {.path = "run.posterior",
     .type = KeyType::text,
     .unit = "path",
     .default_text = "none",
     .summary = "Fit file (`ulcsim calibrate`'s NAME.fit.h5), relative to this file: `run`, "
                "`compare`, `sweep`, `target` and `forecast` draw each replicate's parameters "
                "from its posterior (`forecast` also carries its skill), unless run with "
                "--priors. A calibrated scenario written by `calibrate` names its own. `''`: "
                "none."},
    {.path = "run.start",
     .type = KeyType::month,
     .default_text = "required",
     .summary = "First simulated month. The population is synthesised at the start of this "
                "month."},
    {.path = "run.months",
     .type = KeyType::integer,
     .lower = 1,
     .upper = 1200,
     .unit = "months",
     .default_text = "`12`",
     .summary = "Horizon."},
    {.path = "run.seed",
     .type = KeyType::integer,
     .lower = 0,
     .upper = 9223372036854775807.0, // a TOML integer is signed 64-bit
     .default_text = "`1`",
     .summary = "Master seed. Same seed ⇒ same draws for the same agent in any scenario "
                "(common random numbers)."},
    {.path = "run.replicates",
     .type = KeyType::integer,
     .lower = 1,
     .upper = 100000,
     .default_text = "`10`",
     .summary = "Stochastic replicates."},

    // ---- [regions] ----
    table_key("regions", "Which kabupaten/kota to simulate, and where their data are."),
    regions_key("regions.include", "required",
                "Kabupaten/kota to simulate; a province code includes all its kabupaten/kota. "
                "Duplicates are an error."),
    regions_key("regions.exclude", "`[]`",
                "Removed from `include` (a province code removes all its kabupaten/kota). Every "
                "excluded code must have been included."),
    {.path = "regions.data_dir",
     .type = KeyType::text,
     .unit = "path",
     .default_text = "the shipped `scenarios/data`",
     .summary = "Folder with `regions.csv` and `provinces.csv`, relative to this file. The "
                "environment variable `ULCSIM_DATA_DIR` overrides the default."},

    // ---- [population] ----
    table_key("population", "Who the workers are: how many an agent stands for, their "
                            "segments, coverage, awareness, ages, incomes and occupations."),
    not_fitted(number_key("population.scale", Quantity::amount, 1, 1e9, "workers per agent", "`1`",
                          "One agent stands for `scale` workers; counts in outputs are "
                          "multiplied back.")),
    share_key("population.formal_share", "from region data (BPS Sakernas Aug 2024, by province)",
              "Share of workers who are formal (PU, wage earners)."),
    share_key("population.vulnerable_share_of_informal",
              "`0.25` (ESTIMATE: no national count is published)",
              "Share of non-formal workers who are *pekerja rentan* (vulnerable BPU)."),
    share_key("population.commuting_share", "`0`",
              "Default share of a region's formal workers whose employer is registered in "
              "another region; see `[[commuting]]` for explicit flows."),

    number_key("population.nonactive_per_active", Quantity::amount, 0, 20,
               "non-active members per active member",
               "`0.48` (ESTIMATE: 19.07m non-active / 39.78m active, Dec 2023, the 28 provinces "
               "of `provinces.csv`; Kemnaker Satu Data)",
               "Registered participants who do not pay (non-active) at the start, per active "
               "participant. They are drawn among each segment's uncovered workers, a share "
               "`r·c / (1 − c)` of them (at most all) where `c` is the segment's "
               "`initial_coverage`; they stay registered, and count in `registered`, until they "
               "leave the labour force or enrol again."),

    choice_key("population.initial_coverage_from", coverage_source_names, "`\"scenario\"`",
               "`scenario`: every region starts from `initial_coverage` (and its "
               "`[[population.region]]` overrides). `province_active_2023_12`: those shares "
               "are shifted on the log-odds scale, by one amount per province, so that the "
               "participants registered in each province at the start are its Dec 2023 active "
               "count in `provinces.csv` (for the part of the province in the scenario, by "
               "employed workers); see `unobserved_province_factor` for provinces without one."),
    {.path = "population.unobserved_province_factor",
     .type = KeyType::number,
     .quantity = Quantity::amount,
     .lower = 0,
     .upper = 10,
     .unit = "multiplier",
     .fittable = true,
     .variable = true,
     .prior_lower = 1,
     .prior_upper = 1.37,
     .default_text = "`1` (ESTIMATE, uncertain within about [1, 1.37], its calibration prior)",
     .summary = "With `initial_coverage_from = \"province_active_2023_12\"`: the 10 eastern "
                "provinces without a Dec 2023 count (75, 76, 81, 82, 91–96) start with the "
                "ratio of count to the scenario's expected participants of the 28 provinces "
                "with one, times this factor. At 1 they total about 1.30m active at scale 1; "
                "the national 41.56m (Kemnaker Satu Data) less the 28 provinces' 39.78m leaves "
                "1.78m, a factor of about 1.37."},
    {.path = "population.urban_coverage_shift",
     .type = KeyType::number,
     .quantity = Quantity::amount,
     .lower = -5,
     .upper = 5,
     .unit = "log-odds per unit urban share",
     .fittable = true,
     .variable = true,
     .prior_lower = 0,
     .prior_upper = 3,
     .default_text = "`0.5` (ESTIMATE, uncertain within about [0, 3], its calibration prior: Kota "
                     "Magelang's 27% active in 2022 against Jawa Tengah's 18.9% in Dec 2023 is "
                     "+0.46; Kota Padang Panjang's 89% registered in Dec 2022 against Sumatera "
                     "Barat's 31% is +2.9, a figure that also counts workers registered there "
                     "who live elsewhere)",
     .summary = "Kota start with more of their workers covered than kabupaten. Each region's "
                "starting shares are shifted on the log-odds scale by this amount times its "
                "urban share (kelurahan among its desa and kelurahan, from the region data: 1 "
                "for most kota, 0 for most kabupaten), then by one amount per province and "
                "segment so that the part of each province in the scenario keeps the coverage "
                "the scenario states (and, with `initial_coverage_from = "
                "\"province_active_2023_12\"`, the province's count). Regions whose share is "
                "set in `[[population.region]]` keep it. With one region per province, or "
                "regions of equal urban share, it changes nothing."},
    choice_key("population.workforce_from", workforce_source_names, "`\"region_data\"`",
               "`region_data`: every region keeps the employed workers of the region data (BPS, "
               "Aug 2024) whatever the start month, and workers enter at "
               "`behaviour.entry_rate`. `bps_employment_by_province`: each province's employed "
               "workers follow `data/employment_by_province.csv` (BPS Sakernas, Aug 2023 to Aug "
               "2024) backwards and forwards from the start month: the population is "
               "synthesised at the series' value for the start month, and each month as many "
               "workers enter as bring each region back to it (none when deaths and ageing "
               "leave it above), so `entry_rate` is not used. Regions keep their share of the "
               "province (and overrides of `employed_workers` are read as Aug 2024 figures)."),
    {.path = "population.workforce_growth_factor",
     .type = KeyType::number,
     .quantity = Quantity::amount,
     .lower = 0,
     .upper = 10,
     .unit = "multiplier",
     .fittable = true,
     .variable = true,
     .default_text = "`1` (ESTIMATE: the trend of Aug 2023 to Aug 2024 continues)",
     .summary = "With `workforce_from = \"bps_employment_by_province\"`: before the series' "
                "first month and after its last, each province's employed workers change at its "
                "mean growth rate over the series (log scale) times this factor: 1 continues "
                "the trend (nation +3.4% a year, Jawa Tengah +4.4%), 0 holds them flat."},
    table_key("population.head_office",
              "Head offices that register formal workers who live in other provinces."),
    {.path = "population.head_office.region",
     .type = KeyType::region,
     .default_text = "none",
     .rule = "in the scenario",
     .summary = "Kab/kota where the head offices register them (e.g. a DKI Jakarta kota)."},
    share_key("population.head_office.share", "`0`",
              "Share of the formal workers living in the scenario's other provinces whose "
              "employer registers them at `region`, after the `[[commuting]]` flows."),

    table_key("population.initial_coverage",
              "Share of each segment covered at the start month, and by whom."),
    share_key("population.initial_coverage.formal_employer", "`0.55`",
              "Formal workers registered by their employer (PU)."),
    share_key("population.initial_coverage.informal_self", "`0.10`",
              "Informal workers paying themselves (BPU)."),
    share_key("population.initial_coverage.vulnerable_self", "`0.05`",
              "Vulnerable workers paying themselves."),

    table_key("population.awareness",
              "Mean awareness at the start by segment, as a share of the scale 0–255."),
    share_key("population.awareness.formal", "`0.6`",
              "Mean awareness of formal workers at the start."),
    share_key("population.awareness.informal", "`0.35`",
              "Mean awareness of informal workers at the start."),
    share_key("population.awareness.vulnerable", "`0.2`",
              "Mean awareness of vulnerable workers at the start."),

    table_key("population.fears_bansos",
              "Share of each segment that believes enrolling loses social assistance."),
    share_key("population.fears_bansos.informal", "`0.15`",
              "Share of informal workers who fear losing bansos by enrolling (ESTIMATE)."),
    share_key("population.fears_bansos.vulnerable", "`0.40`",
              "Share of vulnerable workers who fear losing bansos by enrolling (ESTIMATE)."),

    table_key("population.age_bands", "Share of workers in each age band."),
    summing(share_key("population.age_bands.15-24", "`0.15`", "Share of workers aged 15 to 24."),
            six_bands),
    summing(share_key("population.age_bands.25-34", "`0.23`", "Share of workers aged 25 to 34."),
            six_bands),
    summing(share_key("population.age_bands.35-44", "`0.24`", "Share of workers aged 35 to 44."),
            six_bands),
    summing(share_key("population.age_bands.45-54", "`0.21`", "Share of workers aged 45 to 54."),
            six_bands),
    summing(share_key("population.age_bands.55-64", "`0.13`", "Share of workers aged 55 to 64."),
            six_bands),
    summing(share_key("population.age_bands.65+", "`0.04`", "Share of workers aged 65 and over."),
            six_bands),

    table_key("population.income_bands",
              "Shares of each segment in income bands 0 (lowest) to 4 (highest)."),
    {.path = "population.income_bands.formal",
     .type = KeyType::numbers,
     .quantity = Quantity::share,
     .lower = 0,
     .upper = 1,
     .default_text = "`[0.10, 0.20, 0.30, 0.25, 0.15]`",
     .rule = five_bands,
     .summary = "Shares of formal workers in income bands 0 to 4."},
    {.path = "population.income_bands.informal",
     .type = KeyType::numbers,
     .quantity = Quantity::share,
     .lower = 0,
     .upper = 1,
     .default_text = "`[0.20, 0.30, 0.25, 0.15, 0.10]`",
     .rule = five_bands,
     .summary = "Shares of informal workers in income bands 0 to 4."},
    {.path = "population.income_bands.vulnerable",
     .type = KeyType::numbers,
     .quantity = Quantity::share,
     .lower = 0,
     .upper = 1,
     .default_text = "`[0.60, 0.30, 0.10, 0.00, 0.00]`",
     .rule = five_bands,
     .summary = "Shares of vulnerable workers in income bands 0 to 4."},

    table_key("population.occupations", "Occupation mix per segment."),
    table_key("population.occupations.formal", "Occupation mix of formal workers."),
    named(summing(share_key("population.occupations.formal.*",
                            "`other = 0.70, construction = 0.10, transport = 0.05, trader = "
                            "0.10, tobacco = 0.05`",
                            "Share of formal workers in the occupation. A table given replaces "
                            "the default whole."),
                  mix),
          occupation_names),
    table_key("population.occupations.informal", "Occupation mix of informal workers."),
    named(summing(share_key("population.occupations.informal.*",
                            "`farmer = 0.30, fisher = 0.03, tobacco = 0.02, trader = 0.30, "
                            "transport = 0.10, construction = 0.08, other = 0.17`",
                            "Share of informal workers in the occupation. A table given "
                            "replaces the default whole."),
                  mix),
          occupation_names),
    table_key("population.occupations.vulnerable", "Occupation mix of vulnerable workers."),
    named(summing(share_key("population.occupations.vulnerable.*",
                            "`farmer = 0.30, fisher = 0.05, tobacco = 0.05, religious = 0.05, "
                            "transport = 0.10, trader = 0.15, construction = 0.08, waste = 0.05, "
                            "community = 0.07, other = 0.10`",
                            "Share of vulnerable workers in the occupation. A table given "
                            "replaces the default whole."),
                  mix),
          occupation_names),

    // ---- [[population.region]] ----
    table_key("population.region",
              "Per-region overrides of the region data and the population defaults."),
    region_key("population.region.*.region", "in the scenario; each region at most once",
               "The kabupaten/kota whose figures the entry replaces."),
    integer_key("population.region.*.employed_workers", 0, workers_max, "workers",
                "from `data/regions.csv`", "Replaces the estimate in `data/regions.csv`."),
    share_key("population.region.*.formal_share", "`population.formal_share`",
              "Share of the region's workers who are formal."),
    share_key("population.region.*.vulnerable_share_of_informal",
              "`population.vulnerable_share_of_informal`",
              "Share of the region's non-formal workers who are vulnerable."),
    number_key("population.region.*.km_to_office", Quantity::amount, 0, 1000, "km",
               "from `data/regions.csv`", "Distance to the nearest BPJS office."),
    share_key("population.region.*.commuting_share", "`population.commuting_share`",
              "Share of the region's formal workers whose employer is registered elsewhere."),
    share_key("population.region.*.formal_employer", "`population.initial_coverage.…`",
              "Initial coverage in this region: formal workers registered by their employer."),
    share_key("population.region.*.informal_self", "`population.initial_coverage.…`",
              "Initial coverage in this region: informal workers paying themselves."),
    share_key("population.region.*.vulnerable_self", "`population.initial_coverage.…`",
              "Initial coverage in this region: vulnerable workers paying themselves."),

    // ---- [[commuting]] ----
    table_key("commuting",
              "Explicit flows of formal workers whose employer is registered in another region."),
    region_key("commuting.*.from", "in the scenario", "Where the workers live."),
    region_key("commuting.*.to", "in the scenario, ≠ `from`",
               "Where their employer is registered."),
    with_rule(share_key("commuting.*.share", "required", "Share of `from`'s formal workers."),
              "the shares out of one region sum to at most 1"),

    // ---- [behaviour] ----
    table_key("behaviour", "How workers, employers and members behave: hazards per month and "
                           "their coefficients."),
    hazard_key("behaviour.h0_self", "`0.008`",
               "Base hazard of a self-paid enrolment attempt. With the defaults a typical "
               "informal worker enrols with about 8% probability a year (Banerjee et al.)."),
    coefficient_key("behaviour.b_aware", "per unit awareness", "`1.0`",
                    "Effect of awareness (0–1) on self-paid enrolment."),
    coefficient_key("behaviour.b_peer", "per unit village coverage", "`1.0`",
                    "Effect of village coverage, last month's covered share in the worker's "
                    "desa/kelurahan."),
    coefficient_key("behaviour.b_income", "per income band", "`0.15`",
                    "Effect of the income band on self-paid enrolment."),
    coefficient_key("behaviour.b_fear", "", "`0.7`",
                    "Applied (subtracted) when the worker fears losing bansos."),
    coefficient_key("behaviour.b_dist", "per km", "`0.01`",
                    "Effect (subtracted) of the distance to the nearest BPJS office."),
    probability_key("behaviour.registration_success", "`0.5`",
                    "Share of unassisted attempts that succeed."),
    probability_key("behaviour.assisted_registration_success", "`0.7`",
                    "Share of assisted registrations that succeed, for programmes whose "
                    "`registration` is `\"assisted\"` (ESTIMATE, see below)."),
    coefficient_key("behaviour.b_premium", "per unit log premium ratio", "`0.5`",
                    "Elasticity of the self-paid enrolment hazard to the self-paid premium: the "
                    "hazard is multiplied by (`benefits.self_premium_idr_per_month` / 16,800)^−"
                    "`b_premium` (ESTIMATE, see below)."),
    hazard_key("behaviour.h_lapse", "`0.065`", "Self-payer stops paying (5–8% a month)."),
    coefficient_key("behaviour.b_lapse_income", "per income band", "`-0.1`",
                    "Lapse falls with income."),
    coefficient_key("behaviour.b_lapse_premium", "per unit log premium ratio", "`0.5`",
                    "Elasticity of a self-payer's lapse hazard (with or without auto-debit) to "
                    "the self-paid premium: multiplied by (premium / 16,800)^`b_lapse_premium` "
                    "(ESTIMATE, see below)."),
    share_key("behaviour.autodebit_share", "`0.1`", "Share of new self-payers on auto-debit."),
    hazard_key("behaviour.h_lapse_autodebit", "`0.015`",
               "Lapse on auto-debit or payroll sponsorship (1–2% a month)."),
    integer_key("behaviour.arrears_months", 0, 24, "months", "`3`",
                "A lapsed BPU may pay up to this many months of arrears and be reinstated; after "
                "that membership ends."),
    hazard_key("behaviour.h_reinstate", "`0.1`",
               "A lapsed BPU within the arrears period pays up and is reinstated."),
    probability_key("behaviour.continue_after_subsidy", "`0.33`",
                    "At the end of a funded window without renewal, a member continues "
                    "self-paid (about a third). The default of every programme that does not "
                    "set its own."),
    hazard_key("behaviour.h0_register", "`0.01`",
               "Employer registers a formal worker it does not pay for yet: uncovered, paying "
               "himself or a programme member (who then leaves the programme). Multiplied by "
               "active enforcement policies."),
    choice_key(
        "behaviour.employer_registration", employer_registration_names, "`\"hazard\"`",
        "`hazard`: employers register the formal workers they do not pay for at `h0_register` in "
        "every region. `steady_state`: each region's hazard is the one at which its "
        "starting employer coverage `s` (after `initial_coverage_from`) neither rises "
        "nor falls: `s (h_employer_lapse + i) / (1 − s)`, where `i = "
        "h_informal_to_formal (1 − f) / f + entry_rate` is the monthly inflow of new, "
        "uncovered wage workers per wage worker (`f` the region's formal share); "
        "`h0_register` is then unused. Enforcement policies multiply either. Without "
        "it a region whose start is far from `h0_register`'s equilibrium (about 37% "
        "at the defaults and a formal share of 0.45) drifts towards it for years whatever "
        "the policies do."),
    hazard_key("behaviour.h_employer_lapse", "`0.008`",
               "Employer stops paying for a covered formal worker (arrears)."),
    hazard_key("behaviour.h_formal_to_informal", "`0.008`",
               "Leaves a wage job; employer coverage ends."),
    hazard_key("behaviour.h_informal_to_formal", "`0.005`",
               "Takes a wage job (informal or vulnerable worker)."),
    hazard_key("behaviour.h_informal_to_vulnerable", "`0.003`",
               "An informal worker becomes vulnerable."),
    hazard_key("behaviour.h_vulnerable_to_informal", "`0.004`",
               "A vulnerable worker becomes informal but no longer vulnerable."),
    number_key("behaviour.entry_rate", Quantity::rate, 0, 0.1, "/month, share of the labour force",
               "`0.0025`", "New entrants (about 3% a year, BPS 2023–2024)."),
    integer_key("behaviour.exit_age_years", 50, 100, "years", "`70`",
                "Workers leave the labour force at this age."),
    share_key("behaviour.awareness_decay", "`0.02`", "Share of awareness lost each month.",
              "/month"),
    share_key("behaviour.awareness_peer_gain", "`0.05`",
              "Awareness gained per month, times village coverage (as a share of 255).", "/month"),

    table_key("behaviour.mortality", "Hazard of death per month by age band."),
    named(number_key("behaviour.mortality.*", Quantity::hazard, 0, 1, "/month",
                     "`\"15-24\" = 0.0000833, \"25-34\" = 0.000125, \"35-44\" = 0.000208, "
                     "\"45-54\" = 0.0005, \"55-64\" = 0.00117, \"65+\" = 0.00333`",
                     "Hazard of death in the age band (ESTIMATE, from an annual mortality of "
                     "0.1%, 0.15%, 0.25%, 0.6%, 1.4% and 4% by band)."),
          age_band_names),
    table_key("behaviour.accidents", "Hazard of a work accident per month by occupation."),
    named(number_key("behaviour.accidents.*", Quantity::hazard, 0, 1, "/month",
                     "`construction = 0.0008, fisher = 0.0006, transport = 0.0006, farmer = "
                     "0.0003, tobacco = 0.0003, waste = 0.0004`, every other occupation "
                     "`0.0001`",
                     "Hazard of a work accident in the occupation (ESTIMATE)."),
          occupation_names),

    // ---- [benefits] ----
    table_key("benefits", "What the scheme pays out and what a self-payer pays."),
    rupiah_key("benefits.jkm_idr", "IDR", "`42_000_000`", "JKM death benefit (PP 82/2019)."),
    rupiah_key("benefits.jkm_waiting_idr", "IDR", "`10_000_000`",
               "JKM paid when membership is shorter than `jkm_waiting_months` (Permenaker "
               "1/2025)."),
    integer_key("benefits.jkm_waiting_months", 0, 24, "months", "`3`",
                "Membership shorter than this pays `jkm_waiting_idr` instead of `jkm_idr`."),
    rupiah_key("benefits.jkk_mean_claim_idr", "IDR", "`5_000_000`",
               "Mean cost of a JKK claim (ESTIMATE; medical care is unlimited)."),
    share_key("benefits.jkk_fatal_share", "`0.02`",
              "Share of work accidents that are fatal (ESTIMATE)."),
    {.path = "benefits.self_premium_idr_per_month",
     .type = KeyType::number,
     .quantity = Quantity::amount,
     .lower = 0,
     .upper = rupiah_per_worker_max,
     .lower_open = true,
     .unit = "IDR",
     .fittable = true,
     .variable = true,
     .default_text = "`16_800`",
     .summary = "What a self-paying BPU pays a month: the JKK + JKM minimum (JKK Rp10,000 + JKM "
                "Rp6,800); Rp36,800 with JHT. Enters self-paid enrolment and lapse through "
                "`behaviour.b_premium` and `behaviour.b_lapse_premium`."},
    number_key("benefits.jkk_death_wage_months", Quantity::amount, 0, 1000, "months", "`48`",
               "JKK death benefit to the heirs of a covered worker killed at work, in monthly "
               "wages (PU) or months of declared income (BPU): 48 (PP 82/2019)."),
    rupiah_key("benefits.pu_wage_idr_per_month", "IDR", "`1_000_000`",
               "Monthly wage of a formal (PU) member that the JKK death benefit multiplies. The "
               "default is the BPU minimum declared income, a floor: set the region's wage."),
    rupiah_key("benefits.bpu_declared_income_idr_per_month", "IDR", "`1_000_000`",
               "Income an informal or vulnerable (BPU) member declares: the minimum, Rp1,000,000, "
               "on which JKK is 1% (Rp10,000)."),
    rupiah_key("benefits.scholarship_max_idr", "IDR", "`174_000_000`",
               "Most that JKK and JKM scholarships pay for the children of a member who dies: "
               "two children from kindergarten to university (PP 82/2019)."),
    share_key("benefits.scholarship_share", "`0.25`",
              "Share of `scholarship_max_idr` that an eligible death's children draw on average, "
              "counting deaths without children at school as 0 (ESTIMATE, docs/PRIORS.md)."),
    integer_key("benefits.scholarship_membership_months", 0, 600, "months", "`36`",
                "Membership a non-work death needs for the JKM scholarship (PP 82/2019: three "
                "years of contributions); a work-accident death needs none."),

    // ---- [[programme]] ----
    table_key("programme", "A funding programme pays the premium of eligible uncovered workers "
                           "for windows of months."),
    with_rule(text_key("programme.*.name", "required",
                       "Used in outputs and to address it with `--set` and `extends`."),
              entry_name),
    {.path = "programme.*.kind",
     .type = KeyType::choice,
     .choices = programme_kind_names,
     .default_text = "required",
     .summary = "Who funds it; for grouping in reports."},
    text_key("programme.*.description", "`\"\"`", "What the programme does, for reports."),
    text_key("programme.*.source", "`\"\"`", "Citation for the figures."),
    with_rule(regions_key("programme.*.regions", "all regions of the scenario",
                          "Where it enrols workers."),
              "in the scenario"),
    choice_key("programme.*.villages", village_scope_names, "`\"all\"`",
               "Dana Desa pays in desa, Dana Kelurahan in kelurahan."),
    rupiah_key("programme.*.premium_idr_per_month", "IDR per worker-month", "`16_800`",
               "Premium it pays per member and month (by default the BPU JKK + JKM minimum)."),
    integer_key("programme.*.quota_workers", 1, workers_max, "workers", "unlimited",
                "Most members at any one time."),
    integer_key("programme.*.sponsors", 1, workers_max, "", "none",
                "Sponsor schemes: number of sponsors. With `workers_per_sponsor` it sets the "
                "quota."),
    integer_key("programme.*.workers_per_sponsor", 1, workers_max, "workers", "none",
                "Sponsor schemes: workers each sponsor pays for."),
    integer_key("programme.*.outreach_per_month", 1, workers_max, "workers/month", "unlimited",
                "Most new enrolments in one month."),
    integer_key("programme.*.quota_per_village", 1, workers_max, "workers", "unlimited",
                "Most members at any one time in each desa or kelurahan it recruits in (of its "
                "`villages`): Dana Desa paid from each village's own allocation. The villages "
                "are the model's synthetic ones, see below."),
    probability_key("programme.*.acceptance", "`0.9`", "An offered worker accepts."),
    share_key("programme.*.fear_acceptance_factor", "`0.5`",
              "Acceptance is multiplied by this for workers who fear losing bansos."),
    coefficient_key("programme.*.b_accept_income", "per income band", "`0`",
                    "Effect of the income band on acceptance: acceptance × exp(`b_accept_income`"
                    "·band + `b_accept_aware`·awareness − `b_accept_member_share`·"
                    "`member_share`), at most 1."),
    coefficient_key("programme.*.b_accept_aware", "per unit awareness", "`0`",
                    "Effect of awareness (0–1) on acceptance."),
    coefficient_key("programme.*.b_accept_member_share", "per unit member share", "`1.4`",
                    "Acceptance falls with the share of the premium the member pays: half a "
                    "premium halves it (ESTIMATE, see below)."),
    choice_key("programme.*.registration", offer_registration_names, "`\"programme\"`",
               "Who registers a worker who accepts: the programme (never fails), the worker "
               "himself (succeeds with the region's `registration_success`) or the worker with "
               "help (`behaviour.assisted_registration_success`)."),
    choice_key("programme.*.targeting", targeting_names, "`\"random\"`",
               "Who is offered first when more are eligible than it can take."),
    {.path = "programme.*.renewal",
     .type = KeyType::boolean,
     .variable = true,
     .default_text = "`true`",
     .summary = "Members roll over into the next window (first, before new workers) if it "
                "starts the month after theirs ends; if quota or budget cannot take them all, a "
                "random priority decides who. Members of a window followed by a gap meet the end "
                "of their subsidy instead."},
    probability_key("programme.*.continue_after_subsidy", "`behaviour.continue_after_subsidy`",
                    "At the end of its funding without renewal, a member continues self-paid "
                    "with this probability."),
    hazard_key("programme.*.member_lapse_per_month", "`0`",
               "Members dropping out during a window (sponsor schemes: a sponsor stops)."),
    with_rule(integer_key("programme.*.months_per_member", 1, 120, "months",
                          "to the end of the window",
                          "Funds each member for this many months from his own enrolment; the "
                          "windows then only say when the offer can be taken up."),
              "not with `renewal = true` or a budget"),
    share_key("programme.*.member_share", "`0`",
              "Share of the premium the member pays himself (a co-payment); the programme pays "
              "the rest."),

    table_key("programme.*.budget_idr_per_year",
              "Budgets per fiscal year; none means no budget limit."),
    with_rule(number_key("programme.*.budget_idr_per_year.*", Quantity::amount, 0,
                         rupiah_per_year_max, "IDR",
                         "with a budget table, a year it does not list has no money",
                         "The budget of the fiscal year (= calendar year) the key names: `2024 = "
                         "206_035_200`."),
              "the key is a year (2000 … 2100) in which one of the programme's windows has a "
              "month"),

    table_key("programme.*.eligibility", "Which workers the programme may enrol."),
    {.path = "programme.*.eligibility.segments",
     .type = KeyType::names,
     .choices = segment_names,
     .default_text = "`[\"vulnerable\"]`",
     .rule = "non-empty, no duplicates",
     .summary = "Segments it enrols."},
    {.path = "programme.*.eligibility.occupations",
     .type = KeyType::names,
     .choices = occupation_names,
     .default_text = "all",
     .rule = "non-empty, no duplicates",
     .summary = "Occupations it enrols."},
    integer_key("programme.*.eligibility.max_income_band", 0, 4, "", "`4`",
                "Highest income band it enrols."),
    integer_key("programme.*.eligibility.min_age_years", 15, 100, "years", "`15`",
                "Youngest age it enrols."),
    with_rule(integer_key("programme.*.eligibility.max_age_years", 15, 100, "years", "`100`",
                          "Oldest age it enrols."),
              "≥ `min_age_years`"),

    table_key("programme.*.window",
              "The windows of months it funds: at least one, in order, not overlapping."),
    month_key("programme.*.window.*.start", "required", "First funded month."),
    with_rule(month_key("programme.*.window.*.end", "required", "Last funded month (inclusive)."),
              "≥ `start`"),
    integer_key("programme.*.window.*.quota_workers", 1, workers_max, "workers", "the programme's",
                "Overrides the programme's quota in this window."),

    // ---- [[policy]] ----
    table_key("policy", "A lever that takes effect from a month."),
    with_rule(text_key("policy.*.name", "required",
                       "Used in outputs and to address it with `--set` and `extends`."),
              entry_name),
    {.path = "policy.*.kind",
     .type = KeyType::choice,
     .choices = policy_kind_names,
     .default_text = "required",
     .summary = "Enforcement of employer registration, or a campaign."},
    text_key("policy.*.description", "`\"\"`", "What the policy does, for reports."),
    text_key("policy.*.source", "`\"\"`", "Citation for the figures."),
    with_rule(regions_key("policy.*.regions", "all regions", "Where it is in force."),
              "in the scenario"),
    month_key("policy.*.start", "required", "First month in force."),
    with_rule(month_key("policy.*.end", "open-ended", "Last month in force."), "≥ `start`"),
    number_key("policy.*.register_multiplier", Quantity::amount, 0, 100, "", "`1`",
               "Enforcement: multiplies `h0_register` (a Perwal, permits and procurement "
               "requiring active membership) for workers of its `occupations`."),
    {.path = "policy.*.occupations",
     .type = KeyType::names,
     .choices = occupation_names,
     .default_text = "all",
     .rule = "non-empty, no duplicates",
     .summary = "Enforcement: the occupations it acts on, through `register_multiplier` and the "
                "permit condition: `[\"construction\"]` for active membership required in "
                "construction tenders and direct appointments (Jakon)."},
    number_key("policy.*.permit_rate", Quantity::rate, 0, 1, "/month", "`0` (off)",
               "Enforcement: hazard that an informal worker (of its `occupations`) takes or "
               "renews a business permit in a month; an uncovered one then enrols as a "
               "self-payer with probability `permit_compliance` (ESTIMATE prior 0.003, "
               "docs/PRIORS.md)."),
    probability_key("policy.*.permit_compliance", "`0.5`",
                    "Enforcement: probability that the permit office requires active "
                    "membership of an uncovered permit-taker (ESTIMATE, docs/PRIORS.md)."),
    share_key("policy.*.awareness_gain", "`0`",
              "Campaign: awareness gained per month (share of 255).", "/month"),
    probability_key("policy.*.fear_reduction", "`0`",
                    "Campaign: a worker who fears losing bansos stops fearing it this month.",
                    "/month"),
    probability_key("policy.*.registration_success", "unchanged",
                    "Campaign with assisted registration: replaces "
                    "`behaviour.registration_success` while in force."),
    with_rule(number_key("policy.*.within_km_of_office", Quantity::amount, 0, 1000, "km",
                         "every village of its regions",
                         "Campaign: its `awareness_gain` and `fear_reduction` reach only the "
                         "desa/kelurahan within this distance of the region's BPJS office "
                         "(distances per village are an ESTIMATE, see below)."),
              "not with `registration_success`"),
    number_key("policy.*.cost_idr_per_month", Quantity::amount, 0, rupiah_per_year_max, "IDR/month",
               "`0`",
               "What it costs a month in force, for all its regions together (staff, printing, "
               "inspections); shared among its regions' workers in `policy_cost_idr`."),
    rupiah_key("policy.*.cost_idr_per_worker_month", "IDR per worker-month", "`0`",
               "What it costs per worker of its regions and month in force: a contact with each "
               "worker it reaches (outreach, a visit, a permit check)."),

    // ---- [[observation]]: data, neither fitted nor varied ----
    table_key("observation", "Observed coverage, for calibration and backtests."),
    text_key("observation.*.row", "none",
             "The id of a `coverage_share` row of `observations.csv` in the data folder: its "
             "region, segment (`all`, `pu` as `formal`, `bpu`), month, value, source and label "
             "become the observation's, so the figure is not copied (give only `weight` "
             "and `error` beside it)."),
    {.path = "observation.*.region",
     .type = KeyType::region,
     .default_text = "required without `row`",
     .rule = "a kab/kota or province in the scenario, or `\"ID\"` for all of it",
     .summary = "Kab/kota, province or the nation."},
    {.path = "observation.*.segment",
     .type = KeyType::choice,
     .choices = segment_group_names,
     .default_text = "`\"all\"`",
     .summary = "Whose coverage: `bpu` is informal and vulnerable together."},
    {.path = "observation.*.month",
     .type = KeyType::month,
     .default_text = "required without `row`",
     .rule = "within the run",
     .summary = "When it was observed."},
    {.path = "observation.*.value",
     .type = KeyType::number,
     .quantity = Quantity::share,
     .lower = 0,
     .upper = 2,
     .default_text = "required without `row`",
     .summary = "The observed coverage."},
    {.path = "observation.*.measure",
     .type = KeyType::choice,
     .choices = coverage_measure_names,
     .default_text = "`\"coverage_share\"`",
     .summary = "`coverage_share` = participants registered in the region / resident workers "
                "(can exceed 1); `resident_coverage` = covered residents / resident workers."},
    with_rule(text_key("observation.*.source", "required without `row`", "Citation."), "non-empty"),
    {.path = "observation.*.status",
     .type = KeyType::choice,
     .choices = evidence_status_names,
     .default_text = "`\"QUOTED\"`",
     .summary = "How exact the figure is."},
    {.path = "observation.*.weight",
     .type = KeyType::number,
     .lower = 0,
     .upper = 1e9,
     .default_text = "`1`",
     .summary = "Weight in the calibration loss."},
    {.path = "observation.*.error",
     .type = KeyType::number,
     .quantity = Quantity::share,
     .lower = 0,
     .upper = 1,
     .default_text = "`0`",
     .summary = "The figure's own uncertainty (share, a half-width): a simulated value within "
                "`value ± error` counts as a match in calibration, the model discrepancy reads "
                "it as an error of its own (uniform, variance error² / 3) beside the model's, "
                "and a held-out point counts as inside a forecast interval that comes within "
                "`error` of it. For a figure whose definition or denominator is not the "
                "model's."},

    // ---- [ulc]: read by forecasts, not by the run, so not fitted ----
    table_key("ulc", "When a region counts as having reached Universal Labour Coverage."),
    {.path = "ulc.threshold",
     .type = KeyType::number,
     .quantity = Quantity::share,
     .lower = 0,
     .upper = 2,
     .lower_open = true,
     .variable = true,
     .default_text = "`1.0`",
     .summary = "100% coverage share (the Sawahlunto usage); set the Kemendagri UCJ target "
                "(Jawa Tengah 0.5149) or 0.995 (RPJPN 2045) instead."},
    choice_key("ulc.measure", coverage_measure_names, "`\"coverage_share\"`",
               "Which coverage the threshold applies to, as for observations."),
};

} // namespace

std::span<const ScenarioKey> scenario_keys() {
    return keys;
}

} // namespace ulcsim
