// Connection lifecycle of the TcpTracker: opening, roles, closing, 4-tuple reuse, forgetting.
#include "tcp_test_harness.hpp"

namespace ftpsim::tcp::testing {
namespace {

using Kind = Record::Kind;

TEST_F(TcpTrackerTest, HandshakeDataBothWaysAndFinClose) {
    handshake(1000, 5000);
    const SegmentSummary data = send(Seg(C, S, 1001, 5001, kAck | kPsh, "USER anonymous\r\n"));
    send(Seg(S, C, 5001, 1017, kAck | kPsh, "331 Guest login ok\r\n"));
    send(Seg(C, S, 1017, 5021, kFin | kAck));
    send(Seg(S, C, 5021, 1018, kFin | kAck));  // frame 7: the second FIN
    const SegmentSummary last_ack = send(Seg(C, S, 1018, 5022, kAck));

    ASSERT_EQ(rec.infos.size(), 1u);
    const ConnectionInfo& info = rec.infos.at(1);
    EXPECT_EQ(info.client, C);
    EXPECT_EQ(info.server, S);
    EXPECT_TRUE(info.saw_handshake);
    EXPECT_EQ(info.first_frame, 1u);

    EXPECT_EQ(rec.stream(1, kC2S), "USER anonymous\r\n");
    EXPECT_EQ(rec.stream(1, kS2C), "331 Guest login ok\r\n");
    const auto datas = rec.of(Kind::kData);
    ASSERT_EQ(datas.size(), 2u);
    EXPECT_EQ(datas[0].offset, 0u);
    EXPECT_EQ(datas[0].frame, 4u);
    EXPECT_EQ(datas[1].dir, kS2C);
    EXPECT_EQ(datas[1].offset, 0u);
    EXPECT_EQ(datas[1].frame, 5u);

    const auto close = rec.close_of(1);
    ASSERT_TRUE(close.has_value());
    EXPECT_EQ(close->reason, CloseReason::kFin);
    EXPECT_EQ(close->frame, 7u);
    EXPECT_EQ(rec.of(Kind::kClose).size(), 1u);
    EXPECT_TRUE(rec.of(Kind::kEvent).empty());

    // Wireshark's relative numbers: the SYN is 0, the first data byte 1.
    EXPECT_EQ(data.relative_seq, 1u);
    EXPECT_EQ(data.relative_ack, 1u);
    EXPECT_EQ(data.dir, kC2S);
    ASSERT_NE(last_ack.conn, nullptr);
    EXPECT_EQ(last_ack.conn->id, 1u);
    EXPECT_EQ(last_ack.relative_seq, 18u);
    EXPECT_EQ(last_ack.relative_ack, 22u);
}

TEST_F(TcpTrackerTest, SplitDataIsDeliveredPieceByPieceAtTheRightOffsets) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "RE"));
    send(Seg(C, S, 1003, 5001, kAck, "TR f"));
    send(Seg(C, S, 1007, 5001, kAck | kPsh, "ile\r\n"));
    EXPECT_EQ(rec.stream(1, kC2S), "RETR file\r\n");
    const auto datas = rec.of(Kind::kData);
    ASSERT_EQ(datas.size(), 3u);
    EXPECT_EQ(datas[0].offset, 0u);
    EXPECT_EQ(datas[1].offset, 2u);
    EXPECT_EQ(datas[2].offset, 6u);
    EXPECT_EQ(datas[2].frame, 6u);
}

TEST_F(TcpTrackerTest, RstClosesAtOnceAfterDeliveringWhatIsBuffered) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kAck, "ghi"));            // frame 5: "def" missing
    const SegmentSummary rst = send(Seg(S, C, 5001, 1004, kRst | kAck));  // frame 6
    EXPECT_TRUE(rst.has(TcpEvent::kRst));
    EXPECT_EQ(rec.events_at(6), std::vector<TcpEvent>{TcpEvent::kRst});
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghi");
    const auto close = rec.close_of(1);
    ASSERT_TRUE(close.has_value());
    EXPECT_EQ(close->reason, CloseReason::kRst);
    EXPECT_EQ(close->frame, 6u);
    // The gap and the buffered bytes come before the close, stamped with the RST's frame.
    const auto gaps = rec.of(Kind::kGap);
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0].offset, 3u);
    EXPECT_EQ(gaps[0].length, 3u);
    EXPECT_EQ(gaps[0].frame, 6u);
    EXPECT_EQ(rec.log.back().kind, Kind::kClose);

    // The peer's late segment belongs to the reset connection.
    const SegmentSummary late = send(Seg(C, S, 1010, 5001, kAck, "jkl"));
    EXPECT_EQ(late.conn->id, 1u);
    EXPECT_EQ(rec.infos.size(), 1u);
}

TEST_F(TcpTrackerTest, MidStreamControlConnectionGuessesTheServerByItsPort) {
    const SegmentSummary s = send(Seg(S, C, 7000, 3000, kAck | kPsh, "220 ready\r\n"));
    ASSERT_EQ(rec.infos.size(), 1u);
    EXPECT_EQ(rec.infos.at(1).client, C);
    EXPECT_EQ(rec.infos.at(1).server, S);
    EXPECT_FALSE(rec.infos.at(1).saw_handshake);
    EXPECT_EQ(s.dir, kS2C);
    EXPECT_EQ(s.relative_seq, 1u);  // Wireshark starts at 1 without a SYN
    EXPECT_EQ(s.relative_ack, 1u);
    send(Seg(C, S, 3000, 7011, kAck | kPsh, "USER x\r\n"));
    EXPECT_EQ(rec.stream(1, kS2C), "220 ready\r\n");
    EXPECT_EQ(rec.stream(1, kC2S), "USER x\r\n");
    EXPECT_EQ(rec.of(Kind::kData).front().offset, 0u);  // mid-stream: offset 0 = first byte seen
}

TEST_F(TcpTrackerTest, MidStreamActiveModeDataConnectionHasPort20AsClient) {
    const net::Endpoint server_data = ep("10.0.0.2", 20);
    const net::Endpoint client_data = ep("10.0.0.1", 40001);
    // Seen first from the client's side: still the port-20 side is the client.
    send(Seg(client_data, server_data, 9000, 4000, kAck));
    ASSERT_EQ(rec.infos.size(), 1u);
    EXPECT_EQ(rec.infos.at(1).client, server_data);
    EXPECT_EQ(rec.infos.at(1).server, client_data);
    const SegmentSummary s = send(Seg(server_data, client_data, 4000, 9000, kAck, "data"));
    EXPECT_EQ(s.dir, kC2S);
    EXPECT_EQ(rec.stream(1, kC2S), "data");
}

TEST_F(TcpTrackerTest, MidStreamWithoutPortHintMakesTheFirstDestinationTheServer) {
    const net::Endpoint a = ep("192.168.1.5", 50000);
    const net::Endpoint b = ep("192.168.1.9", 60000);
    send(Seg(a, b, 1, 1, kAck, "x"));
    EXPECT_EQ(rec.infos.at(1).client, a);
    EXPECT_EQ(rec.infos.at(1).server, b);

    // Both ports are services: no hint either.
    const net::Endpoint c = ep("192.168.1.5", 990);
    const net::Endpoint d = ep("192.168.1.9", 21);
    send(Seg(d, c, 1, 1, kAck, "y"));
    EXPECT_EQ(rec.infos.at(2).client, d);
    EXPECT_EQ(rec.infos.at(2).server, c);
}

TEST_F(TcpTrackerTest, SynAckSeenFirstMakesItsSenderTheServer) {
    send(Seg(S, C, 5000, 1001, kSyn | kAck));
    send(Seg(C, S, 1001, 5001, kAck, "hi"));
    EXPECT_EQ(rec.infos.at(1).client, C);
    EXPECT_EQ(rec.infos.at(1).server, S);
    EXPECT_TRUE(rec.infos.at(1).saw_handshake);
    // The late SYN the SYN-ACK answered is a retransmission of the same connection.
    send(Seg(C, S, 1000, 0, kSyn));
    EXPECT_EQ(rec.infos.size(), 1u);
    EXPECT_EQ(rec.stream(1, kC2S), "hi");
}

TEST_F(TcpTrackerTest, SynAckSeenFirstAnchorsTheClientStreamAtItsAck) {
    send(Seg(S, C, 5000, 1001, kSyn | kAck));
    // The client's first bytes ("ab" at 1001) were not captured: offset 0 is still ISN + 1.
    send(Seg(C, S, 1003, 5001, kAck, "cd"));
    finish();
    EXPECT_EQ(rec.stream(1, kC2S), "{2}cd");
}

TEST_F(TcpTrackerTest, RetransmittedSynStaysInTheSameConnection) {
    send(Seg(C, S, 1000, 0, kSyn));
    const SegmentSummary again = send(Seg(C, S, 1000, 0, kSyn).at(now + 1000 * kMs));
    EXPECT_EQ(rec.infos.size(), 1u);
    EXPECT_TRUE(again.has(TcpEvent::kRetransmission));
    EXPECT_EQ(again.relative_seq, 0u);
}

TEST_F(TcpTrackerTest, TupleReusedAfterFinCloseGetsANewId) {
    const net::Endpoint server_data = ep("10.0.0.2", 20);
    const net::Endpoint client_data = ep("10.0.0.1", 40001);
    // Active-mode data connection: the server connects from port 20.
    send(Seg(server_data, client_data, 100, 0, kSyn));
    send(Seg(client_data, server_data, 900, 101, kSyn | kAck));
    send(Seg(server_data, client_data, 101, 901, kAck, "file1"));
    send(Seg(server_data, client_data, 106, 901, kFin | kAck));
    send(Seg(client_data, server_data, 901, 107, kFin | kAck));
    send(Seg(server_data, client_data, 107, 902, kAck));
    ASSERT_TRUE(rec.closed(1));

    // The next transfer reuses the same 4-tuple with a new ISN.
    const SegmentSummary syn = send(Seg(server_data, client_data, 77777, 0, kSyn));
    ASSERT_EQ(rec.infos.size(), 2u);
    EXPECT_EQ(syn.conn->id, 2u);
    EXPECT_EQ(rec.infos.at(2).client, server_data);
    EXPECT_TRUE(rec.infos.at(2).saw_handshake);
    EXPECT_FALSE(syn.has(TcpEvent::kRetransmission));
    send(Seg(client_data, server_data, 5555, 77778, kSyn | kAck));
    send(Seg(server_data, client_data, 77778, 5556, kAck, "file2"));
    EXPECT_EQ(rec.stream(1, kC2S), "file1");
    EXPECT_EQ(rec.stream(2, kC2S), "file2");
    EXPECT_EQ(rec.of(Kind::kClose).size(), 1u);  // the first one closed exactly once
}

TEST_F(TcpTrackerTest, NewSynOnAnOpenTupleClosesTheOldConnectionFirst) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kAck, "ghi"));  // a hole the old connection never fills
    const SegmentSummary syn = send(Seg(C, S, 424242, 0, kSyn));  // frame 6
    EXPECT_EQ(syn.conn->id, 2u);
    const auto close = rec.close_of(1);
    ASSERT_TRUE(close.has_value());
    EXPECT_EQ(close->reason, CloseReason::kRst);  // no FIN was seen: it was abandoned
    EXPECT_EQ(close->frame, 6u);
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghi");
    // Order: the old connection's remaining data and close, then the new one's open.
    std::vector<Kind> tail;
    for (auto it = rec.log.end() - 4; it != rec.log.end(); ++it) tail.push_back(it->kind);
    EXPECT_EQ(tail, (std::vector<Kind>{Kind::kGap, Kind::kData, Kind::kClose, Kind::kOpen}));
}

TEST_F(TcpTrackerTest, NewSynAfterOneFinReportsAFinClose) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kFin | kAck));
    send(Seg(C, S, 99, 0, kSyn));
    const auto close = rec.close_of(1);
    ASSERT_TRUE(close.has_value());
    EXPECT_EQ(close->reason, CloseReason::kFin);
    EXPECT_EQ(rec.infos.size(), 2u);
}

TEST_F(TcpTrackerTest, SegmentsAfterCloseWithoutSynDoNotOpenAConnection) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kFin | kAck));
    send(Seg(S, C, 5001, 1002, kFin | kAck));
    ASSERT_TRUE(rec.closed(1));
    const SegmentSummary ack = send(Seg(C, S, 1002, 5002, kAck));
    const SegmentSummary fin_again =
        send(Seg(S, C, 5001, 1002, kFin | kAck).at(now + 2000 * kMs));
    const SegmentSummary rst = send(Seg(C, S, 1002, 0, kRst));
    EXPECT_EQ(rec.infos.size(), 1u);
    EXPECT_EQ(ack.conn->id, 1u);
    EXPECT_EQ(fin_again.conn->id, 1u);
    EXPECT_TRUE(fin_again.has(TcpEvent::kRetransmission));  // still analysed...
    EXPECT_TRUE(rst.has(TcpEvent::kRst));
    EXPECT_EQ(rec.of(Kind::kClose).size(), 1u);
    EXPECT_TRUE(rec.events_at(frame).empty());  // ...but no callbacks after on_close

    // A retransmission of the closed connection's SYN (same ISN) is not a new connection either.
    send(Seg(C, S, 1000, 0, kSyn));
    EXPECT_EQ(rec.infos.size(), 1u);
}

TEST_F(TcpTrackerTest, FinishClosesRemainingConnectionsInIdOrder) {
    // Opened in an order unrelated to the ports, so hash order would differ from id order.
    const net::Endpoint c3 = ep("10.0.0.1", 40003);
    const net::Endpoint c1 = ep("10.0.0.1", 40001);
    const net::Endpoint c2 = ep("10.0.0.1", 40002);
    send(Seg(c3, S, 10, 0, kSyn));
    send(Seg(c1, S, 20, 0, kSyn));
    send(Seg(c2, S, 30, 0, kSyn));
    send(Seg(c1, S, 21, 1, kAck, "xy"));
    send(Seg(c1, S, 25, 1, kAck, "zz"));  // offsets 4-5, after a 2-byte hole
    // Closed connections are not closed again.
    send(Seg(ep("10.0.0.9", 1234), S, 1, 0, kRst));  // id 4, closed at once
    finish();

    const auto closes = rec.of(Kind::kClose);
    ASSERT_EQ(closes.size(), 4u);
    EXPECT_EQ(closes[0].conn, 4u);
    EXPECT_EQ(closes[1].conn, 1u);
    EXPECT_EQ(closes[2].conn, 2u);
    EXPECT_EQ(closes[3].conn, 3u);
    for (int i = 1; i < 4; ++i) {
        EXPECT_EQ(closes[i].reason, CloseReason::kCaptureEnd);
        EXPECT_EQ(closes[i].frame, frame);
        EXPECT_EQ(closes[i].time, now);
    }
    EXPECT_EQ(rec.infos.at(2).client, c1);
    EXPECT_EQ(rec.stream(2, kC2S), "xy{2}zz");
}

TEST_F(TcpTrackerTest, FinishAfterBothFinsBehindAHoleReportsFin) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "ab"));
    send(Seg(C, S, 1005, 5001, kFin | kAck, "ef"));  // "cd" missing, FIN at offset 6
    send(Seg(S, C, 5001, 1003, kFin | kAck));        // acks only "ab"
    EXPECT_FALSE(rec.closed(1));                     // the hole may still be retransmitted
    finish();
    EXPECT_EQ(rec.stream(1, kC2S), "ab{2}ef");
    ASSERT_TRUE(rec.close_of(1).has_value());
    EXPECT_EQ(rec.close_of(1)->reason, CloseReason::kFin);
}

TEST_F(TcpTrackerTest, ClosedConnectionsAreForgottenAfterTheConfiguredTime) {
    TrackerLimits limits;
    limits.forget_closed_after = 1000 * kMs;
    make_tracker(limits);
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kFin | kAck));
    send(Seg(S, C, 5001, 1002, kFin | kAck));
    const TimeNs closed_at = now;
    ASSERT_TRUE(rec.closed(1));

    // Within the time: still the closed connection.
    EXPECT_EQ(send(Seg(C, S, 1002, 5002, kAck).at(closed_at + 500 * kMs)).conn->id, 1u);
    EXPECT_EQ(rec.infos.size(), 1u);
    // Later: forgotten, so the same segment starts a fresh (mid-stream) connection.
    const SegmentSummary late = send(Seg(C, S, 1002, 5002, kAck).at(closed_at + 1500 * kMs));
    EXPECT_EQ(late.conn->id, 2u);
    EXPECT_FALSE(rec.infos.at(2).saw_handshake);
    EXPECT_EQ(rec.infos.at(2).first_frame, frame);
}

TEST_F(TcpTrackerTest, ManyClosedConnectionsAreAllForgotten) {
    TrackerLimits limits;
    limits.forget_closed_after = 1000 * kMs;
    make_tracker(limits);
    // 200 short connections on distinct ports, each reset right away.
    for (std::uint16_t p = 0; p < 200; ++p) {
        const net::Endpoint c = ep("10.0.0.1", static_cast<std::uint16_t>(30000 + p));
        send(Seg(c, S, 1, 0, kSyn));
        send(Seg(S, c, 0, 2, kRst | kAck));
    }
    // Far later, the same tuples show up again without SYN: every one is forgotten, so each
    // opens a new connection instead of landing in the old, closed one.
    now += 10'000 * kMs;
    for (std::uint16_t p = 0; p < 200; ++p) {
        const net::Endpoint c = ep("10.0.0.1", static_cast<std::uint16_t>(30000 + p));
        EXPECT_EQ(send(Seg(c, S, 500, 1, kAck)).conn->id, 201u + p);
    }
    EXPECT_EQ(rec.infos.size(), 400u);
}

}  // namespace
}  // namespace ftpsim::tcp::testing
