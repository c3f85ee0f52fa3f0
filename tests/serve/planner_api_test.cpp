// The planner's API (ulcsim/planner_server.hpp) as a page meets it: the validator's messages
// for bad input, the body limit, no file named by a request is read, the downloaded scenario
// reproduces the page's numbers through the compare library, and a newer request from a page
// stops the older one without holding up other requests.

#include "serving.hpp"
#include "support/test_support.hpp"
#include "ulcsim/comparison.hpp"
#include "ulcsim/planner_baseline.hpp"
#include "ulcsim/planner_server.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <gtest/gtest.h>
#include <httplib.h>
#include <thread>

namespace ulcsim {
namespace {

using test::run_program;
using test::Serving;
using test::ScratchDir;

PlannerApi make_api(PlannerLimits limits = {}) {
    limits.threads = 2;
    return PlannerApi(RegionTable::load(RegionTable::default_data_dir()), limits);
}

// Kota Magelang for 24 months with an APBD programme for vulnerable workers in 2025.
PlannerFields magelang_fields(double budget_idr = 300'000'000) {
    return {{"region", "33.71"},
            {"start", "2025-01"},
            {"months", "24"},
            {"replicates", "6"},
            {"seed", "7"},
            {"kind", "apbd_kabkota"},
            {"budget", std::to_string(budget_idr)},
            {"funded_months", "12"},
            {"quota", "0"},
            {"segments", "vulnerable"},
            {"max_income_band", "4"},
            {"member_share", "0.1"}};
}

// The same with a per-desa quota, a regulation (with the construction tender condition and
// the permit condition, at a cost) and an outreach campaign, as the page's controls send them.
PlannerFields magelang_levers_fields(const std::string& quota_per_desa = "40") {
    PlannerFields fields = magelang_fields();
    // Shorter than magelang_fields(): the regulation from 2025-04 acts for eleven months.
    fields.find("months")->second = "14";
    fields.find("replicates")->second = "3";
    const std::vector<std::pair<std::string, std::string>> more{
        {"quota_per_desa", quota_per_desa},
        {"regulation_from", "2025-04"},
        {"regulation_months", "0"},
        {"register_multiplier", "2.5"},
        {"regulation_occupations", "construction"},
        {"permit_rate", "0.003"},
        {"permit_compliance", "0.5"},
        {"regulation_cost", "1000000"},
        {"outreach_from", ""},
        {"outreach_months", "12"},
        {"awareness_gain", "0.03"},
        {"fear_reduction", "0.05"},
        {"registration_success", ""},
        {"within_km_of_office", "5"},
        {"outreach_cost_per_worker", "100"}};
    for (const auto& field : more)
        fields.insert(field);
    return fields;
}

// The number after `"key":` following the first `anchor` in `json` (NaN as null).
double json_number(const std::string& json, const std::string& anchor, const std::string& key) {
    const std::size_t at = json.find(anchor);
    if (at == std::string::npos) throw std::runtime_error("no " + anchor + " in " + json);
    const std::size_t k = json.find("\"" + key + "\":", at);
    if (k == std::string::npos) throw std::runtime_error("no " + key + " after " + anchor);
    const std::string rest = json.substr(k + key.size() + 3);
    if (rest.rfind("null", 0) == 0) return std::nan("");
    return std::stod(rest);
}

TEST(PlannerApi, BadTomlIsRefusedWithTheValidatorsFileLineAndKey) {
    const PlannerApi api = make_api();
    const ApiResponse good = api.scenario_toml(magelang_fields(), false);
    ASSERT_EQ(good.status, 200) << good.body;
    std::string bad = good.body;
    bad.replace(bad.find("[run]\n"), 6, "[run]\nsed = 3\n");
    const ApiResponse answer = api.compare(bad, false, {}, nullptr);
    EXPECT_EQ(answer.status, 400);

    // The same text saved as scenario.toml: `ulcsim validate` says the same, line for line.
    ScratchDir dir;
    const auto file = dir.write("scenario.toml", bad);
    const auto cli = run_program({"validate", file.string()});
    ASSERT_EQ(cli.status, 2) << cli.err;
    std::string expected = cli.err;
    for (std::size_t at; (at = expected.find(dir.path().string() + "/")) != std::string::npos;)
        expected.erase(at, dir.path().string().size() + 1);
    ASSERT_NE(expected.find("run.sed: unknown key"), std::string::npos) << expected;
    const std::string first_line = expected.substr(0, expected.find('\n'));
    EXPECT_NE(answer.body.find(first_line), std::string::npos)
        << answer.body << "\nCLI: " << first_line;
    EXPECT_NE(first_line.find("scenario.toml:"), std::string::npos) << first_line;

    // Not TOML at all.
    const ApiResponse garbage = api.compare("[run\nname = ", false, {}, nullptr);
    EXPECT_EQ(garbage.status, 400);
    EXPECT_NE(garbage.body.find("invalid TOML"), std::string::npos) << garbage.body;
}

TEST(PlannerApi, BadFormFieldsNameTheField) {
    const PlannerApi api = make_api();
    PlannerFields fields = magelang_fields();
    fields.find("kind")->second = "apbd_kota";
    const ApiResponse kind = api.compare("", true, fields, nullptr);
    EXPECT_EQ(kind.status, 400);
    EXPECT_NE(kind.body.find("programme[0].kind: unknown value 'apbd_kota'"), std::string::npos)
        << kind.body;
    fields = magelang_fields();
    fields.find("budget")->second = "lots";
    const ApiResponse budget = api.compare("", true, fields, nullptr);
    EXPECT_EQ(budget.status, 400);
    EXPECT_NE(budget.body.find("programme[0].budget: expected a number"), std::string::npos)
        << budget.body;
    // A range the validator refuses, at the line of the generated scenario.
    fields = magelang_fields();
    fields.find("member_share")->second = "1.5";
    const ApiResponse share = api.compare("", true, fields, nullptr);
    EXPECT_EQ(share.status, 400);
    EXPECT_NE(share.body.find("scenario.toml:"), std::string::npos) << share.body;
    EXPECT_NE(share.body.find("member_share"), std::string::npos) << share.body;
}

TEST(PlannerApi, OversizedBodyIs413) {
    PlannerLimits limits;
    limits.max_body_bytes = 4096;
    const PlannerApi api = make_api(limits);
    const ApiResponse answer = api.compare(std::string(4097, '#'), false, {}, nullptr);
    EXPECT_EQ(answer.status, 413);
    EXPECT_NE(answer.body.find("the limit is 4096"), std::string::npos) << answer.body;
}

TEST(PlannerApi, NothingInARequestNamesAFile) {
    const PlannerApi api = make_api();
    const std::string base = api.scenario_toml(magelang_fields(), true).body;
    const std::string extends = "extends = \"scenarios/kota-magelang-2024.toml\"\n" + base;
    const ApiResponse a = api.compare(extends, false, {}, nullptr);
    EXPECT_EQ(a.status, 400);
    EXPECT_NE(a.body.find("scenario.toml:1:"), std::string::npos) << a.body;
    EXPECT_NE(a.body.find("error: extends: a scenario given as text cannot extend a file"),
              std::string::npos)
        << a.body;
    // The keys whose values are paths: each refused at its line.
    std::string paths = base;
    paths.replace(paths.find("[run]\n"), 6, "[run]\nposterior = \"/etc/passwd\"\n");
    paths.replace(paths.find("[regions]\n"), 10, "[regions]\ndata_dir = \"/tmp\"\n");
    const ApiResponse p = api.compare(paths, false, {}, nullptr);
    EXPECT_EQ(p.status, 400);
    EXPECT_NE(p.body.find("run.posterior: a scenario given as text cannot name a file"),
              std::string::npos)
        << p.body;
    EXPECT_NE(p.body.find("regions.data_dir: a scenario given as text cannot name a file"),
              std::string::npos)
        << p.body;
    // A region "code" that is a path is only an unknown code.
    PlannerFields fields = magelang_fields();
    fields.find("region")->second = "../../etc/passwd";
    const ApiResponse r = api.scenario_toml(fields, false);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("region: unknown region code"), std::string::npos) << r.body;
}

TEST(PlannerApi, LargeAreasRunWithinTheAgentLimit) {
    PlannerLimits limits;
    limits.max_agents = 20'000;
    const PlannerApi api = make_api(limits);
    PlannerFields fields = magelang_fields();
    fields.find("region")->second = "33"; // Jawa Tengah, about 19 million workers
    fields.find("kind")->second = "apbd_province";
    const ApiResponse toml = api.scenario_toml(fields, false);
    ASSERT_EQ(toml.status, 200) << toml.body;
    const Scenario s = load_scenario_text(toml.body, "scenario.toml");
    EXPECT_LE(starting_agents(s), limits.max_agents);
    EXPECT_GT(starting_agents(s), limits.max_agents * 9 / 10);
    // The same area at one agent per worker, given as text, is refused with what to set.
    std::string whole = toml.body;
    whole.replace(whole.find("scale = "),
                  whole.find('\n', whole.find("scale = ")) - whole.find("scale = "), "scale = 1");
    const ApiResponse refused = api.compare(whole, false, {}, nullptr);
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("population.scale: "), std::string::npos) << refused.body;
    EXPECT_NE(refused.body.find("the server simulates at most 20000"), std::string::npos)
        << refused.body;
}

TEST(PlannerApi, PerDesaQuotaRegulationAndOutreachBecomeTheScenariosKeys) {
    const PlannerApi api = make_api();
    const ApiResponse toml = api.scenario_toml(magelang_levers_fields(), false);
    ASSERT_EQ(toml.status, 200) << toml.body;
    const Scenario s = load_scenario_text(toml.body, "scenario.toml");
    ASSERT_EQ(s.programmes.size(), 1u);
    EXPECT_EQ(s.programmes[0].quota_per_village, 40);
    ASSERT_EQ(s.policies.size(), 2u);
    const Policy& regulation = s.policies[0];
    EXPECT_EQ(regulation.kind, PolicyKind::enforcement);
    EXPECT_EQ(regulation.start, (Month{2025, 4}));
    EXPECT_FALSE(regulation.end.has_value());
    EXPECT_EQ(regulation.register_multiplier, 2.5);
    for (std::size_t o = 0; o < occupation_count; ++o)
        EXPECT_EQ(regulation.occupations[o], occupation_names[o] == "construction")
            << occupation_names[o];
    EXPECT_EQ(regulation.permit_rate, 0.003);
    EXPECT_EQ(regulation.permit_compliance, 0.5);
    EXPECT_EQ(regulation.cost_idr_per_month, 1e6);
    const Policy& outreach = s.policies[1];
    EXPECT_EQ(outreach.kind, PolicyKind::campaign);
    EXPECT_EQ(outreach.start, (Month{2025, 1}));
    EXPECT_EQ(outreach.end, (Month{2025, 12}));
    EXPECT_EQ(outreach.awareness_gain, 0.03);
    EXPECT_EQ(outreach.fear_reduction, 0.05);
    EXPECT_FALSE(outreach.registration_success.has_value());
    EXPECT_EQ(outreach.within_km_of_office, 5.0);
    EXPECT_EQ(outreach.cost_idr_per_worker_month, 100);
    // The baseline has none of them.
    const Scenario baseline =
        load_scenario_text(api.scenario_toml(magelang_levers_fields(), true).body, "baseline.toml");
    EXPECT_TRUE(baseline.programmes.empty());
    EXPECT_TRUE(baseline.policies.empty());

    // Values the validator refuses are refused at their line, as `ulcsim validate` says.
    PlannerFields fields = magelang_levers_fields();
    fields.find("register_multiplier")->second = "500";
    const ApiResponse multiplier = api.compare("", true, fields, nullptr);
    EXPECT_EQ(multiplier.status, 400);
    EXPECT_NE(multiplier.body.find("scenario.toml:"), std::string::npos) << multiplier.body;
    EXPECT_NE(multiplier.body.find("policy[0].register_multiplier"), std::string::npos)
        << multiplier.body;
    fields = magelang_levers_fields("-3");
    const ApiResponse quota = api.compare("", true, fields, nullptr);
    EXPECT_EQ(quota.status, 400);
    EXPECT_NE(quota.body.find("programme[0].quota_per_village"), std::string::npos) << quota.body;
    // Fields that are not numbers or names are named as the page's entries.
    fields = magelang_levers_fields();
    fields.find("regulation_occupations")->second = "builders";
    const ApiResponse occupation = api.compare("", true, fields, nullptr);
    EXPECT_EQ(occupation.status, 400);
    EXPECT_NE(occupation.body.find("regulation[0].occupations: unknown value 'builders'"),
              std::string::npos)
        << occupation.body;
    fields = magelang_levers_fields();
    fields.find("awareness_gain")->second = "some";
    const ApiResponse gain = api.compare("", true, fields, nullptr);
    EXPECT_EQ(gain.status, 400);
    EXPECT_NE(gain.body.find("outreach[0].awareness_gain: expected a number, got 'some'"),
              std::string::npos)
        << gain.body;
    // A request has at most 64 of each.
    fields = magelang_levers_fields();
    for (int i = 0; i < 64; ++i)
        fields.insert({"permit_rate", "0"});
    const ApiResponse many = api.scenario_toml(fields, false);
    EXPECT_EQ(many.status, 400);
    EXPECT_NE(many.body.find("regulation: 65 regulations; a request has at most 64"),
              std::string::npos)
        << many.body;
    // A second campaign given by one field only: its other fields take their defaults.
    fields = magelang_levers_fields();
    fields.insert({"awareness_gain", "0.01"});
    const Scenario two = load_scenario_text(api.scenario_toml(fields, false).body, "s.toml");
    ASSERT_EQ(two.policies.size(), 3u);
    EXPECT_EQ(two.policies[2].awareness_gain, 0.01);
    EXPECT_EQ(two.policies[2].fear_reduction, 0);
}

TEST(PlannerApi, APerDesaQuotaBindsTheProgrammeAndPoliciesCostWhatTheySay) {
    const PlannerApi api = make_api();
    const RegionTable regions = RegionTable::load(RegionTable::default_data_dir());
    const int villages = regions.regions()[*regions.find_region("33.71")].villages();
    ASSERT_GT(villages, 0);
    // Fourteen months, two replicates: enough to see each effect.
    const auto levers = [](const std::string& quota_per_desa) {
        PlannerFields fields = magelang_levers_fields(quota_per_desa);
        fields.find("months")->second = "14";
        fields.find("replicates")->second = "2";
        return fields;
    };
    // Two members in each of Kota Magelang's kelurahan at most: the programme (nine tenths
    // of Rp16,800 a member-month, 12 months) spends at most villages × 2 × 12 × 15,120.
    const ApiResponse bound = api.compare("", true, levers("2"), nullptr);
    ASSERT_EQ(bound.status, 200) << bound.body;
    const double most = villages * 2.0 * 12 * 16'800 * 0.9;
    const double spent = json_number(bound.body, "\"source\":\"apbd_kabkota\"", "p95");
    EXPECT_GT(spent, 0);
    EXPECT_LE(spent, most * (1 + 1e-9));
    const ApiResponse free = api.compare("", true, levers("0"), nullptr);
    ASSERT_EQ(free.status, 200) << free.body;
    EXPECT_GT(json_number(free.body, "\"source\":\"apbd_kabkota\"", "mean"), 2 * most);
    // The regulation's Rp1 million a month from 2025-04 to the end (11 months) and the
    // campaign's Rp100 per worker-month over 2025 are the "policies" source.
    const double policies = json_number(bound.body, "\"source\":\"policies\"", "mean");
    const double workers =
        static_cast<double>(regions.regions()[*regions.find_region("33.71")].employed_workers);
    EXPECT_GT(policies, 11e6 * (1 + 1e-9));
    EXPECT_LE(policies, 11e6 + 12 * 100.0 * workers * 1.5);
    // The regulation acts: with it, more workers are covered at the end than without.
    PlannerFields regulation_only = levers("2");
    regulation_only.find("awareness_gain")->second = "0";
    regulation_only.find("fear_reduction")->second = "0";
    regulation_only.find("outreach_cost_per_worker")->second = "0";
    regulation_only.find("budget")->second = "1"; // a programme that can pay almost nobody
    const ApiResponse acting = api.compare("", true, regulation_only, nullptr);
    ASSERT_EQ(acting.status, 200) << acting.body;
    const std::string worker_months =
        acting.body.substr(acting.body.find("\"name\":\"covered_worker_months\""));
    EXPECT_GT(json_number(worker_months, "\"difference\"", "p05"), 0) << acting.body.substr(0, 400);
}

TEST(PlannerApi, TheDownloadedScenarioReproducesTheNumbersThroughTheCompareLibrary) {
    for (const PlannerFields& fields : {magelang_fields(), magelang_levers_fields()}) {
        SCOPED_TRACE(fields.count("register_multiplier") ? "with regulation and outreach"
                                                         : "a programme");
        const PlannerApi api = make_api();
        const ApiResponse answer = api.compare("", true, fields, nullptr);
        ASSERT_EQ(answer.status, 200) << answer.body;

        ScratchDir dir;
        const auto policy_file = dir.write("scenario.toml", api.scenario_toml(fields, false).body);
        const auto baseline_file = dir.write("baseline.toml", api.scenario_toml(fields, true).body);
        const std::vector<Scenario> scenarios{load_scenario(baseline_file),
                                              load_scenario(policy_file)};
        OutcomeSettings settings;
        settings.start = scenarios[1].run.start;
        settings.months = scenarios[1].run.months;
        settings.coverage_months = default_coverage_months(settings.start, settings.months);
        settings.policy_costs = any_policy_costs(scenarios);
        const auto measures = outcome_measures(settings);
        ExecutionContext context;
        context.threads = 2;
        const MeasuredScenarios measured =
            measure_scenarios(scenarios, static_cast<std::uint32_t>(scenarios[1].run.replicates),
                              settings, runner_on(context));

        const auto expect_same = [](double shown, double expected, const std::string& what) {
            if (std::isnan(expected))
                EXPECT_TRUE(std::isnan(shown)) << what;
            else
                EXPECT_DOUBLE_EQ(shown, expected) << what;
        };
        for (std::size_t m = 0; m < measures.size(); ++m) {
            // The measure's object: its baseline, policy and difference intervals.
            const std::size_t at = answer.body.find("\"name\":\"" + measures[m].name + "\"");
            ASSERT_NE(at, std::string::npos) << measures[m].name;
            const std::size_t end = answer.body.find('}', answer.body.find("\"difference\"", at));
            const std::string object = answer.body.substr(at, end - at + 1);
            for (const std::size_t statistic : {0, 2, 8}) {
                const std::string key = statistic == 0 ? "mean" : statistic == 2 ? "p05" : "p95";
                expect_same(json_number(object, "\"baseline\"", key),
                            measured.levels[0][m][statistic],
                            measures[m].name + " baseline " + key);
                expect_same(json_number(object, "\"policy\"", key),
                            measured.levels[1][m][statistic], measures[m].name + " policy " + key);
                expect_same(json_number(object, "\"difference\"", key),
                            measured.differences[1][m][statistic],
                            measures[m].name + " difference " + key);
            }
        }

        // The programme acts: it covers workers and spends money, and paired differences show it.
        EXPECT_GT(json_number(answer.body, "\"workers_added_at_funding_end\"", "mean"), 100);
        const std::string worker_months =
            answer.body.substr(answer.body.find("\"name\":\"covered_worker_months\""));
        EXPECT_GT(json_number(worker_months, "\"difference\"", "mean"), 0);
        EXPECT_GT(json_number(answer.body, "\"source\":\"apbd_kabkota\"", "mean"), 0);
        // Members pay a tenth of the premium, the programme nine tenths.
        EXPECT_NEAR(json_number(answer.body, "\"source\":\"member\"", "mean") * 9,
                    json_number(answer.body, "\"source\":\"apbd_kabkota\"", "mean"),
                    json_number(answer.body, "\"source\":\"apbd_kabkota\"", "mean") * 1e-9);
        // The budget binds: spending is within 2025's budget.
        EXPECT_LE(json_number(answer.body, "\"source\":\"apbd_kabkota\"", "p95"),
                  300'000'000 * 1.0001);
    }
}

// A programme, a regulation in force since before the run (2024-07: the status quo) and one
// from within it (2025-03: a lever), Kota Magelang for six months.
PlannerFields status_quo_fields() {
    PlannerFields fields = magelang_fields();
    fields.find("months")->second = "6";
    fields.find("replicates")->second = "2";
    for (const char* from : {"2024-07", "2025-03"}) {
        fields.insert({"regulation_from", from});
        fields.insert({"register_multiplier", "3"});
    }
    return fields;
}

TEST(PlannerBaseline, APolicyInForceBeforeTheRunStaysAndOneWithinItGoesInReportAndServe) {
    const PlannerApi api = make_api();
    const PlannerFields fields = status_quo_fields();
    const std::string scenario = api.scenario_toml(fields, false).body;
    const std::string baseline = api.scenario_toml(fields, true).body;
    EXPECT_NE(baseline.find("name = \"regulation-1\""), std::string::npos) << baseline;
    EXPECT_EQ(baseline.find("regulation-2"), std::string::npos) << baseline;
    EXPECT_EQ(baseline.find("[[programme]]"), std::string::npos) << baseline;

    // The library's rule, on the scenario itself.
    const Scenario policy = load_scenario_text(scenario, "scenario.toml");
    EXPECT_EQ(planner_baseline_overrides(policy),
              (std::vector<std::string>{"programme=[]", "remove_policies=[\"regulation-2\"]"}));
    const Scenario base = planner_baseline(policy);
    EXPECT_TRUE(base.programmes.empty());
    ASSERT_EQ(base.policies.size(), 1u);
    EXPECT_EQ(base.policies[0].name, "regulation-1");
    const std::string levers =
        "\"baseline_levers\":{\"removed\":[{\"kind\":\"programme\",\"name\":\"programme-1\","
        "\"start\":\"2025-01\"},{\"kind\":\"policy\",\"name\":\"regulation-2\",\"start\":"
        "\"2025-03\"}],\"kept\":[{\"kind\":\"policy\",\"name\":\"regulation-1\",\"start\":"
        "\"2024-07\"}]}";
    EXPECT_EQ(
        baseline_contents_line(baseline_contents(scenario_levers(policy), scenario_levers(base))),
        "The baseline removes programme programme-1 (from 2025-01) and policy regulation-2 "
        "(from 2025-03); it keeps policy regulation-1 (in force from 2024-07).");

    // Serve: the page's comparison says so, and its workers added are against that baseline.
    const ApiResponse served = api.compare("", true, fields, nullptr);
    ASSERT_EQ(served.status, 200) << served.body;
    EXPECT_NE(served.body.find(levers), std::string::npos) << served.body.substr(0, 400);
    const std::string measure = served.body.substr(served.body.find("\"covered_worker_months\""));
    const double served_added = json_number(measure, "\"difference\"", "mean");

    // Report: a run of the same scenario, summarised against the baseline the report makes.
    ScratchDir dir;
    const auto file = dir.write("scenario.toml", scenario);
    const auto run = dir.path() / "run.h5";
    const auto page = dir.path() / "page.html";
    const auto made = run_program({"run", file.string(), "-o", run.string(), "--quiet"});
    ASSERT_EQ(made.status, 0) << made.err;
    const auto reported = run_program({"report", run.string(), "-o", page.string()});
    ASSERT_EQ(reported.status, 0) << reported.err;
    const std::string html = test::read_file(page);
    EXPECT_NE(html.find(levers), std::string::npos);
    const double report_added =
        json_number(html.substr(html.find("\"summaries\":[")), "\"added_worker_months\"", "mean");
    // The same workers added: one baseline, paired replicate by replicate in both.
    EXPECT_GT(served_added, 0);
    EXPECT_NEAR(report_added, served_added, 1e-9 * served_added);

    // Against a baseline without the regulation of 2024-07 as well, the levers would be
    // credited with what it does: the difference is another.
    const std::vector<Scenario> bare{
        load_scenario_text(scenario, "scenario.toml", {"programme=[]", "policy=[]"}), policy};
    OutcomeSettings settings;
    settings.start = policy.run.start;
    settings.months = policy.run.months;
    settings.coverage_months = default_coverage_months(settings.start, settings.months);
    settings.policy_costs = any_policy_costs(bare);
    const auto measures = outcome_measures(settings);
    ExecutionContext context;
    context.threads = 2;
    const MeasuredScenarios measured = measure_scenarios(bare, 2, settings, runner_on(context));
    const auto at = std::find_if(measures.begin(), measures.end(), [](const OutcomeMeasure& m) {
        return m.name == "covered_worker_months";
    });
    ASSERT_NE(at, measures.end());
    const double bare_added =
        measured.differences[1][static_cast<std::size_t>(at - measures.begin())][0];
    EXPECT_GT(bare_added, served_added * 1.05) << served_added;
}

TEST(PlannerApi, AStoppedComparisonIs409) {
    const PlannerApi api = make_api();
    const std::atomic<bool> stop{true};
    const ApiResponse answer = api.compare("", true, magelang_fields(), &stop);
    EXPECT_EQ(answer.status, 409);
}

TEST(PlannerServer, ANewerRequestStopsTheOlderOneAndOthersAreServedMeanwhile) {
    PlannerLimits limits;
    limits.threads = 1;
    limits.max_body_bytes = 64 * 1024;
    PlannerServer server(PlannerApi(RegionTable::load(RegionTable::default_data_dir()), limits));
    const int port = server.bind("127.0.0.1", 0);
    ASSERT_GT(port, 0);
    std::thread serving([&] { server.listen(); });
    struct Stop {
        PlannerServer& s;
        std::thread& t;
        ~Stop() {
            s.stop();
            t.join();
        }
    } stop{server, serving};

    const auto form = [](const PlannerFields& fields) {
        std::string body;
        for (const auto& [k, v] : fields)
            body += (body.empty() ? "" : "&") + k + "=" + v;
        return body;
    };
    // A slow comparison: a province, the most replicates, ten years.
    PlannerFields slow = magelang_fields();
    slow.find("region")->second = "33";
    slow.find("kind")->second = "apbd_province";
    slow.find("replicates")->second = "50";
    slow.find("months")->second = "120";
    auto older = std::async(std::launch::async, [&] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(600, 0);
        return client.Post("/api/compare?session=page1", form(slow),
                           "application/x-www-form-urlencoded");
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));

    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(600, 0);
    // Another request is answered while the slow one runs.
    const auto t0 = std::chrono::steady_clock::now();
    const auto regions = client.Get("/api/regions");
    ASSERT_TRUE(regions);
    EXPECT_EQ(regions->status, 200);
    EXPECT_NE(regions->body.find("\"code\":\"33.71\""), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
    EXPECT_EQ(older.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
        << "the slow comparison ended before the newer request was sent";

    // The page's newer comparison stops the older one, which answers 409.
    const auto newer = client.Post("/api/compare?session=page1", form(magelang_fields()),
                                   "application/x-www-form-urlencoded");
    ASSERT_TRUE(newer);
    EXPECT_EQ(newer->status, 200) << newer->body;
    const auto old_answer = older.get();
    ASSERT_TRUE(old_answer);
    EXPECT_EQ(old_answer->status, 409) << old_answer->body;

    // The body limit is the server's too, and the page is served from the program.
    const auto big = client.Post("/api/compare", std::string(70 * 1024, '#'), "application/toml");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    const auto page = client.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("<script src=\"/planner.js\">"), std::string::npos);
    const auto missing = client.Get("/../../etc/passwd");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
}

std::string form_of(const PlannerFields& fields) {
    std::string body;
    for (const auto& [k, v] : fields)
        body += (body.empty() ? "" : "&") + k + "=" + v;
    return body;
}

// A comparison that runs for many seconds on one thread: Jawa Tengah, 50 replicates, ten years.
PlannerFields slow_fields() {
    PlannerFields slow = magelang_fields();
    slow.find("region")->second = "33";
    slow.find("kind")->second = "apbd_province";
    slow.find("replicates")->second = "50";
    slow.find("months")->second = "120";
    return slow;
}

struct Progress {
    std::string state;
    double fraction = -1;
};

Progress progress_of(int port, const std::string& run) {
    httplib::Client client("127.0.0.1", port);
    const auto r = client.Get("/api/progress?run=" + run);
    if (!r || r->status != 200) return {};
    const auto at = r->body.find("\"state\":\"");
    const auto end = r->body.find('"', at + 9);
    return {r->body.substr(at + 9, end - at - 9), json_number(r->body, "\"run\"", "fraction")};
}

// Polls until `condition` holds of the run's progress, for at most `seconds`.
template <class Condition>
Progress wait_progress(int port, const std::string& run, Condition condition, double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    Progress p = progress_of(port, run);
    while (!condition(p) && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        p = progress_of(port, run);
    }
    return p;
}

std::future<httplib::Result> post_compare(int port, const std::string& query,
                                          const PlannerFields& fields) {
    return std::async(std::launch::async, [port, query, body = form_of(fields)] {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(600, 0);
        return client.Post("/api/compare?" + query, body, "application/x-www-form-urlencoded");
    });
}

TEST(PlannerServer, ProgressRisesTo100AndAStoppedRunStopsWhereItWas) {
    PlannerLimits limits;
    limits.threads = 1;
    limits.max_agents = 20'000;
    const Serving server(limits);
    ASSERT_GT(server.port(), 0);

    // A run the server has not heard of (yet) is "unknown"; a bad id is refused.
    EXPECT_EQ(progress_of(server.port(), "never-sent").state, "unknown");
    httplib::Client client("127.0.0.1", server.port());
    // Comparisons wait for their turn behind others: far longer than httplib's 5 s under
    // the sanitizers on a loaded machine.
    client.set_read_timeout(600, 0);
    const auto bad = client.Get("/api/progress?run=..%2Fetc");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);

    // A comparison of a province at 20,000 agents, 4 replicates, 24 months: followed from
    // start to end, its fraction only rises, and ends at 1 when it is done.
    PlannerFields province = magelang_fields();
    province.find("region")->second = "33";
    province.find("kind")->second = "apbd_province";
    province.find("replicates")->second = "4";
    auto answer = post_compare(server.port(), "session=p1&run=first", province);
    std::vector<double> seen;
    Progress p;
    do {
        p = progress_of(server.port(), "first");
        if (p.state == "running") seen.push_back(p.fraction);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (p.state != "done" && p.state != "failed" &&
             answer.wait_for(std::chrono::seconds(0)) != std::future_status::ready);
    const auto result = answer.get();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200) << result->body.substr(0, 300);
    p = progress_of(server.port(), "first");
    EXPECT_EQ(p.state, "done");
    EXPECT_EQ(p.fraction, 1.0);
    ASSERT_GE(seen.size(), 3u) << "too few polls while it ran";
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    EXPECT_GT(seen.back(), seen.front());
    EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](double f) { return f > 0 && f < 1; }));

    // A slow run, stopped by a newer request of its page: "stopped", and it goes no further.
    auto older = post_compare(server.port(), "session=p1&run=older", slow_fields());
    p = wait_progress(
        server.port(), "older",
        [](const Progress& q) { return q.state == "running" && q.fraction > 0; }, 60);
    ASSERT_EQ(p.state, "running");
    const auto newer = client.Post("/api/compare?session=p1&run=newer", form_of(magelang_fields()),
                                   "application/x-www-form-urlencoded");
    ASSERT_TRUE(newer);
    EXPECT_EQ(newer->status, 200);
    const auto old_answer = older.get();
    ASSERT_TRUE(old_answer);
    EXPECT_EQ(old_answer->status, 409);
    const Progress stopped = progress_of(server.port(), "older");
    EXPECT_EQ(stopped.state, "stopped");
    EXPECT_LT(stopped.fraction, 0.5);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(progress_of(server.port(), "older").fraction, stopped.fraction);
    const Progress done = progress_of(server.port(), "newer");
    EXPECT_EQ(done.state, "done");
    EXPECT_EQ(done.fraction, 1.0);
}

TEST(PlannerServer, BeyondTheRunningAndWaitingComparisonsA503WithRetryAfter) {
    PlannerLimits limits;
    limits.threads = 1;
    limits.max_running = 1;
    limits.max_waiting = 1;
    // Every client here is 127.0.0.1: the bound per client is planner_bounds_test's.
    limits.max_per_client = 2;
    limits.max_agents = 20'000;
    const Serving server(limits);
    ASSERT_GT(server.port(), 0);
    httplib::Client client("127.0.0.1", server.port());
    // Comparisons wait for their turn behind others: far longer than httplib's 5 s under
    // the sanitizers on a loaded machine.
    client.set_read_timeout(600, 0);
    // A comparison the server then holds for the downloads.
    const auto warm = client.Post("/api/compare?session=w&run=warm", form_of(magelang_fields()),
                                  "application/x-www-form-urlencoded");
    ASSERT_TRUE(warm);
    ASSERT_EQ(warm->status, 200);

    // One slow comparison runs, a small one waits for its turn: the server is full.
    auto slow = post_compare(server.port(), "session=a&run=slow", slow_fields());
    ASSERT_EQ(wait_progress(
                  server.port(), "slow", [](const Progress& q) { return q.state == "running"; }, 60)
                  .state,
              "running");
    auto waiting = post_compare(server.port(), "session=b&run=waiting", magelang_fields());
    ASSERT_EQ(
        wait_progress(
            server.port(), "waiting", [](const Progress& q) { return q.state == "waiting"; }, 30)
            .state,
        "waiting");

    // A third is refused at once, saying when to try again.
    const auto t0 = std::chrono::steady_clock::now();
    const auto refused =
        client.Post("/api/compare?session=c&run=refused", form_of(magelang_fields()),
                    "application/x-www-form-urlencoded");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
    EXPECT_EQ(refused->get_header_value("Retry-After"), "2");
    EXPECT_EQ(refused->get_header_value("Content-Type"), "application/json");
    EXPECT_EQ(refused->body, "{\"errors\":[\"the server is busy: as many comparisons are "
                             "running (1) and waiting (1) as it takes; try again in 2 s\"]}");
    EXPECT_EQ(progress_of(server.port(), "refused").state, "unknown");

    // A download of a comparison the server does not hold would have to run it: refused
    // alike. One of the comparison it holds is made from that at once.
    PlannerFields other = magelang_fields();
    other.find("seed")->second = "8";
    for (const char* route : {"/api/results.xlsx?", "/api/report.html?"}) {
        const auto busy = client.Get(route + form_of(other));
        ASSERT_TRUE(busy);
        EXPECT_EQ(busy->status, 503) << route;
        EXPECT_EQ(busy->get_header_value("Retry-After"), "2");
        const auto held = client.Get(route + form_of(magelang_fields()));
        ASSERT_TRUE(held);
        EXPECT_EQ(held->status, 200) << route << held->body.substr(0, 300);
        EXPECT_GT(held->body.size(), 1000u);
    }

    // Cheap requests are answered meanwhile.
    const auto page = client.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    const auto health = client.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_EQ(health->body.rfind("{\"status\":\"ok\",\"running\":1,\"waiting\":1,\"max_running\":1,"
                                 "\"max_waiting\":1,\"max_per_client\":2,\"memory_bytes\":",
                                 0),
              0u)
        << health->body;
    const auto toml = client.Get("/api/scenario.toml?region=33.71");
    ASSERT_TRUE(toml);
    EXPECT_EQ(toml->status, 200);

    // The slow one's page moves on: its newer request takes the place the slow one gives up
    // (no 503), the waiting one runs, and everything ends.
    const auto newer = client.Post("/api/compare?session=a&run=newer", form_of(magelang_fields()),
                                   "application/x-www-form-urlencoded");
    ASSERT_TRUE(newer);
    EXPECT_EQ(newer->status, 200) << newer->body.substr(0, 300);
    const auto slow_answer = slow.get();
    ASSERT_TRUE(slow_answer);
    EXPECT_EQ(slow_answer->status, 409);
    const auto waited = waiting.get();
    ASSERT_TRUE(waited);
    EXPECT_EQ(waited->status, 200);
    const auto after = client.Get("/api/health");
    ASSERT_TRUE(after);
    EXPECT_NE(after->body.find("\"running\":0,\"waiting\":0"), std::string::npos) << after->body;
}

} // namespace
} // namespace ulcsim
