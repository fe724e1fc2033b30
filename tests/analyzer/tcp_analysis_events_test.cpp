// Wireshark's tcp.analysis events on an FTP data connection: duplicate ACKs and a fast
// retransmission after a loss, a full receive window, keep-alives on an idle control connection.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using tcp::TcpEvent;

class TcpAnalysisEventsTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5840, 43);  // four segments of 1460

    // Login, PASV, data connection handshake (with `options`, the client advertising
    // `client_window`), RETR, 150. Returns the data connection; `ctrl_out` the control one.
    Connection& start_retr(Capture& cap, Connection*& ctrl_out, const HandshakeOptions& options,
                           std::uint16_t client_window = 65535) {
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        login(ctrl);
        exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80)");
        Connection& data = cap.connect(kClientData, kServerPasv);
        data.set_window(kFromClient, client_window);
        data.handshake(options);
        command(ctrl, "RETR file.bin");
        reply(ctrl, "150 Opening data channel");
        ctrl_out = &ctrl;
        return data;
    }
    static void finish(Connection& ctrl, Connection& data) {
        data.ack(kFromClient);
        data.close(false);
        reply(ctrl, "226 Transfer complete");
        ctrl.ack(kFromClient);
        exchange(ctrl, "QUIT", "221 Goodbye");
        ctrl.close();
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
    Connection* ctrl = nullptr;
    Connection& data = start_retr(cap, ctrl, {});
    const std::uint32_t base = data.next_seq(kFromServer);
    data.segment(kFromServer, base, chunk(0), kPsh | kAck, true);
    data.ack_at(kFromClient, base + 1460);
    std::size_t lost = data.segment(kFromServer, base + 1460, chunk(1), kPsh | kAck, true);
    std::size_t third = data.segment(kFromServer, base + 2920, chunk(2), kPsh | kAck, true);
    std::size_t dup1 = data.ack_at(kFromClient, base + 1460);
    data.segment(kFromServer, base + 4380, chunk(3), kPsh | kAck, true);
    std::size_t dup2 = data.ack_at(kFromClient, base + 1460);
    std::size_t resent = data.segment(kFromServer, base + 1460, chunk(1));
    finish(*ctrl, data);
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
    EXPECT_EQ(d[0].bytes, file.size());
    EXPECT_EQ(d[0].sha256, expected_sha256(file));
    EXPECT_TRUE(ev.anomalies("gap").empty()) << ev.dump();
}

TEST_F(TcpAnalysisEventsTest, DataFillingTheReceiveWindow) {
    Capture cap;
    Connection* ctrl = nullptr;
    // No window scaling: the advertised 2920 bytes are two segments.
    Connection& data = start_retr(cap, ctrl, {1460, std::nullopt}, 2920);
    std::size_t full1 = data.send(file.substr(0, 2920), kFromServer) + 1;  // the second segment
    data.ack(kFromClient);
    std::size_t full2 = data.send(file.substr(2920), kFromServer) + 1;
    finish(*ctrl, data);
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
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    std::size_t probe = ctrl.segment(kFromClient, ctrl.next_seq(kFromClient) - 1, "", kAck);
    ctrl.ack(kFromServer);  // the keep-alive's answer: not a duplicate ACK
    exchange(ctrl, "QUIT", "221 Goodbye");
    ctrl.close();
    EventCollector ev = analyze(cap);
    EXPECT_EQ(frames(ev.tcp_events(TcpEvent::kKeepAlive)), (std::vector<std::uint64_t>{probe + 1}))
        << ev.dump();
    EXPECT_TRUE(ev.tcp_events(TcpEvent::kDupAck).empty()) << ev.dump();
    EXPECT_EQ(ev.commands().size(), 3u) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
