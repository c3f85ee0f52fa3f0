#include "command_line.hpp"
#include "commands.hpp"
#include "ensemble_command.hpp"
#include "ulcsim/report.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <iostream>

namespace ulcsim::cli {

namespace po = boost::program_options;

int report_command(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    std::string output;
    std::string lang = "en";
    std::string baseline;
    int threads = 0;
    po::options_description options(
        "Usage: ulcsim report RUN.h5 [MORE.h5…] -o report.html [--lang en|id]\n"
        "                     [--baseline BASE.h5 | --no-baseline] [--threads N]\n"
        "       ulcsim report COMPARE.h5 | SWEEP.h5 -o report.html [--lang en|id]\n\n"
        "Writes one self-contained HTML page (Chart.js and the data inside it; it opens\n"
        "offline) from run files of `run` or `forecast`. It opens with a planner's summary of\n"
        "each run: workers covered (start, end, peak), workers added against the baseline\n"
        "month by month (peak and end-of-funding effects), rupiah by programme, the cost per\n"
        "added covered worker-year, and when coverage reaches the scenario's ULC threshold\n"
        "(or where it settles). The baseline is the run's own scenario without programmes,\n"
        "simulated here on the run's seed and replicates (paired replicate by replicate), or\n"
        "the run file given with --baseline. Then for each run its scenario and cited\n"
        "sources, coverage fan charts by segment (median, 50% and 90% intervals), small\n"
        "multiples by province or kabupaten/kota, programme members and spending against\n"
        "budget, and for forecast files when the target is reached; with several runs, the\n"
        "difference to the first run at every month and a table at the last month.\n"
        "A compare result (alone) gives the summary of each scenario against the first from\n"
        "its monthly series; a sweep result (alone) a table of its grid points, each outcome\n"
        "with its paired difference to the first point.\n"
        "Exit status: 0 done, 2 bad input, 1 internal failure.\n\nOptions");
    options.add_options()("help,h", "show this help")("output,o", po::value<std::string>(&output),
                                                      "HTML file to write (required)")(
        "lang", po::value<std::string>(&lang),
        "labels and number formatting: en (default; Rp 1,234,567, 12.3%) or id (Rp 1.234.567, "
        "12,3%)")("baseline", po::value<std::string>(&baseline),
                  "run file to summarise every run against (the same months; paired when it "
                  "kept its replicates on the same seed and replicates)")(
        "no-baseline", "do not simulate the baseline: the summary says how to make one")(
        "threads", po::value<int>(&threads),
        "threads to simulate the baseline on (default: every core; the numbers do not depend "
        "on it)");
    po::options_description hidden;
    hidden.add_options()("file", po::value<std::vector<std::string>>(&files));
    po::variables_map vm;
    if (!parse_command_line(args, options, hidden, -1, vm)) return 0;
    if (files.empty())
        throw UsageError("report: give at least one run file (see ulcsim report --help)");
    if (output.empty()) throw UsageError("report: give the HTML file to write with -o");
    if (lang != "en" && lang != "id")
        throw UsageError("--lang must be en or id, not '" + lang + "'");

    if (!baseline.empty() && vm.count("no-baseline"))
        throw UsageError("give --baseline FILE or --no-baseline, not both");
    for (const std::string& file : files)
        protect_input(file);
    if (!baseline.empty()) protect_input(baseline);
    EnsembleCommandOptions where;
    where.output = output;
    const std::filesystem::path target = where.output_path("report.html");

    std::vector<std::filesystem::path> paths(files.begin(), files.end());
    ReportOptions report;
    if (!baseline.empty()) report.baseline = std::filesystem::path(baseline);
    report.simulate_baseline = !vm.count("no-baseline");
    if (threads < 0 || threads > 1024)
        throw UsageError("--threads must be between 0 (every core) and 1024");
    report.context.threads = threads;
    report.on_progress = [](const std::string& what) { std::cerr << what << "…\n"; };
    const ReportData data = read_report_data(paths, report);
    const std::string page =
        report_html(data, lang == "id" ? ReportLanguage::indonesian : ReportLanguage::english);

    // Written under a temporary name and renamed, so that an interrupted write never leaves
    // a truncated page under the requested name.
    commit_with_text_files({{target, [&](std::ostream& out) { out << page; }}}, [] {});
    std::cout << "wrote " << target.string() << " (" << page.size() / 1024 << " KiB, "
              << (data.swept ? "a sweep result"
                  : data.compared
                      ? "a compare result"
                      : std::to_string(files.size()) + (files.size() == 1 ? " run" : " runs"))
              << ")\n";
    return 0;
}

} // namespace ulcsim::cli
