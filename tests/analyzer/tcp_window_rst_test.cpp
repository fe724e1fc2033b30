// A receiver closing its window during a transfer, and a data connection reset mid-transfer.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using tcp::TcpEvent;

const std::string kDataClient = "192.168.1.5:50124";
const std::string kDataServer = "192.168.1.10:50000";

class TcpWindowRstTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5000, 13);

    Connection& start_retr(Capture& cap, Connection*& ctrl_out) {
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        login(ctrl);
        exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80)");
        Connection& data = cap.connect(kClientData, kServerPasv);
        data.handshake();
        command(ctrl, "RETR file.bin");
        reply(ctrl, "150 Opening data channel");
        ctrl_out = &ctrl;
        return data;
    }
    static void finish(Connection& ctrl, const std::string& final_reply) {
        reply(ctrl, final_reply);
        ctrl.ack(kFromClient);
        exchange(ctrl, "QUIT", "221 Goodbye");
        ctrl.close();
    }
    static std::uint64_t data_conn_id(const EventCollector& ev) {
        auto opens = ev.of<analyzer::ConnOpen>();
        return opens.size() >= 2 ? opens[1].conn : 0;
    }
};

TEST_F(TcpWindowRstTest, ZeroWindowProbeAndWindowUpdate) {
    Capture cap;
    Connection* ctrl = nullptr;
    Connection& data = start_retr(cap, ctrl);
    data.send(file.substr(0, 2920), kFromServer);
    data.set_window(kFromClient, 0);
    std::size_t zero = data.ack(kFromClient);
    // One byte at the next sequence number while the window is closed; the receiver drops it.
    std::size_t probe =
        data.segment(kFromServer, data.next_seq(kFromServer), file.substr(2920, 1), kAck);
    data.ack(kFromClient);
    data.set_window(kFromClient, 65535);
    std::size_t update = data.ack(kFromClient);
    data.send(file.substr(2920), kFromServer);  // resends the probe's byte
    data.ack(kFromClient);
    data.close(false);
    finish(*ctrl, "226 Transfer complete");
    EventCollector ev = analyze(cap);
    const std::uint64_t id = data_conn_id(ev);

    // As Wireshark flags them: the ACK closing the window and the ACK of the probe.
    auto zw = ev.tcp_events(TcpEvent::kZeroWindow);
    ASSERT_EQ(zw.size(), 2u) << ev.dump();
    EXPECT_EQ(zw[0].frame, zero + 1);
    EXPECT_EQ(zw[1].frame, zero + 3);
    for (const auto& e : zw) {
        EXPECT_EQ(e.conn, id);
        EXPECT_EQ(e.src.str(), kDataClient);
    }

    auto zwp = ev.tcp_events(TcpEvent::kZeroWindowProbe);
    ASSERT_EQ(zwp.size(), 1u) << ev.dump();
    EXPECT_EQ(zwp[0].frame, probe + 1);
    EXPECT_EQ(zwp[0].src.str(), kDataServer);

    auto wu = ev.tcp_events(TcpEvent::kWindowUpdate);
    ASSERT_EQ(wu.size(), 1u) << ev.dump();
    EXPECT_EQ(wu[0].frame, update + 1);
    EXPECT_EQ(wu[0].conn, id);
    EXPECT_EQ(wu[0].src.str(), kDataClient);

    auto data_events = ev.bodies<analyzer::DataEvent>();
    ASSERT_EQ(data_events.size(), 1u) << ev.dump();
    EXPECT_EQ(data_events[0].bytes, file.size());
    EXPECT_EQ(data_events[0].sha256, expected_sha256(file));
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(TcpWindowRstTest, RstMidTransferClosesDataConnection) {
    Capture cap;
    Connection* ctrl = nullptr;
    Connection& data = start_retr(cap, ctrl);
    data.send(file.substr(0, 2920), kFromServer);
    data.ack(kFromClient);
    std::size_t rst = data.rst(kFromClient);
    finish(*ctrl, "426 Connection closed; transfer aborted.");
    EventCollector ev = analyze(cap);
    const std::uint64_t id = data_conn_id(ev);

    auto closes = ev.of<analyzer::ConnClose>();
    ASSERT_EQ(closes.size(), 2u) << ev.dump();
    const auto& data_close = std::get<analyzer::ConnClose>(closes[0].body);
    EXPECT_EQ(closes[0].conn, id);
    EXPECT_EQ(data_close.role, analyzer::ConnRole::kFtpData);
    EXPECT_EQ(data_close.reason, tcp::CloseReason::kRst);
    EXPECT_EQ(closes[0].frame, rst + 1);
    EXPECT_EQ(std::get<analyzer::ConnClose>(closes[1].body).reason, tcp::CloseReason::kFin);

    auto rsts = ev.tcp_events(TcpEvent::kRst);
    ASSERT_EQ(rsts.size(), 1u) << ev.dump();
    EXPECT_EQ(rsts[0].conn, id);
    EXPECT_EQ(rsts[0].src.str(), kDataClient);

    auto d = ev.bodies<analyzer::DataEvent>();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    EXPECT_EQ(d[0].command, "RETR");
    EXPECT_EQ(d[0].bytes, 2920u);
    EXPECT_EQ(d[0].sha256, expected_sha256(file.substr(0, 2920)));
    EXPECT_EQ(d[0].completion, 426);
}

// A connection that ends without FIN or RST is closed by the end of the capture.
TEST_F(TcpWindowRstTest, CaptureEndClosesOpenConnections) {
    Capture cap;
    Connection* ctrl = nullptr;
    Connection& data = start_retr(cap, ctrl);
    data.send(file.substr(0, 1000), kFromServer);
    EventCollector ev = analyze(cap);
    auto closes = ev.bodies<analyzer::ConnClose>();
    ASSERT_EQ(closes.size(), 2u) << ev.dump();
    for (const auto& c : closes) EXPECT_EQ(c.reason, tcp::CloseReason::kCaptureEnd);
    auto d = ev.bodies<analyzer::DataEvent>();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    EXPECT_EQ(d[0].bytes, 1000u);
    EXPECT_EQ(d[0].completion, 0);
}

}  // namespace
}  // namespace ftpsim::testsupport
