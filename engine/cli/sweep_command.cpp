#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "posterior_option.hpp"
#include "process_role.hpp"
#include "terminal_format.hpp"
#include "ulcsim/forecast_file.hpp"
#include "ulcsim/outcome.hpp"
#include "ulcsim/planner_workbook.hpp"
#include "ulcsim/result_file.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_keys.hpp"
#include "ulcsim/store.hpp"
#include "ulcsim/sweep_grid.hpp"
#include "ulcsim/vary.hpp"
#include "workbook_option.hpp"

#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

bool whole_number(std::string_view text, long long& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

bool real_number(std::string_view text, double& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && std::isfinite(value);
}

/// key=from:to:steps (`steps` evenly spaced values of the key's type: numbers, whole numbers
/// or months) or key=a,b,c. KEY must be a key a sweep may vary.
SweepAxis parse_axis(const std::string& spec) {
    const std::string where = "--vary " + spec + ": ";
    const auto equals = spec.find('=');
    if (equals == std::string::npos || equals == 0)
        throw UsageError(where + "expected KEY=FROM:TO:STEPS or KEY=V1,V2,…");
    SweepAxis axis{spec.substr(0, equals), {}, {}};
    const ScenarioKey* key = find_scenario_key(axis.key);
    if (!key) {
        const auto unknown = unknown_scenario_key(axis.key);
        throw UsageError(where + unknown->key + ": " + unknown->message);
    }
    if (!key->variable) {
        if (axis.key.starts_with("run."))
            throw UsageError("sweep: the grid may not vary run.start, run.months, run.seed or "
                             "run.replicates (use --months, --seed, --replicates instead)");
        throw UsageError(where + axis.key +
                         " cannot be varied (ulcsim keys --variable lists the keys that can)");
    }
    const std::string range = spec.substr(equals + 1);
    if (range.find(':') == std::string::npos) {
        std::istringstream list(range);
        for (std::string v; std::getline(list, v, ',');) {
            if (v.empty()) throw UsageError(where + "an empty value in the list");
            try {
                axis.values.push_back(parse_scenario_value(*key, v));
            } catch (const std::invalid_argument& e) {
                throw UsageError(where + e.what());
            }
            axis.labels.push_back(v);
        }
        if (axis.values.empty()) throw UsageError(where + "no values");
        return axis;
    }
    std::vector<std::string> parts;
    std::istringstream fields(range);
    for (std::string p; std::getline(fields, p, ':');)
        parts.push_back(p);
    long long steps = 0;
    if (parts.size() != 3 || !whole_number(parts[2], steps))
        throw UsageError(where + "expected FROM:TO:STEPS with a whole number of steps");
    if (steps < 1 || steps > 1000) throw UsageError(where + "STEPS must be between 1 and 1000");
    const auto n = static_cast<std::size_t>(steps);
    const auto fraction = [&](std::size_t i) {
        return n == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(n - 1);
    };
    const auto add = [&](std::string label, ScenarioValue value) {
        axis.labels.push_back(std::move(label));
        axis.values.push_back(std::move(value));
    };
    long long a = 0, b = 0;
    double x = 0, y = 0;
    const bool whole = whole_number(parts[0], a) && whole_number(parts[1], b);
    const bool divides = whole && (n == 1 || (b - a) % static_cast<long long>(n - 1) == 0);
    switch (key->type) {
    case KeyType::month: {
        const auto from = Month::parse(parts[0]), to = Month::parse(parts[1]);
        if (!from || !to)
            throw UsageError(where + axis.key + " is a month: FROM and TO must be months YYYY-MM");
        const int span = *to - *from;
        if (n > 1 && span % static_cast<int>(n - 1) != 0)
            throw UsageError(where + std::to_string(span) + " months do not divide into " +
                             std::to_string(n - 1) + " equal steps");
        for (std::size_t i = 0; i < n; ++i) {
            const Month m = *from + static_cast<int>(std::lround(fraction(i) * span));
            add(m.to_string(), m);
        }
        return axis;
    }
    case KeyType::integer:
        if (!whole)
            throw UsageError(where + axis.key +
                             " is a whole number: FROM and TO must be whole numbers");
        if (!divides)
            throw UsageError(where + std::to_string(b - a) + " does not divide into " +
                             std::to_string(n - 1) + " equal whole steps");
        [[fallthrough]];
    case KeyType::number:
        if (divides) {
            // Whole numbers stay whole, as --set would read them.
            const long long step = n == 1 ? 0 : (b - a) / static_cast<long long>(n - 1);
            for (std::size_t i = 0; i < n; ++i) {
                const long long v = a + step * static_cast<long long>(i);
                add(std::to_string(v), std::int64_t{v});
            }
            return axis;
        }
        if (!real_number(parts[0], x) || !real_number(parts[1], y))
            throw UsageError(where + axis.key + " is a number: FROM and TO must be numbers");
        for (std::size_t i = 0; i < n; ++i) {
            std::ostringstream v;
            v.precision(12);
            v << x + (y - x) * fraction(i);
            std::string text = v.str();
            if (text.find_first_of(".e") == std::string::npos &&
                (parts[0].find_first_of(".e") != std::string::npos ||
                 parts[1].find_first_of(".e") != std::string::npos))
                text += ".0";
            // The value is the one its label shows (12 significant digits), so that the
            // outputs say exactly what was run.
            double value = 0;
            real_number(text, value);
            add(text, value);
        }
        return axis;
    case KeyType::boolean:
    case KeyType::choice:
        break;
    case KeyType::text:
    case KeyType::names:
    case KeyType::region:
    case KeyType::regions:
    case KeyType::numbers:
    case KeyType::table:
        break;
    }
    throw UsageError(where + axis.key + " takes no FROM:TO:STEPS: list its values, V1,V2,…");
}

constexpr std::size_t mean = 0, p05 = 2, p95 = 8;

} // namespace

int sweep_command(const std::vector<std::string>& args) {
    std::string file;
    std::vector<std::string> vary;
    int after = 12;
    EnsembleCommandOptions common;
    PosteriorOption posterior_option;
    WorkbookOption workbook;
    po::options_description options(
        "Usage: ulcsim sweep FILE --vary KEY=FROM:TO:STEPS [--vary …] [options]\n\n"
        "Runs an ensemble at every point of a grid of scenario values (the product of the\n"
        "--vary axes, the first varying slowest), all with the same seed and replicates so\n"
        "that points differ only by the values, and reports the outcomes of each point and\n"
        "their paired differences against the first point. KEY is any key a sweep may vary\n"
        "(ulcsim keys --variable), named as for --set (programme.NAME.budget_idr_per_year.2025,\n"
        "programme.NAME.window.0.end, behaviour.continue_after_subsidy, …). Values, of the\n"
        "key's type: FROM:TO:STEPS gives STEPS evenly spaced numbers, whole numbers or months\n"
        "(2025-06:2025-12:7); V1,V2,… lists them (true,false).\n"
        "Writes a table, HDF5 with the grid as dimensions (-o), a CSV beside it, and with\n"
        "--xlsx an Excel workbook of the CSV's rows.\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure, 130 interrupted.\n\nOptions");
    options.add_options()("help,h", "show this help")(
        "vary", po::value<std::vector<std::string>>(&vary)->composing(),
        "an axis of the grid (repeatable)");
    common.add_to(options, "HDF5 file to write (default: <run.name>-sweep.h5); the CSV is "
                           "beside it with the extension .csv");
    posterior_option.add_to(options);
    options.add_options()("after", po::value<int>(&after),
                          "count former programme members still covered this many months after "
                          "funding ends (default 12)");
    workbook.add_to(options, "sheet Sweep: every grid point's outcomes and their differences "
                             "to the first point (the CSV)");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::string>(&file));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, 1, vm)) return 0;
    if (file.empty()) throw UsageError("sweep: no scenario file given (see ulcsim sweep --help)");
    if (vary.empty()) throw UsageError("sweep: give at least one --vary KEY=FROM:TO:STEPS");
    if (after < 0 || after > 1200) throw UsageError("--after must be between 0 and 1200");
    std::vector<SweepAxis> axes;
    std::size_t points = 1;
    for (const std::string& spec : vary) {
        axes.push_back(parse_axis(spec));
        for (std::size_t i = 0; i + 1 < axes.size(); ++i)
            if (axes[i].key == axes.back().key)
                throw UsageError("--vary " + spec + ": " + axes.back().key + " is varied twice");
        points *= axes.back().values.size();
        if (points > 10'000) throw UsageError("sweep: more than 10000 grid points");
    }
    const std::vector<std::string> overrides = common.scenario_overrides(vm);
    const RunResources resources = common.resources(vm);
    const int threads = resources.threads;

    // Every point is made and validated before anything runs: the scenario with the
    // command's own overrides, varied; a bad value is reported like a bad --set.
    const Scenario scenario = load_input_scenario(file, overrides);
    const std::vector<Scenario> scenarios = grid_scenarios(scenario, axes);
    const RunSettings& base = scenarios.front().run;
    // Every grid point's replicate r on the same draw, as compare pairs its scenarios.
    const std::optional<ChosenPosterior> posterior = posterior_option.choose(vm, {&scenario});

    OutcomeSettings settings;
    settings.start = base.start;
    settings.months = base.months;
    settings.months_after_funding = after;
    settings.policy_costs = any_policy_costs(scenarios);
    settings.coverage_months = {base.last_month()};
    const std::vector<OutcomeMeasure> measures = outcome_measures(settings);

    const std::filesystem::path out_path = common.output_path(base.name + "-sweep.h5");
    std::filesystem::path csv_path = out_path;
    csv_path.replace_extension(".csv");
    const std::optional<std::filesystem::path> xlsx = workbook.path({out_path, csv_path});
    const auto replicates = static_cast<std::uint32_t>(base.replicates);
    if (!common.quiet)
        std::cerr << "ulcsim sweep " << base.name << ": " << points << " grid points × "
                  << replicates << (replicates == 1 ? " replicate" : " replicates") << " × "
                  << base.months << " months, common random numbers, on "
                  << processes_and_threads(threads) << " → " << out_path.string() << '\n';
    if (!common.quiet && posterior) posterior->announce_shared("grid point");

    ResultFileWriter writer(out_path, process_role().output);
    const MeasuredScenarios measured = measure_scenarios(
        scenarios, replicates, settings, runner_with_progress(resources, common.quiet), {},
        posterior ? &posterior->draws : nullptr);
    const auto& levels = measured.levels;
    const auto& differences = measured.differences;

    write_sweep(writer, axes, scenarios, measures, measured);
    if (posterior) posterior->record_shared(writer, scenarios[0]);
    std::vector<TextOutput> outputs{
        {csv_path, [&](std::ostream& csv) { write_sweep_csv(csv, axes, measures, measured); }}};
    if (xlsx)
        outputs.push_back(workbook_output(*xlsx, [&](const std::filesystem::path& book) {
            write_sweep_workbook(book, axes, measures, measured);
        }));
    commit_with_text_files(outputs, [&] { writer.commit(); });

    if (common.quiet) return 0;
    std::cout << out_path.string() << ", " << csv_path.string()
              << (xlsx ? ", " + xlsx->string() : "") << ": written\n\n"
              << "Mean [90% interval over " << replicates
              << " replicates]; differences against the first point, paired by replicate\n";
    std::vector<std::vector<std::string>> table;
    std::vector<std::string> header;
    for (const SweepAxis& a : axes)
        header.push_back(a.key);
    // The measures a planner reads first; the rest are in the files.
    const std::size_t coverage = 0, worker_months = 1, money = 3, cost = 4, former = 5;
    header.push_back(measures[coverage].label);
    header.push_back("Δ covered worker-months");
    header.push_back("money spent");
    header.push_back("cost per added covered worker-year");
    header.push_back(measures[former].label);
    table.push_back(header);
    for (std::size_t i = 0; i < points; ++i) {
        std::vector<std::string> row;
        const std::vector<std::size_t> at = grid_coordinates(axes, i);
        for (std::size_t a = 0; a < axes.size(); ++a)
            row.push_back(axes[a].labels[at[a]]);
        const auto level = [&](std::size_t m) {
            return measure_with_interval(levels[i][m][mean], levels[i][m][p05], levels[i][m][p95],
                                         measures[m].units, false);
        };
        const auto difference = [&](std::size_t m) {
            if (i == 0) return std::string("(base)");
            return measure_with_interval(differences[i][m][mean], differences[i][m][p05],
                                         differences[i][m][p95], measures[m].units, m != cost);
        };
        row.push_back(level(coverage));
        row.push_back(difference(worker_months));
        row.push_back(measure_value(levels[i][money][mean], measures[money].units, false));
        row.push_back(difference(cost));
        row.push_back(level(former));
        table.push_back(row);
    }
    print_table(table, std::cout);
    return 0;
}

} // namespace ulcsim::cli
