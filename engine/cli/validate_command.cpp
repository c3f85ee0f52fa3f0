#include "command_line.hpp"
#include "commands.hpp"
#include "terminal_format.hpp"
#include "ulcsim/input_error.hpp"
#include "ulcsim/population.hpp"
#include "ulcsim/scenario.hpp"
#include "ulcsim/scenario_warnings.hpp"

#include <boost/program_options.hpp>
#include <iostream>
#include <set>

namespace ulcsim::cli {

namespace po = boost::program_options;

namespace {

// What the files of an extends chain did to a named entry, for the line under it.
std::string origin_text(const EntryOrigin& o, const Scenario& s) {
    std::string text;
    if (!o.replaced.empty())
        text = "replaced whole by " + o.written_in + " (was " + o.replaced + "'s)";
    else if (o.written_in == s.file.string())
        text = "added by " + o.written_in;
    else
        text = "from " + o.written_in;
    for (const EntryOrigin::Change& c : o.changes) {
        text += "; changed by " + c.file + ":";
        for (std::size_t i = 0; i < c.keys.size(); ++i)
            text += (i ? ", " : " ") + c.keys[i];
    }
    return text;
}

const EntryOrigin* origin_of(const Scenario& s, std::string_view array, std::string_view name) {
    for (const EntryOrigin& o : s.entry_origins)
        if (o.array == array && o.name == name && o.removed_in.empty()) return &o;
    return nullptr;
}

void print_summary(const Scenario& s, std::ostream& out) {
    const RunSettings& run = s.run;
    out << "  run          " << run.name << ": " << run.start.to_string() << " … "
        << run.last_month().to_string() << " (" << run.months << " months), " << run.replicates
        << " replicates, seed " << run.seed << '\n';

    std::set<std::string> provinces;
    for (std::size_t r : s.regions)
        provinces.insert(s.region_table.regions()[r].province_code);
    out << "  regions      " << s.regions.size() << " kabupaten/kota in " << provinces.size()
        << (provinces.size() == 1 ? " province" : " provinces");
    if (s.regions.size() <= 3) {
        out << " (";
        for (std::size_t i = 0; i < s.regions.size(); ++i)
            out << (i ? ", " : "") << s.region_table.regions()[s.regions[i]].name;
        out << ")";
    }
    out << '\n';

    const std::int64_t workers = s.total_employed_workers();
    std::int64_t agents = 0;
    for (std::size_t k = 0; k < s.regions.size(); ++k)
        agents += agents_in_region(s, k);
    out << "  workers      " << with_thousands(workers) << " employed (scale "
        << s.population.scale_workers_per_agent << ": " << with_thousands(agents) << " agents)\n";

    for (const FundingProgramme& p : s.programmes) {
        int months = 0;
        for (const CoverageWindow& w : p.windows)
            months += w.months();
        out << "  programme    " << p.name << " ("
            << programme_kind_names[static_cast<std::size_t>(p.kind)] << "): " << p.windows.size()
            << (p.windows.size() == 1 ? " window, " : " windows, ") << months << " funded months";
        if (p.quota_workers) out << ", quota " << with_thousands(*p.quota_workers);
        if (!p.budget_idr_per_year.empty()) out << ", budget " << rupiah(p.total_budget_idr());
        out << '\n';
        if (const EntryOrigin* o = origin_of(s, "programme", p.name))
            out << "                 " << origin_text(*o, s) << '\n';
    }
    // A file that extends another: every policy and what the chain did to it, and the entries
    // a child removed, so that the user sees what each file did.
    if (!s.entry_origins.empty())
        for (const Policy& p : s.policies) {
            out << "  policy       " << p.name << " ("
                << policy_kind_names[static_cast<std::size_t>(p.kind)] << ")\n";
            if (const EntryOrigin* o = origin_of(s, "policy", p.name))
                out << "                 " << origin_text(*o, s) << '\n';
        }
    for (const EntryOrigin& o : s.entry_origins)
        if (!o.removed_in.empty())
            out << "  removed      " << o.array << ' ' << o.name << " (" << origin_text(o, s)
                << ") by " << o.removed_in << '\n';
    out << "  policies     " << s.policies.size() << ", observations " << s.observations.size()
        << ", ULC at " << s.ulc.threshold * 100 << "% "
        << coverage_measure_names[static_cast<std::size_t>(s.ulc.measure)] << '\n';
}

} // namespace

int validate_command(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    std::vector<std::string> overrides;
    bool quiet = false;
    po::options_description options("Usage: ulcsim validate FILE... [options]\n\n"
                                    "Reads each scenario file (with its extends chain and the\n"
                                    "--set overrides), checks it completely and reports every\n"
                                    "problem as FILE:LINE:COLUMN: error: KEY: message.\n"
                                    "Exit status: 0 all valid, 2 any problem.\n\nOptions");
    options.add_options()("help,h", "show this help")(
        "set", po::value<std::vector<std::string>>(&overrides)->composing(),
        "override a scenario key: --set key.path=value (repeatable)")(
        "quiet,q", po::bool_switch(&quiet), "print nothing for valid files");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::vector<std::string>>(&files));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, -1, vm)) return 0;
    if (files.empty())
        throw UsageError("validate: no scenario file given (see ulcsim validate --help)");

    int status = 0;
    for (const std::string& file : files) {
        try {
            const Scenario scenario = load_scenario(file, overrides);
            // Warnings even with -q: they are what the run will not do.
            for (const Diagnostic& w : scenario_warnings(scenario))
                std::cerr << w.format() << '\n';
            if (!quiet) {
                std::cout << file << ": valid\n";
                print_summary(scenario, std::cout);
            }
        } catch (const InputError& e) {
            for (const Diagnostic& d : e.diagnostics())
                std::cerr << d.format() << '\n';
            std::cerr << file << ": " << e.diagnostics().size()
                      << (e.diagnostics().size() == 1 ? " problem\n" : " problems\n");
            status = 2;
        }
    }
    return status;
}

} // namespace ulcsim::cli
