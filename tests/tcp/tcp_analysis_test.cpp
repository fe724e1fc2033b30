// Wireshark-style tcp.analysis events through the TcpTracker.
#include <set>

#include "tcp_test_harness.hpp"

namespace ftpsim::tcp::testing {
namespace {

using Events = std::vector<TcpEvent>;

TEST_F(TcpTrackerTest, ZeroWindowProbeAndWindowUpdateWithScaledWindows) {
    handshake(1000, 5000, /*client shift*/ 2, /*server shift*/ 7);
    const SegmentSummary data = send(Seg(C, S, 1001, 5001, kAck, "abcd"));        // 4
    EXPECT_EQ(data.scaled_window, 8192u << 2);
    const SegmentSummary zero = send(Seg(S, C, 5001, 1005, kAck).win(0));         // 5
    EXPECT_EQ(rec.events_at(5), Events{TcpEvent::kZeroWindow});
    EXPECT_EQ(zero.scaled_window, 0u);
    const SegmentSummary probe = send(Seg(C, S, 1005, 5001, kAck, "e"));          // 6
    EXPECT_EQ(rec.events_at(6), Events{TcpEvent::kZeroWindowProbe});
    EXPECT_TRUE(probe.has(TcpEvent::kZeroWindowProbe));
    // The receiver answers the probe with the same zero window: a ZeroWindowProbeAck in
    // Wireshark (not reported), which is neither a dup ACK nor a window update.
    send(Seg(S, C, 5001, 1005, kAck).win(0));                                     // 7
    EXPECT_EQ(rec.events_at(7), Events{TcpEvent::kZeroWindow});
    const SegmentSummary update = send(Seg(S, C, 5001, 1005, kAck).win(100));     // 8
    EXPECT_EQ(rec.events_at(8), Events{TcpEvent::kWindowUpdate});
    EXPECT_EQ(update.scaled_window, 100u << 7);
    // New data starting where the probe was: not a retransmission, nothing lost.
    const SegmentSummary more = send(Seg(C, S, 1005, 5001, kAck, "efgh"));       // 9
    EXPECT_EQ(more.events, 0u);
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefgh");  // the probe byte delivered once
}

TEST_F(TcpTrackerTest, DataStartingAtTheLastByteSentIsNotARetransmission) {
    // A lone byte that was not taken for a probe (the window looked open), then a segment that
    // starts with that byte again and carries new data: Wireshark lets it pass unflagged.
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "e"));
    const SegmentSummary more = send(Seg(C, S, 1001, 5001, kAck, "efgh").at(now + 500 * kMs));
    EXPECT_EQ(more.events, 0u);
    EXPECT_EQ(rec.stream(1, kC2S), "efgh");
}

TEST_F(TcpTrackerTest, SynWindowsAreNeverScaled) {
    const SegmentSummary syn = send(Seg(C, S, 1000, 0, kSyn).ws(7).win(1000));
    const SegmentSummary synack = send(Seg(S, C, 5000, 1001, kSyn | kAck).ws(3).win(2000));
    EXPECT_EQ(syn.scaled_window, 1000u);
    EXPECT_EQ(synack.scaled_window, 2000u);
    EXPECT_EQ(send(Seg(C, S, 1001, 5001, kAck).win(10)).scaled_window, 10u << 7);
    EXPECT_EQ(send(Seg(S, C, 5001, 1001, kAck).win(10)).scaled_window, 10u << 3);
}

TEST_F(TcpTrackerTest, WindowScalingNeedsTheOptionOnBothSyns) {
    handshake(1000, 5000, /*client shift*/ 7, std::nullopt);
    EXPECT_EQ(send(Seg(C, S, 1001, 5001, kAck).win(10)).scaled_window, 10u);
    EXPECT_EQ(send(Seg(S, C, 5001, 1001, kAck).win(10)).scaled_window, 10u);
}

TEST_F(TcpTrackerTest, WithoutTheHandshakeWindowsAreUnscaled) {
    EXPECT_EQ(send(Seg(C, S, 1001, 5001, kAck).win(10).ws(7)).scaled_window, 10u);
}

TEST_F(TcpTrackerTest, KeepAliveAndItsAckAreNotRetransmissionsOrDupAcks) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));                             // 4
    send(Seg(S, C, 5001, 1004, kAck));                                    // 5
    const SegmentSummary ka = send(Seg(C, S, 1003, 5001, kAck).at(now + 60'000 * kMs));
    EXPECT_EQ(rec.events_at(6), Events{TcpEvent::kKeepAlive});
    EXPECT_FALSE(ka.has(TcpEvent::kRetransmission));
    send(Seg(S, C, 5001, 1004, kAck));                                    // 7: keep-alive ACK
    EXPECT_TRUE(rec.events_at(7).empty());
    // The one-byte variant (the last byte sent again) is a keep-alive too, and not data.
    send(Seg(C, S, 1003, 5001, kAck, "c").at(now + 60'000 * kMs));       // 8
    EXPECT_EQ(rec.events_at(8), Events{TcpEvent::kKeepAlive});
    EXPECT_EQ(rec.stream(1, kC2S), "abc");
}

TEST_F(TcpTrackerTest, DupAcksThenFastRetransmission) {
    handshake(1000, 5000);
    send(Seg(S, C, 5001, 1001, kAck, "aaaa"));                            // 4
    send(Seg(C, S, 1001, 5005, kAck));                                    // 5
    send(Seg(S, C, 5009, 1001, kAck, "cccc"));                            // 6: "bbbb" lost
    EXPECT_EQ(rec.events_at(6), Events{TcpEvent::kLostSegment});
    // The dup ACKs and the retransmission come within the initial RTT (20 ms) of frame 6, so
    // only the dup ACK rule keeps the retransmission from being called out-of-order.
    const TimeNs t6 = now;
    const SegmentSummary dup1 = send(Seg(C, S, 1001, 5005, kAck).at(t6 + 1 * kMs));  // 7
    const SegmentSummary dup2 = send(Seg(C, S, 1001, 5005, kAck).at(t6 + 2 * kMs));  // 8
    EXPECT_EQ(rec.events_at(5), Events{});  // the first ACK of 5005 is not a duplicate
    EXPECT_EQ(rec.events_at(7), Events{TcpEvent::kDupAck});
    EXPECT_TRUE(dup1.has(TcpEvent::kDupAck));
    EXPECT_TRUE(dup2.has(TcpEvent::kDupAck));
    const SegmentSummary fast = send(Seg(S, C, 5005, 1001, kAck, "bbbb").at(t6 + 3 * kMs));
    EXPECT_EQ(rec.events_at(9), Events{TcpEvent::kRetransmission});
    EXPECT_FALSE(fast.has(TcpEvent::kOutOfOrder));
    EXPECT_EQ(rec.stream(1, kS2C), "aaaabbbbcccc");
    // A changed window is a window update, not a dup ACK.
    send(Seg(C, S, 1001, 5013, kAck));                                    // 10
    send(Seg(C, S, 1001, 5013, kAck).win(4096));                          // 11
    EXPECT_EQ(rec.events_at(11), Events{TcpEvent::kWindowUpdate});
}

TEST_F(TcpTrackerTest, WindowFullNeedsAKnownScale) {
    send(Seg(C, S, 1000, 0, kSyn));
    send(Seg(S, C, 5000, 1001, kSyn | kAck).win(10));
    send(Seg(C, S, 1001, 5001, kAck));
    const SegmentSummary full = send(Seg(C, S, 1001, 5001, kAck, "0123456789"));
    EXPECT_EQ(rec.events_at(4), Events{TcpEvent::kWindowFull});
    EXPECT_TRUE(full.has(TcpEvent::kWindowFull));

    // The same exchange picked up mid-stream: the scale is unknown, so no verdict.
    const net::Endpoint c2 = ep("10.0.0.1", 40002);
    send(Seg(S, c2, 5001, 1001, kAck).win(10));
    EXPECT_FALSE(send(Seg(c2, S, 1001, 5001, kAck, "0123456789")).has(TcpEvent::kWindowFull));
}

TEST_F(TcpTrackerTest, SeveralEventsOnOneSegmentComeInEnumOrder) {
    handshake(1000, 5000);
    const SegmentSummary s = send(Seg(C, S, 1005, 5001, kAck, "xyz").win(0));
    EXPECT_EQ(rec.events_at(4), (Events{TcpEvent::kZeroWindow, TcpEvent::kLostSegment}));
    EXPECT_EQ(s.events, (1u << static_cast<int>(TcpEvent::kZeroWindow)) |
                            (1u << static_cast<int>(TcpEvent::kLostSegment)));
}

TEST_F(TcpTrackerTest, OutOfOrderVersusRetransmissionWithoutHandshakeUses3ms) {
    // No handshake, so no RTT: Wireshark's 3 ms threshold decides.
    send(Seg(C, S, 100, 1, kAck, "aaaa"));
    send(Seg(C, S, 108, 1, kAck, "cccc"));
    const TimeNs t = now;
    EXPECT_TRUE(send(Seg(C, S, 104, 1, kAck, "bbbb").at(t + 1 * kMs)).has(TcpEvent::kOutOfOrder));

    const net::Endpoint c2 = ep("10.0.0.1", 40002);
    send(Seg(c2, S, 100, 1, kAck, "aaaa"));
    send(Seg(c2, S, 108, 1, kAck, "cccc"));
    const SegmentSummary late = send(Seg(c2, S, 104, 1, kAck, "bbbb").at(now + 10 * kMs));
    EXPECT_TRUE(late.has(TcpEvent::kRetransmission));
    EXPECT_FALSE(late.has(TcpEvent::kOutOfOrder));
    EXPECT_EQ(rec.stream(2, kC2S), "aaaabbbbcccc");
}

TEST_F(TcpTrackerTest, RetransmissionOfAckedDataIsARetransmission) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(S, C, 5001, 1004, kAck));
    // Wireshark calls it a spurious retransmission; tcp.analysis.retransmission covers it.
    const SegmentSummary again = send(Seg(C, S, 1001, 5001, kAck, "abc").at(now + kMs * 900));
    EXPECT_EQ(rec.events_at(frame), Events{TcpEvent::kRetransmission});
    EXPECT_EQ(again.relative_seq, 1u);
}

TEST(TcpEventNames, NamesAndWiresharkLabels) {
    const std::vector<std::pair<std::string_view, std::string_view>> expected = {
        {"zero_window", "TCP ZeroWindow"},
        {"window_full", "TCP Window Full"},
        {"zero_window_probe", "TCP ZeroWindowProbe"},
        {"keep_alive", "TCP Keep-Alive"},
        {"window_update", "TCP Window Update"},
        {"retransmission", "TCP Retransmission"},
        {"out_of_order", "TCP Out-Of-Order"},
        {"dup_ack", "TCP Dup ACK"},
        {"lost_segment", "TCP Previous segment not captured"},
        {"rst", "RST"},
        {"inconsistent_retransmission", "TCP Inconsistent Retransmission"},
    };
    ASSERT_EQ(expected.size(), static_cast<std::size_t>(kTcpEventCount));
    std::set<std::string_view> names;
    for (int i = 0; i < kTcpEventCount; ++i) {
        const auto e = static_cast<TcpEvent>(i);
        EXPECT_EQ(tcp_event_name(e), expected[i].first);
        EXPECT_EQ(tcp_event_label(e), expected[i].second);
        names.insert(tcp_event_name(e));
    }
    EXPECT_EQ(names.size(), expected.size());
}

}  // namespace
}  // namespace ftpsim::tcp::testing
