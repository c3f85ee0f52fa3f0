// The planner's server (`ulcsim serve`) under a bounded load, on 127.0.0.1 only: many
// requests at once — comparisons, the region list, oversized and malformed bodies, an
// oversized chunked body, an over-long address — are each answered (run, or refused with a
// 4xx, or a 503 with Retry-After for comparisons beyond the one running and two waiting), slow
// clients that send nothing do not hold up others, and the server answers as before
// afterwards. A few seconds at most.

#include "ulcsim/planner_server.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <httplib.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace ulcsim {
namespace {

constexpr std::size_t body_limit = 64 * 1024;

/// A server on a free port of 127.0.0.1, serving in a thread until the object goes.
class RunningServer {
public:
    RunningServer() : server_(make_api()) {
        port_ = server_.bind("127.0.0.1", 0);
        if (port_ > 0) serving_ = std::thread([this] { server_.listen(); });
    }
    ~RunningServer() {
        server_.stop();
        if (serving_.joinable()) serving_.join();
    }
    int port() const { return port_; }

private:
    static PlannerApi make_api() {
        PlannerLimits limits;
        limits.threads = 1;
        limits.max_body_bytes = body_limit;
        limits.max_running = 1;
        limits.max_waiting = 2;
        // Every client here is 127.0.0.1: the bound per client is planner_bounds_test's.
        limits.max_per_client = 3;
        return PlannerApi(RegionTable::load(RegionTable::default_data_dir()), limits);
    }
    PlannerServer server_;
    int port_ = -1;
    std::thread serving_;
};

/// A small comparison: Kota Magelang, twelve months, one replicate.
std::string small_form() {
    return "region=33.71&start=2025-01&months=12&replicates=1&seed=7&kind=apbd_kabkota&budget="
           "300000000&funded_months=12&quota=0&segments=vulnerable&max_income_band=4&member_"
           "share=0.1";
}

/// What one request of the load asked and got.
struct Answer {
    std::string what;
    int status = -1; ///< -1: no answer (connection refused, reset or timed out)
    std::string body;
    std::string retry_after;
};

httplib::Result request(httplib::Client& client, int kind, std::string& what) {
    switch (kind) {
    case 0:
        what = "regions";
        return client.Get("/api/regions");
    case 1:
        what = "a comparison";
        return client.Post("/api/compare", small_form(), "application/x-www-form-urlencoded");
    case 2:
        what = "an oversized body";
        return client.Post("/api/compare", std::string(body_limit + 1, '#'), "application/toml");
    case 3:
        what = "malformed JSON";
        return client.Post("/api/compare",
                           "{\"region\": \"33.71\", \"months\": ", "application/json");
    case 4: {
        what = "an oversized chunked body";
        auto chunks = std::make_shared<int>(0);
        return client.Post(
            "/api/compare",
            [chunks](std::size_t, httplib::DataSink& sink) {
                const std::string chunk(16 * 1024, 'x');
                if ((*chunks)++ < 16)
                    sink.write(chunk.data(), chunk.size());
                else
                    sink.done();
                return true;
            },
            "application/toml");
    }
    case 5:
        what = "an over-long address";
        return client.Get("/api/scenario.toml?region=" + std::string(20'000, '3'));
    default:
        what = "the page";
        return client.Get("/");
    }
}

Answer send(int port, int kind) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(10, 0);
    client.set_read_timeout(30, 0);
    client.set_write_timeout(10, 0);
    Answer a;
    const httplib::Result r = request(client, kind, a.what);
    if (r) {
        a.status = r->status;
        a.body = r->body;
        a.retry_after = r->get_header_value("Retry-After");
    } else {
        a.body = httplib::to_string(r.error());
    }
    return a;
}

/// A TCP connection to the server that sends part of a request and then nothing.
int slow_client(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    const std::string part = "POST /api/compare HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100";
    if (write(fd, part.data(), part.size()) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

} // namespace

TEST(PlannerLoad, ManyRequestsAtOnceAreEachAnsweredAndTheServerStaysUp) {
    const RunningServer server;
    ASSERT_GT(server.port(), 0);
    const auto t0 = std::chrono::steady_clock::now();

    // Slow clients hold connections open without finishing a request.
    std::vector<int> slow;
    for (int i = 0; i < 4; ++i)
        slow.push_back(slow_client(server.port()));
    for (const int fd : slow)
        ASSERT_GE(fd, 0);

    constexpr int requests = 112;
    std::vector<Answer> answers(requests);
    std::vector<std::thread> clients;
    for (int i = 0; i < requests; ++i)
        clients.emplace_back(
            [&, i] { answers[static_cast<std::size_t>(i)] = send(server.port(), i % 7); });
    for (std::thread& t : clients)
        t.join();

    int refused = 0, compared = 0;
    for (int i = 0; i < requests; ++i) {
        const Answer& a = answers[static_cast<std::size_t>(i)];
        SCOPED_TRACE(a.what);
        ASSERT_NE(a.status, -1) << "no answer: " << a.body;
        // Comparisons beyond those running and waiting are refused, saying when to try again;
        // nothing else is.
        if (a.status == 503) {
            EXPECT_TRUE(i % 7 == 1 || i % 7 == 3) << a.body;
            EXPECT_EQ(a.retry_after, "2");
            EXPECT_EQ(a.body.rfind("{\"errors\":[\"the server is busy: ", 0), 0u) << a.body;
            ++refused;
            continue;
        }
        if (i % 7 == 1) ++compared;
        switch (i % 7) {
        case 0:
        case 6:
            EXPECT_EQ(a.status, 200);
            break;
        case 1:
            EXPECT_EQ(a.status, 200) << a.body;
            EXPECT_NE(a.body.find("\"coverage"), std::string::npos) << a.body.substr(0, 300);
            break;
        case 2:
        case 4:
            EXPECT_EQ(a.status, 413) << a.body;
            break;
        case 3:
            // The body is read as a scenario in TOML: the parser's message, located.
            EXPECT_EQ(a.status, 400);
            EXPECT_EQ(a.body.rfind("{\"errors\":[\"scenario.toml:1:1: error: invalid TOML", 0), 0u)
                << a.body;
            break;
        case 5:
            EXPECT_TRUE(a.status == 414 || a.status == 400) << a.status;
            break;
        }
    }

    // 32 comparisons at once against one running and two waiting: some were refused, some
    // ran.
    EXPECT_GT(refused, 0);
    EXPECT_GT(compared, 0);

    // The slow clients did not stop anything; the server still answers, and runs a
    // comparison again.
    httplib::Client client("127.0.0.1", server.port());
    const auto regions = client.Get("/api/regions");
    ASSERT_TRUE(regions);
    EXPECT_EQ(regions->status, 200);
    const auto health = client.Get("/api/health");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
    EXPECT_NE(health->body.find("\"running\":0,\"waiting\":0"), std::string::npos) << health->body;
    client.set_read_timeout(60, 0);
    const auto again =
        client.Post("/api/compare", small_form(), "application/x-www-form-urlencoded");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
    for (const int fd : slow)
        close(fd);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30));
}

} // namespace ulcsim
