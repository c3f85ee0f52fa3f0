#include "progress.hpp"

#include <cstdio>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace ulcsim::cli {

namespace {

std::string duration(double seconds) {
    const auto s = static_cast<long>(seconds + 0.5);
    std::ostringstream out;
    if (s >= 3600)
        out << s / 3600 << "h" << (s % 3600) / 60 << "m";
    else if (s >= 60)
        out << s / 60 << "m" << s % 60 << "s";
    else
        out << s << "s";
    return out.str();
}

} // namespace

Progress::Progress(std::int64_t total_steps, bool quiet)
    : total_(total_steps), quiet_(quiet), terminal_(isatty(STDERR_FILENO) == 1),
      started_(Clock::now()), last_(started_) {}

Progress::~Progress() {
    finish();
}

void Progress::update(std::int64_t done, const std::string& detail) {
    if (quiet_) return;
    const auto now = Clock::now();
    // A terminal is redrawn ten times a second; a log gets a line every five seconds.
    const auto every = terminal_ ? std::chrono::milliseconds(100) : std::chrono::seconds(5);
    if (now - last_ < every && done < total_) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double fraction =
        total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    std::ostringstream line;
    line.precision(1);
    line << std::fixed;
    if (terminal_) {
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width);
        line << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
             << std::string(static_cast<std::size_t>(width - filled), '.') << "] ";
    }
    line << fraction * 100 << "%  " << detail << "  " << rate / 1e6 << "M agent-months/s";
    if (fraction > 0 && fraction < 1)
        line << "  about " << duration(elapsed * (1 - fraction) / fraction) << " left";
    if (terminal_) {
        line << "\033[K";
        std::cerr << line.str() << std::flush;
        drawn_ = true;
    } else {
        std::cerr << line.str() << '\n';
    }
}

void Progress::finish() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
}

} // namespace ulcsim::cli
