#include "calibration_options.hpp"

#include "commands.hpp"
#include "terminal_format.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/summary.hpp"
#include "ulcsim/vary.hpp"
#include "ulcsim/version.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// A number for a person: 4 significant digits.
std::string number(double v) {
    if (std::isnan(v)) return "n/a";
    std::ostringstream out;
    out << std::setprecision(4) << v;
    return out.str();
}

/// A number for a scenario file: enough digits to round-trip what was fitted to 10
/// significant digits, and always a TOML float.
std::string toml_number(double v) {
    std::ostringstream out;
    out << std::setprecision(10) << v;
    std::string text = out.str();
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    return text;
}

/// "mean [p05, p95]" of parameter i's posterior.
std::string posterior_summary(const AbcPosterior& posterior, const Eigen::VectorXd& mean,
                              std::size_t i) {
    return number(mean[static_cast<Eigen::Index>(i)]) + " [" +
           number(weighted_quantile(posterior, i, 0.05)) + ", " +
           number(weighted_quantile(posterior, i, 0.95)) + "]";
}

std::string percentage_points(double share_difference) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << share_difference * 100 << " pp";
    return out.str();
}

std::string observation_label(const Observation& o) {
    return o.region_code + " " +
           std::string(segment_group_names[static_cast<std::size_t>(o.segment)]) + " " +
           o.month.to_string();
}

double parse_bound(const std::string& prior, const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(v))
        throw UsageError("--prior " + prior + ": expected KEY=LOW:HIGH with numbers");
    return v;
}

} // namespace

void CalibrationCommandOptions::add_to(po::options_description& options) {
    options.add_options()("fit", po::value<std::vector<std::string>>(&fit)->composing(),
                          "parameters to fit, comma-separated (repeatable): any key `ulcsim keys "
                          "--fittable` lists, behaviour keys also by their own name (h0_self, "
                          "h_lapse), programme keys by the programme's name "
                          "(programme.NAME.continue_after_subsidy)")(
        "prior", po::value<std::vector<std::string>>(&priors)->composing(),
        "prior range of a fitted parameter, KEY=LOW:HIGH within the key's range (repeatable; "
        "default: shares 0–1, hazards, rates and amounts the scenario's value ÷5 … ×5, "
        "coefficients ± max(1, 2×|value|))")("evaluations", po::value<int>(&evaluations),
                                             "Nelder–Mead loss evaluations at most (default 200)")(
        "loss-replicates", po::value<int>(&loss_replicates),
        "replicates averaged in each loss evaluation, common random numbers (default 4)")(
        "particles", po::value<int>(&particles),
        "ABC-SMC particles for the posterior (default 100; 0: point estimate only)")(
        "generations", po::value<int>(&generations), "ABC-SMC generations at most (default 10)")(
        "tolerance", po::value<double>(&tolerance_pp),
        "ABC-SMC stops at this root mean squared error, in percentage points (default 0.5: "
        "the rounding of a share quoted in whole percent)");
}

std::vector<CalibrationParameter>
CalibrationCommandOptions::parameters(const Scenario& scenario) const {
    std::vector<CalibrationParameter> parameters;
    for (const std::string& list : fit) {
        std::stringstream items(list);
        std::string item;
        while (std::getline(items, item, ',')) {
            item = trimmed(item);
            if (item.empty()) continue;
            CalibrationParameter p;
            try {
                p = calibration_parameter(scenario, item);
            } catch (const std::invalid_argument& e) {
                throw UsageError(std::string("--fit: ") + e.what());
            }
            for (const CalibrationParameter& q : parameters)
                if (q.key == p.key) throw UsageError("--fit: " + p.key + " is named twice");
            parameters.push_back(p);
        }
    }
    if (parameters.empty())
        throw UsageError(
            "no parameters to fit: give --fit KEY[,KEY…] (e.g. --fit h0_self,h_lapse)");
    for (const std::string& prior : priors) {
        const auto equals = prior.find('='), colon = prior.find(':', equals);
        if (equals == std::string::npos || colon == std::string::npos)
            throw UsageError("--prior " + prior + ": expected KEY=LOW:HIGH");
        std::string key;
        try {
            key = calibration_parameter(scenario, trimmed(prior.substr(0, equals))).key;
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--prior: ") + e.what());
        }
        const auto p = std::find_if(parameters.begin(), parameters.end(),
                                    [&](const CalibrationParameter& q) { return q.key == key; });
        if (p == parameters.end())
            throw UsageError("--prior " + prior + ": " + key +
                             " is not among the --fit parameters");
        const double low =
            parse_bound(prior, trimmed(prior.substr(equals + 1, colon - equals - 1)));
        const double high = parse_bound(prior, trimmed(prior.substr(colon + 1)));
        if (!(low < high)) throw UsageError("--prior " + prior + ": LOW must be below HIGH");
        // Every point of the prior must make a valid scenario.
        const ScenarioKey& k = *find_scenario_key(key);
        if (low < k.lower || (k.lower_open && low <= k.lower) || high > k.upper)
            throw UsageError("--prior " + prior + ": outside the range of " + key + " (" +
                             number(k.lower) + " … " + number(k.upper) + ")");
        p->prior = {low, high};
    }
    // The search starts from the scenario's value, or the nearest point of the prior.
    for (CalibrationParameter& p : parameters)
        p.start = std::clamp(p.start, p.prior.lower, p.prior.upper);
    return parameters;
}

CalibrationSettings CalibrationCommandOptions::settings(const Scenario& scenario) const {
    if (evaluations < 10 || evaluations > 100'000)
        throw UsageError("--evaluations must be between 10 and 100000");
    if (loss_replicates < 1 || loss_replicates > 1000)
        throw UsageError("--loss-replicates must be between 1 and 1000");
    if (particles != 0 && (particles < 2 || particles > 100'000))
        throw UsageError("--particles must be 0 or between 2 and 100000");
    if (generations < 1 || generations > 50)
        throw UsageError("--generations must be between 1 and 50");
    if (!(tolerance_pp >= 0 && tolerance_pp <= 100))
        throw UsageError("--tolerance must be between 0 and 100 (percentage points)");
    CalibrationSettings s;
    s.max_evaluations = evaluations;
    s.replicates = static_cast<std::uint32_t>(loss_replicates);
    s.particles = static_cast<std::size_t>(particles);
    s.generations = generations;
    s.tolerance = tolerance_pp / 100;
    s.seed = scenario.run.seed;
    return s;
}

std::vector<Observation> observations_to_fit(const Scenario& scenario,
                                             std::optional<Month> cut_off) {
    std::vector<Observation> fitted;
    for (const Observation& o : scenario.observations)
        if (!cut_off || o.month < *cut_off) fitted.push_back(o);
    if (fitted.empty())
        throw UsageError(scenario.file.string() + ": no observations" +
                         (cut_off ? " before " + cut_off->to_string() : std::string()) +
                         " to fit (add [[observation]] tables: scenarios/README.md)");
    return fitted;
}

CalibrationResult run_calibration(CalibrationProblem& problem, const CalibrationSettings& settings,
                                  bool quiet) {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    auto last = started;
    if (!quiet)
        problem.on_batch = [&](std::int64_t simulations) {
            const auto now = Clock::now();
            if (now - last < std::chrono::seconds(2)) return;
            last = now;
            std::cerr << "  calibrating: " << with_thousands(simulations) << " simulations, "
                      << std::chrono::duration_cast<std::chrono::seconds>(now - started).count()
                      << " s\n";
        };
    CalibrationResult result = calibrate(problem, settings);
    problem.on_batch = nullptr;
    return result;
}

void print_calibration(const CalibrationProblem& problem, const CalibrationResult& r,
                       std::ostream& out) {
    const auto& parameters = problem.parameters();
    out << "Parameters (estimate: Nelder–Mead on the mean of replicates with common random "
           "numbers; posterior: ABC-SMC)\n";
    std::vector<std::vector<std::string>> table{
        {"parameter", "prior", "start", "estimate", "posterior mean [90%]"}};
    const Eigen::VectorXd mean = r.has_posterior ? posterior_mean(r.posterior) : Eigen::VectorXd();
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const std::string posterior =
            r.has_posterior ? posterior_summary(r.posterior, mean, i) : std::string();
        table.push_back(
            {parameters[i].key,
             number(parameters[i].prior.lower) + " … " + number(parameters[i].prior.upper),
             number(parameters[i].start), number(r.estimate.minimum[e]), posterior});
    }
    print_table(table, out);
    out << "\nObservations (simulated: mean over replicates [90% interval] at the estimate)\n";
    std::vector<std::vector<std::string>> obs{
        {"observation", "measure", "observed", "at start", "at estimate"}};
    const auto& observations = problem.observations();
    for (std::size_t i = 0; i < observations.size(); ++i) {
        const Observation& o = observations[i];
        obs.push_back({observation_label(o),
                       std::string(coverage_measure_names[static_cast<std::size_t>(o.measure)]),
                       measure_value(o.value, "share", false),
                       measure_value(r.simulated_at_start[i], "share", false),
                       measure_with_interval(r.simulated_mean[i], r.simulated_p05[i],
                                             r.simulated_p95[i], "share", false)});
    }
    print_table(obs, out);
    out << "\nRoot mean squared error: " << percentage_points(std::sqrt(r.start_loss))
        << " at the start, " << percentage_points(std::sqrt(r.estimate.loss))
        << " at the estimate (" << r.estimate.evaluations << " evaluations; "
        << r.estimate.stopped_because << ")\n";
    if (r.has_posterior)
        out << "Posterior: " << r.posterior.draws.rows() << " particles, "
            << r.posterior.tolerances.size() << " generations, final tolerance "
            << percentage_points(r.posterior.tolerances.back()) << " RMSE, "
            << r.posterior.simulations << " simulations (" << r.posterior.stopped_because << ")\n";
}

void write_calibration(ArrayWriter& out, const CalibrationProblem& problem,
                       const CalibrationResult& r) {
    const auto& parameters = problem.parameters();
    const std::size_t P = parameters.size();
    std::vector<std::string> keys;
    std::vector<double> start, lower, upper, estimate, mean, p05, p95;
    const Eigen::VectorXd posterior =
        r.has_posterior ? posterior_mean(r.posterior) : Eigen::VectorXd();
    for (std::size_t i = 0; i < P; ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        keys.push_back(parameters[i].key);
        start.push_back(parameters[i].start);
        lower.push_back(parameters[i].prior.lower);
        upper.push_back(parameters[i].prior.upper);
        estimate.push_back(r.estimate.minimum[e]);
        if (r.has_posterior) {
            mean.push_back(posterior[e]);
            p05.push_back(weighted_quantile(r.posterior, i, 0.05));
            p95.push_back(weighted_quantile(r.posterior, i, 0.95));
        }
    }
    out.write_strings("/parameters/key", keys, "parameter", "scenario key");
    const auto per_parameter = [&](const std::string& name, const std::vector<double>& v) {
        out.write_array("/parameters/" + name, {P}, {"parameter"}, "the parameter's units", v);
    };
    per_parameter("start", start);
    per_parameter("prior_lower", lower);
    per_parameter("prior_upper", upper);
    per_parameter("estimate", estimate);

    const auto& observations = problem.observations();
    const std::size_t N = observations.size();
    std::vector<std::string> region, segment, month, measure, source;
    std::vector<double> observed, weight;
    for (const Observation& o : observations) {
        region.push_back(o.region_code);
        segment.emplace_back(segment_group_names[static_cast<std::size_t>(o.segment)]);
        month.push_back(o.month.to_string());
        measure.emplace_back(coverage_measure_names[static_cast<std::size_t>(o.measure)]);
        source.push_back(o.source);
        observed.push_back(o.value);
        weight.push_back(o.weight);
    }
    out.write_strings("/observations/region", region, "observation", "Kemendagri code");
    out.write_strings("/observations/segment", segment, "observation", "segment group");
    out.write_strings("/observations/month", month, "observation", "YYYY-MM");
    out.write_strings("/observations/measure", measure, "observation", "coverage measure");
    out.write_strings("/observations/source", source, "observation", "text");
    const auto per_observation = [&](const std::string& name, const std::string& units,
                                     const std::vector<double>& v) {
        out.write_array("/observations/" + name, {N}, {"observation"}, units, v);
    };
    per_observation("observed", "share", observed);
    per_observation("weight", "weight in the loss", weight);
    per_observation("simulated_at_start", "share (mean over replicates)", r.simulated_at_start);
    per_observation("simulated_mean", "share (mean over replicates, at the estimate)",
                    r.simulated_mean);
    per_observation("simulated_p05", "share (at the estimate)", r.simulated_p05);
    per_observation("simulated_p95", "share (at the estimate)", r.simulated_p95);

    out.write_array("/optimiser/loss", {2}, {"start_estimate"},
                    "share² (weighted mean squared error)", {r.start_loss, r.estimate.loss});
    out.write_array("/optimiser/best_loss_by_iteration", {r.estimate.best_loss_by_iteration.size()},
                    {"iteration"}, "share²", r.estimate.best_loss_by_iteration);
    out.write_attribute("/optimiser", "method", "Nelder-Mead (adaptive, projected onto the prior)");
    out.write_attribute("/optimiser", "stopped_because", r.estimate.stopped_because);
    out.write_attribute("/optimiser", "evaluations", std::to_string(r.estimate.evaluations));

    if (!r.has_posterior) return;
    per_parameter("posterior_mean", mean);
    per_parameter("posterior_p05", p05);
    per_parameter("posterior_p95", p95);
    const AbcPosterior& post = r.posterior;
    const auto D = static_cast<std::size_t>(post.draws.rows());
    std::vector<double> draws;
    for (std::size_t d = 0; d < D; ++d)
        for (std::size_t i = 0; i < P; ++i)
            draws.push_back(post.draws(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(i)));
    out.write_strings("/posterior/parameter", keys, "parameter", "scenario key");
    out.write_array("/posterior/draws", {D, P}, {"draw", "parameter"}, "the parameters' units",
                    draws);
    out.write_array("/posterior/weights", {D}, {"draw"}, "probability (sum 1)",
                    {post.weights.data(), post.weights.data() + post.weights.size()});
    out.write_array("/posterior/distances", {D}, {"draw"}, "share (root mean squared error)",
                    post.distances);
    out.write_array("/posterior/tolerances", {post.tolerances.size()}, {"generation"},
                    "share (root mean squared error)", post.tolerances);
    out.write_array("/posterior/acceptance_rates", {post.acceptance_rates.size()}, {"generation"},
                    "share", post.acceptance_rates);
    out.write_attribute("/posterior", "method",
                        "ABC-SMC (Beaumont et al. 2009), uniform prior on /parameters/prior_*");
    out.write_attribute("/posterior", "stopped_because", post.stopped_because);
}

void write_calibration_csv(std::ostream& out, const CalibrationProblem& problem,
                           const CalibrationResult& r) {
    out << "region,segment,month,measure,observed,weight,simulated_at_start,simulated_mean,"
           "simulated_p05,simulated_p95,source\n";
    const auto& observations = problem.observations();
    for (std::size_t i = 0; i < observations.size(); ++i) {
        const Observation& o = observations[i];
        out << o.region_code << ',' << segment_group_names[static_cast<std::size_t>(o.segment)]
            << ',' << o.month.to_string() << ','
            << coverage_measure_names[static_cast<std::size_t>(o.measure)] << ','
            << csv_number(o.value) << ',' << csv_number(o.weight) << ','
            << csv_number(r.simulated_at_start[i]) << ',' << csv_number(r.simulated_mean[i]) << ','
            << csv_number(r.simulated_p05[i]) << ',' << csv_number(r.simulated_p95[i]) << ','
            << csv_field(o.source) << '\n';
    }
}

void write_posterior_csv(std::ostream& out, const CalibrationProblem& problem,
                         const CalibrationResult& r) {
    out << "draw,weight,distance";
    for (const CalibrationParameter& p : problem.parameters())
        out << ',' << p.key;
    out << '\n';
    if (!r.has_posterior) return;
    for (Eigen::Index d = 0; d < r.posterior.draws.rows(); ++d) {
        out << d << ',' << csv_number(r.posterior.weights[d]) << ','
            << csv_number(r.posterior.distances[static_cast<std::size_t>(d)]);
        for (Eigen::Index i = 0; i < r.posterior.draws.cols(); ++i)
            out << ',' << csv_number(r.posterior.draws(d, i));
        out << '\n';
    }
}

namespace {

std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> parts;
    std::stringstream in(key);
    for (std::string part; std::getline(in, part, '.');)
        parts.push_back(part);
    return parts;
}

/// A number as it was read: the shortest text that reads back as the same value.
std::string exact_number(double v) {
    char buffer[64];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v);
    std::string text(buffer, error == std::errc() ? end : buffer);
    if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
    return text;
}

/// The [[population.region]] or [[commuting]] entries of `fitted` whole: an array whose
/// entries have no name replaces the base's whole when a file extends it. Fitted values are
/// written as the others fitted and marked with their start.
void write_whole_array(std::ostream& out, const std::string& array, const Scenario& fitted,
                       const std::map<std::string, std::string>& fitted_lines) {
    out << "\n# " << array << " is written whole: extends replaces the base's whole.\n";
    const auto line = [&](std::size_t entry, const std::string& key, const std::string& value) {
        const auto f = fitted_lines.find(array + "." + std::to_string(entry) + "." + key);
        out << key << " = " << (f != fitted_lines.end() ? f->second : value) << '\n';
    };
    const auto code = [&](std::size_t region) {
        return "\"" + fitted.region_table.regions()[region].code + "\"";
    };
    if (array == "commuting") {
        for (std::size_t i = 0; i < fitted.commuting.size(); ++i) {
            const CommutingFlow& c = fitted.commuting[i];
            out << "[[commuting]]\nfrom = " << code(c.from) << "\nto = " << code(c.to) << '\n';
            line(i, "share", exact_number(c.share));
        }
        return;
    }
    const auto& overrides = fitted.population.region_overrides;
    for (std::size_t i = 0; i < overrides.size(); ++i) {
        const RegionPopulationOverride& o = overrides[i];
        out << "[[population.region]]\nregion = " << code(o.region) << '\n';
        if (o.employed_workers) out << "employed_workers = " << *o.employed_workers << '\n';
        const std::pair<const char*, const std::optional<double>*> shares[] = {
            {"formal_share", &o.formal_share},
            {"vulnerable_share_of_informal", &o.vulnerable_share_of_informal},
            {"km_to_office", &o.km_to_office},
            {"commuting_share", &o.commuting_share},
            {"formal_employer", &o.formal_employer},
            {"informal_self", &o.informal_self},
            {"vulnerable_self", &o.vulnerable_self}};
        for (const auto& [key, value] : shares)
            if (*value) line(i, key, exact_number(**value));
    }
}

/// The fitted values as TOML over a file that extends `original`, each marked with its start:
/// a key of a table under the table's header, a key of a programme or policy in an entry with
/// its name (extends merges those by name), a key of a [[population.region]] or [[commuting]]
/// entry in the whole array, as the fitted scenario has it (extends replaces those whole).
void write_fitted_values(std::ostream& out, const Scenario& original,
                         const std::vector<CalibrationParameter>& parameters,
                         const Eigen::VectorXd& estimate) {
    // Where each value goes: a key of a table under its table's header; a key of a programme
    // or policy in an entry with its name, which extends merges by name; a key of an entry
    // without a name in its whole array.
    std::vector<std::string> tables;                          // headers, first use first
    std::map<std::string, std::vector<std::string>> lines;    // header → lines
    std::vector<std::pair<std::string, std::string>> entries; // (array, name), first use first
    std::map<std::string, std::string> fitted_lines;          // key → "value # was start"
    std::vector<std::string> whole_arrays;
    std::vector<KeyValue> values;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const CalibrationParameter& p = parameters[i];
        const double v = estimate[static_cast<Eigen::Index>(i)];
        values.push_back({p.key, v});
        const std::string text = toml_number(v) + " # was " + number(p.start);
        const std::vector<std::string> parts = split_key(p.key);
        const std::string_view pattern = find_scenario_key(p.key)->path;
        std::string header;
        if (pattern.starts_with("programme.*.") || pattern.starts_with("policy.*.")) {
            const std::pair<std::string, std::string> entry{parts[0], parts[1]};
            if (std::find(entries.begin(), entries.end(), entry) == entries.end())
                entries.push_back(entry);
            header = parts[0] + "." + parts[1];
            for (std::size_t j = 2; j + 1 < parts.size(); ++j)
                header += "." + parts[j];
        } else if (pattern.find(".*.") != std::string_view::npos) {
            const std::string array =
                pattern.starts_with("commuting") ? "commuting" : "population.region";
            if (std::find(whole_arrays.begin(), whole_arrays.end(), array) == whole_arrays.end())
                whole_arrays.push_back(array);
            fitted_lines[p.key] = text;
            continue;
        } else {
            for (std::size_t j = 0; j + 1 < parts.size(); ++j)
                header += (j ? "." : "") + parts[j];
        }
        if (!lines.count(header)) tables.push_back(header);
        lines[header].push_back(parts.back() + " = " + text);
    }
    for (const std::string& table : tables) {
        if (table.starts_with("programme.") || table.starts_with("policy.")) continue;
        out << "\n[" << table << "]\n";
        for (const std::string& l : lines[table])
            out << l << '\n';
    }
    for (const auto& [array, name] : entries) {
        const std::string prefix = array + "." + name;
        out << "\n[[" << array << "]]\nname = \"" << name << "\"\n";
        for (const std::string& l : lines[prefix])
            out << l << '\n';
        // Tables inside the entry (a budget's years) follow its own keys.
        for (const std::string& table : tables) {
            if (!table.starts_with(prefix + ".")) continue;
            out << "[" << array << table.substr(prefix.size()) << "]\n";
            for (const std::string& l : lines[table])
                out << l << '\n';
        }
    }
    if (!whole_arrays.empty()) {
        const Scenario fitted = vary(original, values);
        for (const std::string& array : whole_arrays)
            write_whole_array(out, array, fitted, fitted_lines);
    }
}

} // namespace

void write_calibrated_scenario(std::ostream& out, const std::filesystem::path& written_to,
                               const Scenario& original, const CalibrationProblem& problem,
                               const CalibrationResult& r,
                               const std::vector<std::string>& overrides) {
    const auto& parameters = problem.parameters();
    const auto& observations = problem.observations();
    Month last = observations.front().month;
    for (const Observation& o : observations)
        last = std::max(last, o.month);
    const std::filesystem::path from =
        std::filesystem::absolute(written_to).lexically_normal().parent_path();
    const std::filesystem::path base =
        std::filesystem::absolute(original.file).lexically_normal().lexically_relative(from);
    std::filesystem::path report = written_to;
    report.replace_extension(".fit.h5");

    out << "# Calibrated scenario written by `ulcsim calibrate` (ulcsim " << engine_version()
        << ").\n"
        << "# It extends " << original.file.filename().string()
        << " and sets only the fitted values: the Nelder–Mead estimate\n"
        << "# against " << observations.size() << " observation"
        << (observations.size() == 1 ? "" : "s") << " up to " << last.to_string()
        << ". Root mean squared error " << percentage_points(std::sqrt(r.start_loss))
        << " at the original values,\n# " << percentage_points(std::sqrt(r.estimate.loss))
        << " at the estimate.\n";
    if (r.has_posterior) {
        out << "# Posterior (ABC-SMC, " << r.posterior.draws.rows()
            << " particles): mean [5%, 95%]\n";
        const Eigen::VectorXd mean = posterior_mean(r.posterior);
        for (std::size_t i = 0; i < parameters.size(); ++i)
            out << "#   " << parameters[i].key << ": " << posterior_summary(r.posterior, mean, i)
                << '\n';
    }
    out << "# Fit report: " << report.filename().string()
        << " (observed vs simulated, loss, posterior draws).\n";
    if (!overrides.empty()) {
        out << "# The calibration ran with these overrides, which this file does not set:\n";
        for (const std::string& o : overrides)
            out << "#   --set " << o << '\n';
    }
    out << "extends = \"" << base.generic_string() << "\"\n";
    write_fitted_values(out, original, parameters, r.estimate.minimum);
}

PosteriorDraws read_posterior(const std::filesystem::path& fit_file) {
    PosteriorDraws p;
    try {
        const RunFileReader file(fit_file);
        p.keys = file.strings("/posterior/parameter");
        const StoredArray draws = file.array("/posterior/draws");
        const StoredArray weights = file.array("/posterior/weights");
        if (draws.dims.size() != 2 || draws.dims[1] != p.keys.size() || draws.dims[0] == 0 ||
            weights.values.size() != draws.dims[0])
            throw std::runtime_error("/posterior has inconsistent shapes");
        for (std::size_t d = 0; d < draws.dims[0]; ++d)
            p.draws.emplace_back(
                draws.values.begin() + static_cast<std::ptrdiff_t>(d * p.keys.size()),
                draws.values.begin() + static_cast<std::ptrdiff_t>((d + 1) * p.keys.size()));
        p.weights = weights.values;
    } catch (const std::runtime_error& e) {
        throw UsageError("--posterior " + fit_file.string() +
                         ": not a fit file with posterior draws from `ulcsim calibrate` (" +
                         e.what() + ")");
    }
    for (const std::string& key : p.keys)
        if (const ScenarioKey* k = find_scenario_key(key); !k || !k->fittable)
            throw UsageError("--posterior " + fit_file.string() + ": '" + key +
                             "' is not a parameter this version can set");
    return p;
}

} // namespace ulcsim::cli
