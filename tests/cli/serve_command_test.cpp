// `ulcsim serve` as a user meets it: its address printed, bad options refused, a second
// server on a port in use refused, and Ctrl-C or SIGTERM ending it with status 130 like every
// command.

#include "support/test_support.hpp"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

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

// A port of 127.0.0.1 that nothing listens on now (the system's choice for port 0).
int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return ntohs(address.sin_port);
}

TEST(ServeCommand, ASecondServerOnThePortIsRefusedAndTheFirstStillAnswers) {
    const int port = free_port();
    ASSERT_GT(port, 0);
    const std::string p = std::to_string(port);
    ulcsim::test::BackgroundProgram first({"serve", "--port", p, "--threads", "1"});
    httplib::Client client("127.0.0.1", port);
    ASSERT_TRUE(first.wait_for(
        [&] {
            const auto r = client.Get("/api/health");
            return r && r->status == 200;
        },
        30))
        << first.err_so_far();

    const auto second = run_program({"serve", "--port", p, "--threads", "1"});
    EXPECT_EQ(second.status, 2) << second.err;
    EXPECT_EQ(second.err, "ulcsim: error: cannot listen on 127.0.0.1:" + p + ": port " + p +
                              " is in use (another ulcsim serve, or another program; choose "
                              "another with --port)\n");
    EXPECT_EQ(second.out, "");

    // The first is untouched: it answers every request.
    ASSERT_TRUE(first.running());
    for (int i = 0; i < 5; ++i) {
        const auto r = client.Get("/api/health");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body.rfind("{\"status\":\"ok\"", 0), 0u) << r->body;
    }
    first.signal(SIGTERM);
    EXPECT_EQ(first.wait().status, 130);
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
