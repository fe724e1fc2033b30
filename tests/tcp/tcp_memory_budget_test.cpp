// The tracker's memory over all connections (TrackerLimits::max_total_memory): per-direction
// bounds alone let a capture of many open connections hold per-direction bounds times the number
// of connections. Past the budget, the connections holding most give it up: out-of-order bytes
// become gaps (said, as every gap is), delivered bytes kept for comparison are forgotten (no
// data lost: they were delivered already).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tcp_test_harness.hpp"

namespace ftpsim::tcp::testing {
namespace {

using Kind = Record::Kind;

constexpr int kConnections = 40;
constexpr int kSegments = 8;
constexpr std::size_t kPayload = 1000;  // 40 * 8 * 1000 = 320000 bytes in all

class TcpMemoryBudgetTest : public TcpTrackerTest {
protected:
    void SetUp() override {
        TrackerLimits limits;
        limits.max_total_memory = 64 * 1024;
        limits.memory_check_every = 16;
        make_tracker(limits);
    }
    // Opens connection k (client port 40000 + k) and sends its segments, the first `hole` bytes
    // missing; the server never acknowledges them. Returns the peak memory seen.
    std::size_t one_sided_connection(int k, std::uint32_t hole) {
        const net::Endpoint c = ep("10.0.0.1", static_cast<std::uint16_t>(40000 + k));
        send(Seg(c, S, 1000, 0, kSyn));
        send(Seg(S, c, 5000, 1001, kSyn | kAck));
        send(Seg(c, S, 1001, 5001, kAck));
        std::size_t peak = 0;
        for (int j = 0; j < kSegments; ++j) {
            const auto seq = static_cast<std::uint32_t>(1001 + hole + j * kPayload);
            send(Seg(c, S, seq, 5001, kAck, std::string(kPayload, static_cast<char>('a' + j))));
            peak = std::max(peak, tracker->memory_bytes());
        }
        return peak;
    }
    // The budget, what may arrive between two checks, and vectors' spare capacity.
    static constexpr std::size_t kAllowed = 64 * 1024 + 16 * kPayload + 64 * 1024;
};

TEST_F(TcpMemoryBudgetTest, OutOfOrderBytesOfManyConnectionsStayWithinTheBudget) {
    std::size_t peak = 0;
    for (int k = 0; k < kConnections; ++k) peak = std::max(peak, one_sided_connection(k, 1));
    EXPECT_LE(peak, kAllowed) << "without the budget all 320000 bytes stay held";
    // What was given up is said: the one-byte holes became gaps.
    EXPECT_FALSE(rec.of(Kind::kGap).empty());
    finish();
}

TEST_F(TcpMemoryBudgetTest, KeptDeliveredBytesAreForgottenWithoutLosingData) {
    std::size_t peak = 0;
    for (int k = 0; k < kConnections; ++k) peak = std::max(peak, one_sided_connection(k, 0));
    EXPECT_LE(peak, kAllowed) << "without the budget every connection keeps its 8000 bytes";
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
    for (std::uint64_t id = 1; id <= kConnections; ++id)
        EXPECT_EQ(rec.stream(id, kC2S).size(), kSegments * kPayload) << "connection " << id;
    finish();
}

TEST_F(TcpMemoryBudgetTest, UnderTheBudgetNothingIsGivenUp) {
    TrackerLimits roomy;
    roomy.memory_check_every = 16;  // the default budget, 32 MiB
    make_tracker(roomy);
    for (int k = 0; k < kConnections; ++k) one_sided_connection(k, 1);
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
    EXPECT_GE(tracker->memory_bytes(), kConnections * kSegments * kPayload);
    finish();
}

}  // namespace
}  // namespace ftpsim::tcp::testing
