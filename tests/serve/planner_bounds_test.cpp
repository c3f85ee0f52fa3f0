// The planner's server (`ulcsim serve`) against clients that take more than their share, on
// 127.0.0.1 only: one client (one remote address; the tests send from 127.0.0.2 and
// 127.0.0.3, which are loopback too) flooding it with comparisons is refused with 429 beyond
// its places while another is answered at once; a comparison over the memory limit is
// refused naming it, and one that does not fit beside the running one waits; a slow client
// and an idle connection are dropped after the stated timeouts.

#include "serving.hpp"
#include "ulcsim/planner_server.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <future>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>
#include <variant>
#include <vector>

namespace ulcsim {
namespace {

using test::Serving;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

//// A TCP connection to the server on 127.0.0.1 from the loopback address `from`, or -1.
int connect_from(const std::string& from, int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in source{};
    source.sin_family = AF_INET;
    inet_pton(AF_INET, from.c_str(), &source.sin_addr);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<std::uint16_t>(port));
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0 ||
        connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/// Seconds until the server first answers on the connection and until it ends it (what it
/// sends read and dropped); -1 when it has not after `limit` seconds.
struct Ending {
    double answered = -1, closed = -1;
    std::string answer;
};
Ending seconds_until_closed(int fd, double limit) {
    Ending e;
    const auto t0 = Clock::now();
    const timeval tick{0, 20'000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    char buffer[4096];
    while (seconds_since(t0) < limit) {
        const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        if (n > 0 && e.answered < 0) e.answered = seconds_since(t0);
        if (n > 0) e.answer.append(buffer, static_cast<std::size_t>(n));
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            e.closed = seconds_since(t0);
            return e;
        }
    }
    return e;
}

struct Answer {
    int status = -1; ///< -1: no answer
    std::string retry_after;
    std::string body;
};

/// One HTTP/1.1 request from the loopback address `from`, the connection closed after it.
Answer request_from(const std::string& from, int port, const std::string& method,
                    const std::string& target, const std::string& body = "") {
    Answer a;
    const int fd = connect_from(from, port);
    if (fd < 0) return a;
    const std::string request =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
        (method == "POST" ? "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n"
                          : "") +
        "\r\n" + body;
    if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
        close(fd);
        return a;
    }
    const timeval patience{120, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
    std::string reply;
    char buffer[65536];
    for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;)
        reply.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    const std::size_t head_end = reply.find("\r\n\r\n");
    if (reply.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) return a;
    a.status = std::stoi(reply.substr(9, 3));
    const std::string head = reply.substr(0, head_end);
    if (const std::size_t r = head.find("\r\nRetry-After: "); r != std::string::npos)
        a.retry_after = head.substr(r + 15, head.find("\r\n", r + 15) - r - 15);
    a.body = reply.substr(head_end + 4);
    return a;
}

std::future<Answer> compare_from(const std::string& from, int port, const std::string& query,
                                 const std::string& form) {
    return std::async(std::launch::async, [=] {
        return request_from(from, port, "POST", "/api/compare?" + query, form);
    });
}

/// Kota Magelang for a year, one replicate: a fraction of a second.
std::string small_form() {
    return "region=33.71&start=2025-01&months=12&replicates=1&seed=7&kind=apbd_kabkota&budget="
           "300000000&funded_months=12&quota=0&segments=vulnerable&max_income_band=4&member_"
           "share=0.1";
}

/// Jawa Tengah at the server's agents, 50 replicates, ten years: many seconds on one thread.
std::string slow_form() {
    return "region=33&start=2025-01&months=120&replicates=50&seed=7&kind=apbd_province&budget="
           "300000000&funded_months=12&quota=0&segments=vulnerable&max_income_band=4&member_"
           "share=0.1";
}

std::string health(int port) {
    return request_from("127.0.0.1", port, "GET", "/api/health").body;
}

/// The state of a run the server follows ("waiting", "running", "done", …).
std::string state_of(int port, const std::string& run) {
    const std::string body =
        request_from("127.0.0.1", port, "GET", "/api/progress?run=" + run).body;
    const std::size_t at = body.find("\"state\":\"");
    if (at == std::string::npos) return "";
    return body.substr(at + 9, body.find('"', at + 9) - at - 9);
}

bool wait_for_state(int port, const std::string& run, const std::string& state, double seconds) {
    const auto t0 = Clock::now();
    while (state_of(port, run) != state) {
        if (seconds_since(t0) > seconds) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

PlannerLimits bounded() {
    PlannerLimits limits;
    limits.threads = 1;
    limits.max_agents = 20'000;
    return limits;
}

/// The run's memory estimate as the server makes it.
double memory_of(const std::string& form) {
    PlannerLimits limits = bounded();
    const PlannerApi api(RegionTable::load(RegionTable::default_data_dir()), limits);
    PlannerFields fields;
    std::size_t from = 0;
    while (from < form.size()) {
        std::size_t end = form.find('&', from);
        if (end == std::string::npos) end = form.size();
        const std::string pair = form.substr(from, end - from);
        const std::size_t eq = pair.find('=');
        fields.emplace(pair.substr(0, eq), pair.substr(eq + 1));
        from = end + 1;
    }
    const auto prepared = api.prepare("", true, fields);
    if (!std::holds_alternative<PreparedComparison>(prepared)) return -1;
    return std::get<PreparedComparison>(prepared).memory_bytes;
}

} // namespace

TEST(PlannerBounds, OneClientFloodingIsRefusedWith429WhileAnotherIsAnsweredAtOnce) {
    // The defaults: two running, four waiting, one per client.
    const Serving server(bounded());
    ASSERT_GT(server.port(), 0);

    // Client A (127.0.0.2) sends a slow comparison, and once it runs, eight more at once,
    // each from a page of its own (no page's newer request stops another's).
    auto first = compare_from("127.0.0.2", server.port(), "session=a0&run=a0", slow_form());
    ASSERT_TRUE(wait_for_state(server.port(), "a0", "running", 60));
    std::vector<std::future<Answer>> flood;
    for (int i = 1; i <= 8; ++i)
        flood.push_back(compare_from("127.0.0.2", server.port(),
                                     "session=a" + std::to_string(i) + "&run=a" + std::to_string(i),
                                     slow_form()));
    for (auto& f : flood) {
        const Answer a = f.get();
        EXPECT_EQ(a.status, 429) << a.body;
        EXPECT_EQ(a.retry_after, "2");
        EXPECT_EQ(a.body, "{\"errors\":[\"too many comparisons from this client: it has 1 running "
                          "and waiting, the most one client may have (1); try again in 2 s\"]}");
    }

    // Client B (127.0.0.3) is answered meanwhile, at once: its comparison runs beside A's.
    const auto t0 = Clock::now();
    const Answer b = request_from("127.0.0.3", server.port(), "POST",
                                  "/api/compare?session=b&run=b", small_form());
    const double b_seconds = seconds_since(t0);
    EXPECT_EQ(b.status, 200) << b.body.substr(0, 300);
    EXPECT_NE(b.body.find("\"coverage"), std::string::npos);
    EXPECT_LT(b_seconds, 10) << "B waited behind A";
    EXPECT_EQ(state_of(server.port(), "a0"), "running") << "A's run ended before B was answered";
    EXPECT_NE(health(server.port()).find("\"running\":1,\"waiting\":0"), std::string::npos);

    // A's page moves on to a request that cannot run (a region that does not exist): it is
    // refused, and the page's slow comparison stops all the same.
    std::string unknown = small_form();
    unknown.replace(unknown.find("region=33.71"), 12, "region=99.99");
    const Answer newer = request_from("127.0.0.2", server.port(), "POST",
                                      "/api/compare?session=a0&run=a0b", unknown);
    EXPECT_EQ(newer.status, 400) << newer.body.substr(0, 300);
    EXPECT_EQ(first.get().status, 409);
    EXPECT_NE(health(server.port()).find("\"running\":0,\"waiting\":0"), std::string::npos);
}

TEST(PlannerBounds, AComparisonOverTheMemoryLimitIsRefusedNamingItAndOneBesideTheRunningWaits) {
    const double small = memory_of(small_form());
    const double slow = memory_of(slow_form());
    ASSERT_GT(small, 1e5);
    ASSERT_GT(slow, 2 * small);
    // The limit leaves the program's own 40 MB and room for the slow run, or for two small
    // ones, but not for the slow one and a small one together.
    PlannerLimits limits = bounded();
    limits.max_per_client = 2;
    const auto room = static_cast<std::uint64_t>(slow + small / 2);
    limits.memory_limit = 40'000'000 + room;
    const Serving server(limits);
    ASSERT_GT(server.port(), 0);

    // Alone over the limit: refused at once, naming the limit, with no Retry-After (trying
    // again does not help).
    {
        PlannerLimits tight = bounded();
        tight.memory_limit = 40'000'000 + static_cast<std::uint64_t>(slow / 2);
        const Serving small_server(tight);
        const Answer refused = request_from("127.0.0.2", small_server.port(), "POST",
                                            "/api/compare?session=x&run=x", slow_form());
        EXPECT_EQ(refused.status, 503);
        EXPECT_EQ(refused.retry_after, "");
        const std::string mb = std::to_string(static_cast<long long>((slow + 5e5) / 1e6)) + " MB";
        EXPECT_EQ(refused.body.rfind("{\"errors\":[\"this comparison needs up to " + mb +
                                         " of memory; the server's memory limit of ",
                                     0),
                  0u)
            << refused.body;
        EXPECT_NE(refused.body.find(" (--memory-limit) leaves "), std::string::npos)
            << refused.body;
        EXPECT_NE(refused.body.find("To make it fit, raise population.scale"), std::string::npos);
        EXPECT_EQ(state_of(small_server.port(), "x"), "unknown");
    }

    // The slow one runs; a small one from another client waits (two may run, but not both
    // in the memory), its estimate not yet counted.
    auto slow_run = compare_from("127.0.0.2", server.port(), "session=a&run=slow", slow_form());
    ASSERT_TRUE(wait_for_state(server.port(), "slow", "running", 60));
    auto small_run = compare_from("127.0.0.3", server.port(), "session=b&run=small", small_form());
    ASSERT_TRUE(wait_for_state(server.port(), "small", "waiting", 30));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(state_of(server.port(), "small"), "waiting");
    const std::string busy = health(server.port());
    EXPECT_NE(busy.find("\"running\":1,\"waiting\":1"), std::string::npos) << busy;
    EXPECT_NE(busy.find("\"memory_bytes\":" +
                        std::to_string(static_cast<std::uint64_t>(std::ceil(slow))) +
                        ",\"memory_limit_bytes\":" + std::to_string(room) + "}"),
              std::string::npos)
        << busy;

    // The slow one's page moves on to a small comparison: the slow one stops and frees its
    // memory, and both small ones run.
    const Answer newer = request_from("127.0.0.2", server.port(), "POST",
                                      "/api/compare?session=a&run=newer", small_form());
    EXPECT_EQ(newer.status, 200) << newer.body.substr(0, 300);
    EXPECT_EQ(slow_run.get().status, 409);
    EXPECT_EQ(small_run.get().status, 200);
    const std::string idle = health(server.port());
    EXPECT_NE(idle.find("\"running\":0,\"waiting\":0"), std::string::npos) << idle;
    EXPECT_NE(idle.find("\"memory_bytes\":0,"), std::string::npos) << idle;
}

TEST(PlannerBounds, ASlowClientAndAnIdleConnectionAreDroppedAfterTheirTimeouts) {
    PlannerLimits limits = bounded();
    limits.read_timeout_seconds = 1;
    limits.idle_timeout_seconds = 2;
    const Serving server(limits);
    ASSERT_GT(server.port(), 0);

    // A client that stops halfway through its request's headers, one that connects and sends
    // nothing, and one whose kept-alive connection is idle after its answer.
    const int slow = connect_from("127.0.0.2", server.port());
    const int silent = connect_from("127.0.0.2", server.port());
    const int kept = connect_from("127.0.0.3", server.port());
    ASSERT_GE(slow, 0);
    ASSERT_GE(silent, 0);
    ASSERT_GE(kept, 0);
    const std::string part = "POST /api/compare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Len";
    ASSERT_EQ(write(slow, part.data(), part.size()), static_cast<ssize_t>(part.size()));
    const std::string get = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_EQ(write(kept, get.data(), get.size()), static_cast<ssize_t>(get.size()));

    auto slow_closed =
        std::async(std::launch::async, [&] { return seconds_until_closed(slow, 10); });
    auto silent_closed =
        std::async(std::launch::async, [&] { return seconds_until_closed(silent, 10); });
    auto kept_closed =
        std::async(std::launch::async, [&] { return seconds_until_closed(kept, 10); });
    // Others are answered meanwhile.
    const auto t0 = Clock::now();
    EXPECT_NE(health(server.port()).find("\"status\":\"ok\""), std::string::npos);
    EXPECT_LT(seconds_since(t0), 0.5);

    // The read timeout (1 s) ends the slow client's request with 400, and its connection is
    // then idle; the idle timeout (2 s) drops the idle ones, the silent one unanswered.
    const Ending slow_end = slow_closed.get(), silent_end = silent_closed.get(),
                 kept_end = kept_closed.get();
    EXPECT_GE(slow_end.answered, 0.9);
    EXPECT_LT(slow_end.answered, 1.8);
    EXPECT_EQ(slow_end.answer.rfind("HTTP/1.1 400 ", 0), 0u) << slow_end.answer;
    EXPECT_GE(slow_end.closed, 2.9);
    EXPECT_LT(slow_end.closed, 4.5);
    EXPECT_EQ(silent_end.answer, "");
    EXPECT_GE(silent_end.closed, 1.9);
    EXPECT_LT(silent_end.closed, 3);
    EXPECT_LT(kept_end.answered, 0.5);
    EXPECT_EQ(kept_end.answer.rfind("HTTP/1.1 200 ", 0), 0u) << kept_end.answer;
    EXPECT_GE(kept_end.closed, 1.9);
    EXPECT_LT(kept_end.closed, 3);
    close(slow);
    close(silent);
    close(kept);
}

} // namespace ulcsim
