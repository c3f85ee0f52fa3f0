#pragma once
// Number formatting for terminal output a planner reads: thousands separators, rupiah.

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ulcsim::cli {

/// 1234567 -> "1,234,567".
std::string with_thousands(std::int64_t value);

/// "1 thread", "4 threads", or under mpirun "2 ranks × 4 threads" (threads per rank).
std::string processes_and_threads(int threads);
/// 206035200 -> "Rp206,035,200"; negative amounts "-Rp1,000".
std::string rupiah(double amount);
/// Columns `text` takes on a terminal: UTF-8 code points (all our labels are narrow).
std::size_t display_width(std::string_view text);

/// A measure in its units ("share": 31.2%, or +1.25 pp for a difference; "IDR…": rupiah;
/// anything else: a whole number with separators); "n/a" for NaN. Differences get a sign.
std::string measure_value(double value, const std::string& units, bool difference);
/// "mean [p05, p95]" in the measure's units.
std::string measure_with_interval(double mean, double p05, double p95, const std::string& units,
                                  bool difference);
/// Rows of cells in aligned columns: the first left-aligned, the others right-aligned.
void print_table(const std::vector<std::vector<std::string>>& rows, std::ostream& out);
/// The headline's programme lines ("  programme    NAME: at most N members, spent RpX
/// (means)"), from the means of members and spending laid out [month][programme].
void print_programme_headlines(const std::vector<std::string>& names, const double* members,
                               const double* spent, std::size_t months, std::ostream& out);

} // namespace ulcsim::cli
