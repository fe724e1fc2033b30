// Impairments of single segments and random ones from the seed: each does to the wire what it
// says, the session still completes with the same bytes, and the same seed gives the same capture.
#include <gtest/gtest.h>

#include <cstdio>

#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

struct Outcome {
    EventCollector sink;
    VnetResult result;
    std::string pcap_bytes;
};

Outcome run_with(const std::string& name, VnetScenario sc, std::uint64_t file_size = 64 * 1024) {
    Fixture fx(file_size);
    const auto pcap = temp_path(name);
    Outcome o;
    o.result = fx.run(pcap, standard_ops(), sc);
    EXPECT_TRUE(o.result.client_finished) << name;
    for (const auto& r : o.result.results) EXPECT_TRUE(r.ok) << name << ": " << r.error;
    analyzer::analyze_file(pcap, o.sink);
    o.pcap_bytes = read_file(pcap);
    const auto data = o.sink.data();
    const auto retr = std::find_if(data.begin(), data.end(), [](const auto& d) { return d.command == "RETR"; });
    EXPECT_TRUE(retr != data.end() && retr->bytes == fx.file.size() && retr->sha256 == sha_of(fx.file)) << name;
    if (!keep()) std::remove(pcap.c_str());
    return o;
}

Impairment on(Impairment::Kind kind, std::uint32_t connection, std::uint32_t segment) {
    Impairment i;
    i.kind = kind;
    i.segment = {connection, segment, 0};
    return i;
}

std::size_t count(const std::vector<std::pair<std::uint64_t, tcp::TcpEvent>>& events, std::uint64_t conn,
                  tcp::TcpEvent kind) {
    return static_cast<std::size_t>(std::count(events.begin(), events.end(), std::make_pair(conn, kind)));
}

TEST(VnetImpairments, SplitCommandIsTwoSegmentsOneCommand) {
    VnetScenario sc;
    Impairment split = on(Impairment::Kind::kSplit, 1, 2);  // USER, after the greeting
    split.split_at = 3;
    sc.network.impairments.push_back(split);
    const Outcome plain = run_with("plain", {});
    const Outcome o = run_with("split", sc);
    EXPECT_EQ(o.result.frames, plain.result.frames + 1);  // one segment more, nothing else
    EXPECT_EQ(o.sink.verbs(), plain.sink.verbs());
    EXPECT_TRUE(o.sink.tcp_analysis().empty());
}

TEST(VnetImpairments, DuplicateIsSeenTwiceAndAcknowledged) {
    VnetScenario sc;
    sc.network.impairments.push_back(on(Impairment::Kind::kDuplicate, 1, 3));  // the reply to USER
    const Outcome plain = run_with("plain", {});
    const Outcome o = run_with("duplicate", sc);
    const auto events = o.sink.tcp_analysis();
    EXPECT_EQ(count(events, 1, tcp::TcpEvent::kRetransmission), 1u);  // how tshark sees a duplicate
    EXPECT_EQ(count(events, 1, tcp::TcpEvent::kDupAck), 1u);          // answered at once
    EXPECT_EQ(o.sink.replies(), plain.sink.replies());
}

TEST(VnetImpairments, ReorderedDataSegmentArrivesAfterItsSuccessor) {
    VnetScenario sc;
    sc.network.impairments.push_back(on(Impairment::Kind::kReorder, 3, 4));  // RETR's data connection
    const Outcome o = run_with("reorder", sc);
    const auto events = o.sink.tcp_analysis();
    EXPECT_EQ(count(events, 3, tcp::TcpEvent::kLostSegment), 1u);  // the gap, before it arrives
    EXPECT_EQ(count(events, 3, tcp::TcpEvent::kOutOfOrder), 1u);
}

TEST(VnetImpairments, DelayHoldsTheSegmentThatLong) {
    VnetScenario sc;
    Impairment delay = on(Impairment::Kind::kDelay, 1, 1);  // the greeting
    delay.delay = 250 * kMillisecond;
    sc.network.impairments.push_back(delay);
    const Outcome plain = run_with("plain", {});
    const Outcome o = run_with("delay", sc);
    EXPECT_GE(o.result.end_time - plain.result.end_time, 250 * kMillisecond);
    EXPECT_LT(o.result.end_time - plain.result.end_time, 300 * kMillisecond);
}

TEST(VnetImpairments, RandomLossIsRecoveredAndTheSameForTheSameSeed) {
    VnetScenario sc;
    sc.network.seed = 99;
    sc.network.loss_probability = 0.05;
    sc.network.reorder_probability = 0.05;
    const Outcome a = run_with("random_a", sc, 256 * 1024);
    const Outcome b = run_with("random_b", sc, 256 * 1024);
    EXPECT_GT(a.result.dropped, 0u);
    EXPECT_TRUE(a.pcap_bytes == b.pcap_bytes);
    sc.network.seed = 100;
    const Outcome c = run_with("random_c", sc, 256 * 1024);
    EXPECT_FALSE(a.pcap_bytes == c.pcap_bytes);
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
