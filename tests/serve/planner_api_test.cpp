// The planner's API (ulcsim/planner_server.hpp) as a page meets it: the validator's messages
// for bad input, the body limit, no file named by a request is read, the downloaded scenario
// reproduces the page's numbers through the compare library, and a newer request from a page
// stops the older one without holding up other requests.

#include "support/test_support.hpp"
#include "ulcsim/comparison.hpp"
#include "ulcsim/planner_server.hpp"

#include <chrono>
#include <cmath>
#include <future>
#include <gtest/gtest.h>
#include <httplib.h>
#include <thread>

namespace ulcsim {
namespace {

using test::run_program;
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

TEST(PlannerApi, TheDownloadedScenarioReproducesTheNumbersThroughTheCompareLibrary) {
    const PlannerApi api = make_api();
    const PlannerFields fields = magelang_fields();
    const ApiResponse answer = api.compare("", true, fields, nullptr);
    ASSERT_EQ(answer.status, 200) << answer.body;

    ScratchDir dir;
    const auto policy_file = dir.write("scenario.toml", api.scenario_toml(fields, false).body);
    const auto baseline_file = dir.write("baseline.toml", api.scenario_toml(fields, true).body);
    const std::vector<Scenario> scenarios{load_scenario(baseline_file), load_scenario(policy_file)};
    OutcomeSettings settings;
    settings.start = scenarios[1].run.start;
    settings.months = scenarios[1].run.months;
    settings.coverage_months = default_coverage_months(settings.start, settings.months);
    const auto measures = outcome_measures(settings);
    ExecutionContext context;
    context.threads = 2;
    const MeasuredScenarios measured =
        measure_scenarios(scenarios, 6, settings, runner_on(context));

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
            expect_same(json_number(object, "\"baseline\"", key), measured.levels[0][m][statistic],
                        measures[m].name + " baseline " + key);
            expect_same(json_number(object, "\"policy\"", key), measured.levels[1][m][statistic],
                        measures[m].name + " policy " + key);
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
    EXPECT_LE(json_number(answer.body, "\"source\":\"apbd_kabkota\"", "p95"), 300'000'000 * 1.0001);
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

} // namespace
} // namespace ulcsim
