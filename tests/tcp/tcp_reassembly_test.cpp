// Stream reassembly through the TcpTracker (retransmissions, reordering, gaps, wraparound) and
// the StreamReassembler on its own for what is impractical through segments (> 4 GiB streams).
#include <numeric>

#include "tcp/stream_reassembler.hpp"
#include "tcp_test_harness.hpp"

namespace ftpsim::tcp::testing {
namespace {

using Kind = Record::Kind;

TEST_F(TcpTrackerTest, RetransmissionIsDeliveredOnceAndFlagged) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    const SegmentSummary again = send(Seg(C, S, 1001, 5001, kAck, "abc").at(now + 500 * kMs));
    EXPECT_TRUE(again.has(TcpEvent::kRetransmission));
    EXPECT_FALSE(again.has(TcpEvent::kOutOfOrder));
    EXPECT_EQ(rec.events_at(5), std::vector<TcpEvent>{TcpEvent::kRetransmission});
    EXPECT_EQ(rec.stream(1, kC2S), "abc");
    EXPECT_EQ(rec.of(Kind::kData).size(), 1u);
}

TEST_F(TcpTrackerTest, OutOfOrderSegmentsAreDeliveredInOrderAndFlagged) {
    handshake(1000, 5000);  // initial RTT 20 ms: the out-of-order window
    const SegmentSummary second = send(Seg(C, S, 1004, 5001, kAck, "def"));  // frame 4
    EXPECT_TRUE(second.has(TcpEvent::kLostSegment));
    EXPECT_TRUE(rec.of(Kind::kData).empty());
    const SegmentSummary first = send(Seg(C, S, 1001, 5001, kAck, "abc").at(now + 1 * kMs));
    EXPECT_TRUE(first.has(TcpEvent::kOutOfOrder));
    EXPECT_FALSE(first.has(TcpEvent::kRetransmission));
    EXPECT_EQ(rec.stream(1, kC2S), "abcdef");
    const auto datas = rec.of(Kind::kData);
    ASSERT_EQ(datas.size(), 2u);
    EXPECT_EQ(datas[0].offset, 0u);
    EXPECT_EQ(datas[1].offset, 3u);
    EXPECT_EQ(datas[1].frame, 5u);  // made deliverable by frame 5
    send(Seg(C, S, 1007, 5001, kAck, "ghi"));
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefghi");
}

TEST_F(TcpTrackerTest, AckBeyondCapturedDataDeclaresAGapAndDeliveryResumes) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kAck, "ghi"));  // "def" never captured
    EXPECT_EQ(rec.stream(1, kC2S), "abc");
    send(Seg(S, C, 5001, 1010, kAck));         // frame 6: the server has it all
    const auto gaps = rec.of(Kind::kGap);
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0].dir, kC2S);
    EXPECT_EQ(gaps[0].offset, 3u);
    EXPECT_EQ(gaps[0].length, 3u);
    EXPECT_EQ(gaps[0].frame, 6u);
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghi");
    send(Seg(C, S, 1010, 5001, kAck, "jkl"));
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghijkl");
    // An ACK further still, with nothing buffered, is a gap at the end of what was seen once
    // the capture ends and nothing contradicted it.
    send(Seg(S, C, 5001, 1100, kAck));
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghijkl");
    finish();
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghijkl{87}");
}

TEST_F(TcpTrackerTest, AnAckOfBytesNeverSentIsNoGapWhenTheSenderGoesOnWhereItWas) {
    // A middlebox grew the client's segment by 3 bytes without fixing sequence numbers up: the
    // server acknowledges 3 bytes this side never carried, and the client's next segment starts
    // where its own stream was. Nothing is missing on this side of the device.
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "227 x\r\n"));
    send(Seg(S, C, 5001, 1001 + 7 + 3, kAck));
    send(Seg(C, S, 1008, 5001, kAck, "150 y\r\n"));
    finish();
    EXPECT_EQ(rec.stream(1, kC2S), "227 x\r\n150 y\r\n");
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
}

TEST_F(TcpTrackerTest, OverlapsAreTrimmedAndTheInOrderCopyReplacesTheHeldOne) {
    // As a receiving Linux TCP: the in-order segment is read, the held copy it covers dropped
    // (stream_reassembler.hpp); that the copies differ is reported (tcp_inconsistency_test.cpp).
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kAck, "GHI"));      // held first
    send(Seg(C, S, 1001, 5001, kAck, "abcdefghijk"));  // covers both and more
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefghijk");
    const auto datas = rec.of(Kind::kData);
    ASSERT_EQ(datas.size(), 2u);
    EXPECT_EQ(datas[1].bytes, "defghijk");
    EXPECT_EQ(datas[1].offset, 3u);
    EXPECT_EQ(rec.of(Kind::kInconsistency).size(), 1u);
}

TEST_F(TcpTrackerTest, SequenceNumbersWrapAround) {
    const std::uint32_t isn = 0xFFFFFFF0u;
    handshake(isn, 0x7FFFFFFFu);
    send(Seg(C, S, isn + 1, 0x80000000u, kAck, "0123456789"));  // ends at 0xFFFFFFFB
    // Reordered across the wrap: the later segment (seq 5) first.
    const SegmentSummary after = send(Seg(C, S, 5, 0x80000000u, kAck, "KLMNO"));
    EXPECT_TRUE(after.has(TcpEvent::kLostSegment));
    EXPECT_EQ(after.relative_seq, 21u);
    const SegmentSummary across =
        send(Seg(C, S, 0xFFFFFFFBu, 0x80000000u, kAck, "ABCDEFGHIJ").at(now + 1 * kMs));
    EXPECT_TRUE(across.has(TcpEvent::kOutOfOrder));
    EXPECT_FALSE(across.has(TcpEvent::kLostSegment));
    const SegmentSummary next = send(Seg(C, S, 10, 0x80000000u, kAck, "pq"));
    EXPECT_EQ(next.events, 0u);
    EXPECT_EQ(rec.stream(1, kC2S), "0123456789ABCDEFGHIJKLMNOpq");
    EXPECT_EQ(rec.of(Kind::kData).back().offset, 25u);
    // The server's ACK across the wrap covers exactly what was seen: no gap.
    send(Seg(S, C, 0x80000000u, 12, kAck));
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
}

TEST_F(TcpTrackerTest, OutOfOrderBufferBoundDeclaresAGap) {
    TrackerLimits limits;
    limits.max_out_of_order_bytes = 10;
    make_tracker(limits);
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kAck, "ghijkl"));  // offset 6, 6 bytes buffered
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
    send(Seg(C, S, 1015, 5001, kAck, "opqrst"));  // offset 14: 12 bytes > 10
    // The hole before the earliest buffered chunk gives way; 6 bytes remain buffered.
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghijkl");
    const auto gaps = rec.of(Kind::kGap);
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0].offset, 3u);
    EXPECT_EQ(gaps[0].frame, 6u);
    finish();  // the rest is flushed before the close
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghijkl{2}opqrst");
    EXPECT_EQ(rec.close_of(1)->reason, CloseReason::kCaptureEnd);
}

TEST_F(TcpTrackerTest, FinBehindAHoleWaitsForTheRetransmission) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kFin | kAck, "ghi"));   // FIN at offset 9, "def" missing
    send(Seg(S, C, 5001, 1004, kFin | kAck));           // server acks "abc" and closes
    EXPECT_FALSE(rec.closed(1));
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
    send(Seg(C, S, 1004, 5002, kAck, "def").at(now + 300 * kMs));  // frame 7
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefghi");
    ASSERT_TRUE(rec.closed(1));
    EXPECT_EQ(rec.close_of(1)->reason, CloseReason::kFin);
    EXPECT_EQ(rec.close_of(1)->frame, 7u);
}

TEST_F(TcpTrackerTest, FinBehindAHoleClosesWhenThePeerAcksThePastTheHole) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(C, S, 1007, 5001, kFin | kAck, "ghi"));
    send(Seg(S, C, 5001, 1011, kFin | kAck));  // frame 6: acks the FIN, so "def" was lost
    EXPECT_EQ(rec.stream(1, kC2S), "abc{3}ghi");
    ASSERT_TRUE(rec.closed(1));
    EXPECT_EQ(rec.close_of(1)->frame, 6u);
    EXPECT_EQ(rec.close_of(1)->reason, CloseReason::kFin);
}

TEST_F(TcpTrackerTest, BytesCutByTheSnapLengthAreAGap) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc").cut(5));  // 8 bytes on the wire, 3 captured
    send(Seg(C, S, 1009, 5001, kAck, "xyz"));
    EXPECT_EQ(rec.stream(1, kC2S), "abc{5}xyz");
    EXPECT_TRUE(rec.events_at(5).empty());  // seglen counts the cut bytes: no lost segment
}

TEST_F(TcpTrackerTest, AckOfAnUncapturedFinIsNotAGap) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abc"));
    send(Seg(S, C, 5001, 1005, kAck));  // one past the data: the ACK of a FIN we did not see
    finish();
    EXPECT_EQ(rec.stream(1, kC2S), "abc");
    EXPECT_TRUE(rec.of(Kind::kGap).empty());
}

TEST_F(TcpTrackerTest, DataAfterTheFinIsIgnored) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kFin | kAck, "abc"));
    send(Seg(C, S, 1005, 5001, kAck, "junk"));
    send(Seg(S, C, 5001, 1005, kFin | kAck));
    EXPECT_EQ(rec.stream(1, kC2S), "abc");
    EXPECT_TRUE(rec.closed(1));
}

// Collects what a StreamReassembler delivers, checking contiguity without keeping the bytes.
class CountingSink final : public StreamSink {
public:
    void stream_data(std::uint64_t offset, std::span<const std::uint8_t> bytes) override {
        EXPECT_EQ(offset, next);
        next = offset + bytes.size();
        data_bytes += bytes.size();
        last = bytes.empty() ? 0 : bytes.back();
    }
    void stream_gap(std::uint64_t offset, std::uint64_t length) override {
        EXPECT_EQ(offset, next);
        next = offset + length;
        gap_bytes += length;
        ++gaps;
    }
    std::uint64_t next = 0;
    std::uint64_t data_bytes = 0;
    std::uint64_t gap_bytes = 0;
    int gaps = 0;
    std::uint8_t last = 0;
};

TEST(StreamReassemblerTest, StreamsLongerThanFourGibibytesKeep64BitOffsets) {
    std::vector<std::uint8_t> chunk(1 << 16);
    std::iota(chunk.begin(), chunk.end(), std::uint8_t{0});
    StreamReassembler r(1024);
    CountingSink sink;
    std::uint32_t seq = 0xFFFF0000u;
    r.start(seq);
    const std::uint64_t segments = (std::uint64_t{1} << 16) + 3;  // 4 GiB + 192 KiB
    for (std::uint64_t i = 0; i < segments; ++i) {
        r.add(seq, chunk, 0, false, sink);
        seq += static_cast<std::uint32_t>(chunk.size());
    }
    const std::uint64_t total = segments * chunk.size();
    EXPECT_EQ(sink.data_bytes, total);
    EXPECT_EQ(r.next_offset(), total);
    // A retransmission of the previous segment (sequence numbers wrapped twice meanwhile).
    r.add(seq - static_cast<std::uint32_t>(chunk.size()), chunk, 0, false, sink);
    EXPECT_EQ(sink.data_bytes, total);
    r.add(seq, std::span<const std::uint8_t>(chunk).first(10), 0, true, sink);
    EXPECT_TRUE(r.fin_delivered());
    EXPECT_EQ(sink.next, total + 10);
    EXPECT_EQ(sink.last, 9);
}

TEST(StreamReassemblerTest, ImplausibleSequenceNumbersAndAcksAreIgnored) {
    const std::vector<std::uint8_t> bytes = {1, 2, 3};
    StreamReassembler r;
    CountingSink sink;
    r.start(1000);
    r.add(1000 + (1u << 31) - 5, bytes, 0, false, sink);  // far outside any window
    EXPECT_EQ(r.buffered_bytes(), 0u);
    r.acked(1000 + (1u << 31) - 5, sink);                 // an ACK from another world
    EXPECT_EQ(sink.gaps, 0);
    r.add(1000, bytes, 0, false, sink);
    EXPECT_EQ(sink.data_bytes, 3u);
    r.add(900, bytes, 0, false, sink);  // before the stream start: trimmed away entirely
    EXPECT_EQ(sink.data_bytes, 3u);
    EXPECT_EQ(sink.next, 3u);
}

TEST(StreamReassemblerTest, FlushDeliversEverythingUpToTheFin) {
    const std::vector<std::uint8_t> bytes = {1, 2, 3, 4};
    StreamReassembler r;
    CountingSink sink;
    r.start(0);
    r.add(10, bytes, 0, false, sink);
    r.add(20, bytes, 0, true, sink);  // FIN at offset 24
    r.add(2, bytes, 0, false, sink);
    EXPECT_EQ(r.buffered_bytes(), 12u);
    r.flush(sink);
    EXPECT_TRUE(r.fin_delivered());
    EXPECT_EQ(r.buffered_bytes(), 0u);
    EXPECT_EQ(sink.next, 24u);
    EXPECT_EQ(sink.data_bytes, 12u);
    EXPECT_EQ(sink.gap_bytes, 12u);  // [0,2) [6,10) [14,20)
    EXPECT_EQ(sink.gaps, 3);
}

}  // namespace
}  // namespace ftpsim::tcp::testing
