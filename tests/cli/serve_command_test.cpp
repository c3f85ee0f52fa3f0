// `ulcsim serve` as a user meets it: its address printed, bad options refused, and Ctrl-C or
// SIGTERM ending it with status 130 like every command.

#include "support/test_support.hpp"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <thread>

namespace {

using ulcsim::test::run_program;

TEST(ServeCommand, HelpNamesTheOptionsAndTheLoopbackDefault) {
    const auto r = run_program({"serve", "--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("--port"), std::string::npos);
    EXPECT_NE(r.out.find("default 127.0.0.1"), std::string::npos);
}

TEST(ServeCommand, BadOptionsAreBadUsage) {
    auto r = run_program({"serve", "--port", "70000"});
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "ulcsim: error: --port must be between 0 and 65535\n");
    r = run_program({"serve", "--max-agents", "10"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--max-agents must be at least 1000"), std::string::npos);
    r = run_program({"serve", "scenario.toml"});
    EXPECT_EQ(r.status, 2);
    r = run_program({"serve", "--host", "192.0.2.1", "--port", "0"});
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_NE(r.err.find("cannot listen on 192.0.2.1:0"), std::string::npos) << r.err;
}

TEST(ServeCommand, PrintsItsAddressAndEndsOnASignalWith130) {
    for (const int signal : {SIGINT, SIGTERM}) {
        ulcsim::test::BackgroundProgram program({"serve", "--port", "0", "--threads", "1"});
        // Running, past binding (a failure to bind would end it at once).
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        ASSERT_TRUE(program.running()) << program.err_so_far();
        program.signal(signal);
        const auto r = program.wait();
        EXPECT_EQ(r.status, 130) << r.err;
        EXPECT_NE(r.out.find("ulcsim serve: http://127.0.0.1:"), std::string::npos) << r.out;
    }
}

} // namespace
