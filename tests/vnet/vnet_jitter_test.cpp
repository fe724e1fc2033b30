// Link jitter (LinkConfig::jitter): each frame's latency varies within latency ± jitter, drawn
// from the seed, and frames on a link keep their order, so a jittery link shows varying RTTs
// but no reordering, retransmission or duplicate ACK.
#include <gtest/gtest.h>

#include <set>

#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

struct JitterRun {
    VnetResult result;
    std::vector<analyzer::Event> events;
};

JitterRun run_with_jitter(std::uint64_t seed, Nanos latency, Nanos jitter) {
    Fixture fx(256 * 1024);
    VnetScenario sc;
    sc.network.seed = seed;
    sc.network.link.latency = latency;
    sc.network.link.jitter = jitter;
    sc.network.link.bits_per_second = 10'000'000;
    AnalyzingTap tap;
    JitterRun run;
    run.result = fx.run("", standard_ops(), sc, &tap);
    tap.analyzer.finish();
    run.events = tap.events.events;
    return run;
}

// The time from each command to the first reply after it, at the client: one RTT (the server
// has no think time here).
std::vector<Nanos> reply_delays(const JitterRun& run) {
    std::vector<Nanos> out;
    Nanos sent = -1;
    for (const auto& e : run.events) {
        if (std::holds_alternative<analyzer::CommandEvent>(e.body)) sent = e.time;
        if (std::holds_alternative<analyzer::ReplyEvent>(e.body) && sent >= 0) {
            out.push_back(e.time - sent);
            sent = -1;
        }
    }
    return out;
}

TEST(VnetJitter, RttsVaryWithinTheJitterAndNothingIsReordered) {
    const Nanos latency = 20 * kMillisecond, jitter = 5 * kMillisecond;
    const JitterRun run = run_with_jitter(3, latency, jitter);
    ASSERT_TRUE(run.result.client_finished);
    for (const auto& r : run.result.results) EXPECT_TRUE(r.ok) << r.error;
    const auto delays = reply_delays(run);
    ASSERT_GE(delays.size(), 4u);
    std::set<Nanos> distinct(delays.begin(), delays.end());
    EXPECT_GT(distinct.size(), 1u) << "every reply took the same time: no jitter";
    for (const Nanos d : delays) {
        EXPECT_GE(d, 2 * (latency - jitter));
        EXPECT_LE(d, 2 * (latency + jitter) + kMillisecond);  // + serialisation of two frames
    }
    for (const auto& e : run.events) {
        const auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body);
        if (t == nullptr) continue;
        EXPECT_NE(t->event, tcp::TcpEvent::kOutOfOrder) << "frame " << e.frame;
        EXPECT_NE(t->event, tcp::TcpEvent::kRetransmission) << "frame " << e.frame;
        EXPECT_NE(t->event, tcp::TcpEvent::kDupAck) << "frame " << e.frame;
    }
}

TEST(VnetJitter, TheSameSeedGivesTheSameTimesAnotherSeedOthers) {
    const auto a = reply_delays(run_with_jitter(5, 10 * kMillisecond, 3 * kMillisecond));
    const auto b = reply_delays(run_with_jitter(5, 10 * kMillisecond, 3 * kMillisecond));
    const auto c = reply_delays(run_with_jitter(6, 10 * kMillisecond, 3 * kMillisecond));
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(VnetJitter, NoJitterGivesConstantRtts) {
    const auto delays = reply_delays(run_with_jitter(3, 20 * kMillisecond, 0));
    ASSERT_GE(delays.size(), 4u);
    for (const Nanos d : delays) {
        EXPECT_GE(d, 40 * kMillisecond);
        EXPECT_LE(d, 41 * kMillisecond);
    }
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
