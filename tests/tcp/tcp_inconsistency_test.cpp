// Two copies of the same stream bytes that differ: which one the stream keeps (what a receiving
// Linux TCP reads, stream_reassembler.hpp) and the inconsistent_retransmission report, through the
// TcpTracker and, for the PORT line split at every offset, the StreamReassembler on its own.
#include <string>
#include <vector>

#include "tcp/stream_reassembler.hpp"
#include "tcp_test_harness.hpp"

namespace ftpsim::tcp::testing {
namespace {

using Kind = Record::Kind;

TEST_F(TcpTrackerTest, IdenticalCopiesAreNoInconsistency) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abcdef"));
    send(Seg(C, S, 1001, 5001, kAck, "abcdef").at(now + 300 * kMs));  // over delivered bytes
    send(Seg(C, S, 1011, 5001, kAck, "klm"));                         // held
    send(Seg(C, S, 1011, 5001, kAck, "klm"));                         // the same, held again
    send(Seg(C, S, 1004, 5001, kAck, "defghijklmno"));                // covers delivered and held
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefghijklmno");
    EXPECT_TRUE(rec.of(Kind::kInconsistency).empty());
}

TEST_F(TcpTrackerTest, AnInOrderCopyReplacesDifferingHeldBytesAndSaysSo) {
    // The shape of a device that drops the first part of a split command and rewrites the
    // retransmission of the whole line: the tail arrives first, out of order, then the new line.
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "USER a\r\n"));
    send(Seg(C, S, 1019, 5001, kAck, "1,5,7,9\r\n"));             // frame 5: held, offset 18
    send(Seg(C, S, 1009, 5001, kAck, "PORT 10,0,0,1,7,9\r\n"));   // frame 6: in order, 19 bytes
    EXPECT_EQ(rec.stream(1, kC2S), "USER a\r\nPORT 10,0,0,1,7,9\r\n");
    const auto found = rec.of(Kind::kInconsistency);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].frame, 6u);
    EXPECT_EQ(found[0].dir, kC2S);
    // Held "1,5,7,9\r\n" against "0,1,7,9\r\n" at offsets 18..26: they differ at 18 and 20.
    EXPECT_EQ(found[0].offset, 18u);
    EXPECT_EQ(found[0].length, 3u);
    EXPECT_EQ(found[0].relative_seq, 19u);  // the first data byte is 1, as Wireshark numbers it
    EXPECT_TRUE(found[0].later_copy_kept);
    EXPECT_EQ(rec.of(Kind::kData).back().offset, 8u);  // the new line, in one piece
    // The report comes before the bytes it concerns.
    std::size_t report = 0, data = 0;
    for (std::size_t i = 0; i < rec.log.size(); ++i) {
        if (rec.log[i].kind == Kind::kInconsistency) report = i;
        if (rec.log[i].kind == Kind::kData && rec.log[i].frame == 6) data = i;
    }
    EXPECT_LT(report, data);
}

TEST_F(TcpTrackerTest, HeldBytesPastTheInOrderCopyAreStillDelivered) {
    handshake(1000, 5000);
    send(Seg(C, S, 1004, 5001, kAck, "XYZwxyz"));  // held: offsets 3..9
    send(Seg(C, S, 1001, 5001, kAck, "abcdef"));   // in order: offsets 0..5
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefwxyz");
    const auto found = rec.of(Kind::kInconsistency);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].offset, 3u);
    EXPECT_EQ(found[0].length, 3u);
}

TEST_F(TcpTrackerTest, DeliveredBytesStayWhenALaterCopyDiffers) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kAck, "abcdef"));
    send(Seg(C, S, 1001, 5001, kAck, "abXdeYgh").at(now + 300 * kMs));  // frame 5
    EXPECT_EQ(rec.stream(1, kC2S), "abcdefgh");
    const auto found = rec.of(Kind::kInconsistency);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].frame, 5u);
    EXPECT_EQ(found[0].offset, 2u);
    EXPECT_EQ(found[0].length, 4u);  // from the first differing byte to the last
    EXPECT_EQ(found[0].relative_seq, 3u);
    EXPECT_FALSE(found[0].later_copy_kept);
}

TEST_F(TcpTrackerTest, AcknowledgedBytesAreNotCompared) {
    // A device grew the server's segment without fixing sequence numbers up: its next segment
    // starts inside bytes the client has acknowledged. Not a retransmission of unacknowledged
    // data, so not compared (delivered_bytes.hpp); the stream is as before.
    handshake(1000, 5000);
    send(Seg(S, C, 5001, 1001, kAck, "227 (1,2,3,4,5,6)\r\n"));
    send(Seg(C, S, 1001, 5001 + 19, kAck));
    send(Seg(S, C, 5001 + 16, 1001, kAck, "150 ok\r\n"));
    EXPECT_EQ(rec.stream(1, kS2C), "227 (1,2,3,4,5,6)\r\n ok\r\n");
    EXPECT_TRUE(rec.of(Kind::kInconsistency).empty());
}

TEST_F(TcpTrackerTest, DifferingCopiesAfterTheFinAreReported) {
    handshake(1000, 5000);
    send(Seg(C, S, 1001, 5001, kFin | kAck, "abc"));
    send(Seg(C, S, 1001, 5001, kFin | kAck, "abd").at(now + 300 * kMs));
    EXPECT_EQ(rec.stream(1, kC2S), "abc");
    ASSERT_EQ(rec.of(Kind::kInconsistency).size(), 1u);
    EXPECT_EQ(rec.of(Kind::kInconsistency)[0].offset, 2u);
}

// Out-of-order copies overlapping each other: the one starting lower wins; on the same start,
// the longer; otherwise the one held first (Linux's tcp_data_queue_ofo).
struct HeldCase {
    const char* name;
    std::uint32_t first_seq;
    const char* first;
    std::uint32_t later_seq;
    const char* later;
    const char* stream;
    bool later_kept;
};

TEST_F(TcpTrackerTest, OverlappingHeldCopiesFollowLinux) {
    const HeldCase cases[] = {
        {"later starts inside", 1004, "defg", 1006, "FGHI", "abcdefgHI", false},
        {"later starts lower", 1006, "fghi", 1004, "DEFG", "abcDEFGhi", true},
        {"same start, later longer", 1004, "defg", 1004, "DEFGH", "abcDEFGH", true},
        {"same start, later shorter", 1004, "defg", 1004, "DEF", "abcdefg", false},
        {"later inside", 1004, "defgh", 1005, "EF", "abcdefgh", false},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        rec = Recorder();
        make_tracker({});
        handshake(1000, 5000);
        send(Seg(C, S, c.first_seq, 5001, kAck, c.first));
        send(Seg(C, S, c.later_seq, 5001, kAck, c.later));
        const auto found = rec.of(Kind::kInconsistency);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].later_copy_kept, c.later_kept);
        send(Seg(C, S, 1001, 5001, kAck, "abc"));
        EXPECT_EQ(rec.stream(1, kC2S), c.stream);
        EXPECT_EQ(rec.of(Kind::kInconsistency).size(), 1u);  // "abc" differs from nothing
    }
}

// What a StreamReassembler delivers and reports, as text.
class TextSink final : public StreamSink {
public:
    void stream_data(std::uint64_t, std::span<const std::uint8_t> bytes) override {
        text.append(bytes.begin(), bytes.end());
    }
    void stream_gap(std::uint64_t, std::uint64_t length) override {
        text += "{" + std::to_string(length) + "}";
    }
    void stream_conflict(const StreamConflict& c) override { conflicts.push_back(c); }
    std::string text;
    std::vector<StreamConflict> conflicts;
};

std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The range in which a and b differ within [from, min(size)), or none.
std::optional<std::pair<std::size_t, std::size_t>> differing(const std::string& a, const std::string& b,
                                                             std::size_t from) {
    std::optional<std::pair<std::size_t, std::size_t>> out;
    for (std::size_t i = from; i < std::min(a.size(), b.size()); ++i) {
        if (a[i] == b[i]) continue;
        if (!out) out = {i, i + 1};
        out->second = i + 1;
    }
    return out;
}

TEST(StreamReassemblerConflictTest, TheRewrittenRetransmissionWinsWhereverTheCommandWasSplit) {
    // The client's line, cut at every offset: the first part dies at the device, the second is
    // held out of order, and the retransmission of the whole line arrives rewritten, of the same
    // length, longer or shorter. The stream is the rewritten line, followed by what the held copy
    // has past its end when nothing is missing in between.
    const std::string sent = "PORT 192,168,1,5,195,180\r\n";
    for (const std::string rewritten : {"PORT 203,0,113,1,195,180\r\n", "PORT 203,0,113,77,195,180\r\n",
                                        "PORT 10,0,0,1,195,180\r\n"}) {
        for (std::size_t cut = 1; cut < sent.size(); ++cut) {
            SCOPED_TRACE(rewritten + " cut at " + std::to_string(cut));
            StreamReassembler r;
            TextSink sink;
            r.start(100);
            const std::string tail = sent.substr(cut);
            r.add(100 + static_cast<std::uint32_t>(cut), bytes_of(tail), 0, false, sink);
            EXPECT_EQ(sink.text, "");
            r.add(100, bytes_of(rewritten), 0, false, sink);
            const bool contiguous = cut <= rewritten.size();
            const std::string past =
                contiguous && sent.size() > rewritten.size() ? sent.substr(rewritten.size()) : "";
            EXPECT_EQ(sink.text, rewritten + past);
            EXPECT_EQ(r.buffered_bytes(), contiguous ? 0u : sent.size() - cut);
            const auto diff = differing(rewritten, sent, cut);
            ASSERT_EQ(sink.conflicts.size(), diff ? 1u : 0u);
            if (!diff) continue;
            EXPECT_EQ(sink.conflicts[0].offset, diff->first);
            EXPECT_EQ(sink.conflicts[0].length, diff->second - diff->first);
            EXPECT_TRUE(sink.conflicts[0].later_copy_kept);
        }
    }
}

TEST(StreamReassemblerConflictTest, TheDeliveredLineStaysWhereverItWasSplit) {
    // The same line delivered in two parts, then a differing copy of it: the delivered one stays.
    const std::string sent = "PORT 192,168,1,5,195,180\r\n";
    const std::string again = "PORT 203,0,113,1,195,180\r\n";
    for (std::size_t cut = 1; cut < sent.size(); ++cut) {
        SCOPED_TRACE(cut);
        StreamReassembler r;
        TextSink sink;
        r.start(100);
        r.add(100, bytes_of(sent.substr(0, cut)), 0, false, sink);
        r.add(100 + static_cast<std::uint32_t>(cut), bytes_of(sent.substr(cut)), 0, false, sink);
        r.add(100, bytes_of(again), 0, false, sink);
        EXPECT_EQ(sink.text, sent);
        ASSERT_EQ(sink.conflicts.size(), 1u);
        EXPECT_EQ(sink.conflicts[0].offset, 5u);
        EXPECT_EQ(sink.conflicts[0].length, 11u);  // "192,168,1,5" against "203,0,113,1"
        EXPECT_FALSE(sink.conflicts[0].later_copy_kept);
    }
}

}  // namespace
}  // namespace ftpsim::tcp::testing
