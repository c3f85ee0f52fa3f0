// The region exchange: one process is the exchange with one member, whose collectives leave
// every value as it is; a cluster's exchange owns the regions region_ranks gives its rank.

#include "region_exchange.hpp"
#include "support/thread_cluster.hpp"

#include <cmath>
#include <gtest/gtest.h>

using namespace ulcsim;
using namespace ulcsim::detail;

TEST(SingleProcessExchange, OwnsEveryRegionAndItsCollectivesAreTheIdentity) {
    SingleProcessExchange exchange(3);
    ASSERT_EQ(exchange.owned().size(), 3u);
    for (const std::uint8_t owned : exchange.owned())
        EXPECT_EQ(owned, 1);
    EXPECT_TRUE(exchange.region_ranks().empty());
    EXPECT_EQ(exchange.rank(), 0);

    std::vector<std::int64_t> counts{3, -1, 0, 7};
    exchange.sum(std::span<std::int64_t>(counts));
    EXPECT_EQ(counts, (std::vector<std::int64_t>{3, -1, 0, 7}));
    std::vector<double> series{0.5, -0.0, 2};
    exchange.sum(std::span<double>(series));
    EXPECT_EQ(series, (std::vector<double>{0.5, -0.0, 2}));
    EXPECT_TRUE(std::signbit(series[1])); // not even -0 + 0
    std::vector<std::uint64_t> keys{9, 4, 1};
    exchange.gather(keys);
    EXPECT_EQ(keys, (std::vector<std::uint64_t>{9, 4, 1}));
}

TEST(ClusterExchange, OwnsItsRanksRegionsAndSumsOverTheRanks) {
    test::on_every_rank(2, 1, [](int rank, Cluster& cluster) {
        ClusterExchange exchange(cluster, {0, 1, 1}, 3);
        const std::vector<std::uint8_t> owned(exchange.owned().begin(), exchange.owned().end());
        EXPECT_EQ(owned, rank == 0 ? (std::vector<std::uint8_t>{1, 0, 0})
                                   : (std::vector<std::uint8_t>{0, 1, 1}));
        std::vector<std::int64_t> counts{rank + 1, 10};
        exchange.sum(std::span<std::int64_t>(counts));
        EXPECT_EQ(counts, (std::vector<std::int64_t>{3, 20}));
        std::vector<std::uint64_t> keys{static_cast<std::uint64_t>(rank)};
        exchange.gather(keys);
        EXPECT_EQ(keys, (std::vector<std::uint64_t>{0, 1}));
    });
}

TEST(ClusterExchange, RefusesRegionRanksOutsideTheCluster) {
    test::on_every_rank(1, 1, [](int, Cluster& cluster) {
        EXPECT_THROW(ClusterExchange(cluster, {0, 1}, 2), std::invalid_argument);
        EXPECT_THROW(ClusterExchange(cluster, {0}, 2), std::invalid_argument);
    });
}
