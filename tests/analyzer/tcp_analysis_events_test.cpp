// Wireshark's tcp.analysis events on an FTP data connection: duplicate ACKs and a fast
// retransmission after a loss, a full receive window, keep-alives on an idle control connection.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using tcp::TcpEvent;

class TcpAnalysisEventsTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5840, 43);  // four segments of 1460

    // The receiver's ACK and the server's close of the data connection, 226, QUIT.
    static void finish(Connection& ctrl, Connection& data) {
        ack_and_close(data, /*sender_is_client=*/false);
        complete_and_quit(ctrl);
    }
    std::string chunk(int i) const { return file.substr(static_cast<std::size_t>(i) * 1460, 1460); }
};

std::vector<std::uint64_t> frames(const std::vector<analyzer::Event>& events) {
    std::vector<std::uint64_t> out;
    for (const auto& e : events) out.push_back(e.frame);
    return out;
}

TEST_F(TcpAnalysisEventsTest, DuplicateAcksThenFastRetransmission) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    const std::uint32_t base = data.next_seq(kFromServer);
    data.segment(kFromServer, base, chunk(0), kPsh | kAck, true);
    data.ack_at(kFromClient, base + 1460);
    std::size_t lost = data.segment(kFromServer, base + 1460, chunk(1), kPsh | kAck, true);
    std::size_t third = data.segment(kFromServer, base + 2920, chunk(2), kPsh | kAck, true);
    std::size_t dup1 = data.ack_at(kFromClient, base + 1460);
    data.segment(kFromServer, base + 4380, chunk(3), kPsh | kAck, true);
    std::size_t dup2 = data.ack_at(kFromClient, base + 1460);
    std::size_t resent = data.segment(kFromServer, base + 1460, chunk(1));
    finish(ctrl, data);
    cap.packets.erase(cap.packets.begin() + static_cast<std::ptrdiff_t>(lost));
    // Indices after `lost` moved down by one.
    EventCollector ev = analyze(cap);
    EXPECT_EQ(frames(ev.tcp_events(TcpEvent::kLostSegment)), (std::vector<std::uint64_t>{third}))
        << ev.dump();
    EXPECT_EQ(frames(ev.tcp_events(TcpEvent::kDupAck)), (std::vector<std::uint64_t>{dup1, dup2}))
        << ev.dump();
    EXPECT_EQ(frames(ev.tcp_events(TcpEvent::kRetransmission)), (std::vector<std::uint64_t>{resent}))
        << ev.dump();
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    expect_transfer(d[0], {.content = file});
    EXPECT_TRUE(ev.anomalies("gap").empty()) << ev.dump();
}

TEST_F(TcpAnalysisEventsTest, DataFillingTheReceiveWindow) {
    Capture cap;
    // No window scaling: the advertised 2920 bytes are two segments.
    auto [ctrl, data] = begin_passive_retr(
        cap, {.data_handshake = {1460, std::nullopt}, .data_client_window = 2920});
    std::size_t full1 = data.send(file.substr(0, 2920), kFromServer) + 1;  // the second segment
    data.ack(kFromClient);
    std::size_t full2 = data.send(file.substr(2920), kFromServer) + 1;
    finish(ctrl, data);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(frames(ev.tcp_events(TcpEvent::kWindowFull)),
              (std::vector<std::uint64_t>{full1 + 1, full2 + 1}))
        << ev.dump();
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    EXPECT_EQ(d[0].bytes, file.size());
}

TEST_F(TcpAnalysisEventsTest, KeepAliveOnIdleControlConnection) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t probe = ctrl.segment(kFromClient, ctrl.next_seq(kFromClient) - 1, "", kAck);
    ctrl.ack(kFromServer);  // the keep-alive's answer: not a duplicate ACK
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(frames(ev.tcp_events(TcpEvent::kKeepAlive)), (std::vector<std::uint64_t>{probe + 1}))
        << ev.dump();
    EXPECT_TRUE(ev.tcp_events(TcpEvent::kDupAck).empty()) << ev.dump();
    EXPECT_EQ(ev.commands().size(), 3u) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
