// A receiver closing its window during a transfer, and a data connection reset mid-transfer.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using tcp::TcpEvent;

const std::string kDataClient = "192.168.1.5:50124";
const std::string kDataServer = "192.168.1.10:50000";

class TcpWindowRstTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5000, 13);

};

TEST_F(TcpWindowRstTest, ZeroWindowProbeAndWindowUpdate) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    data.send(file.substr(0, 2920), kFromServer);
    data.set_window(kFromClient, 0);
    std::size_t zero = data.ack(kFromClient);
    // One byte at the next sequence number while the window is closed; the receiver drops it.
    std::size_t probe =
        data.segment(kFromServer, data.next_seq(kFromServer), file.substr(2920, 1), kAck);
    data.ack(kFromClient);
    data.set_window(kFromClient, 65535);
    std::size_t update = data.ack(kFromClient);
    send_and_close(data, file.substr(2920), kFromServer);  // resends the probe's byte
    complete_and_quit(ctrl);
    EventCollector ev = analyze(cap);
    const std::uint64_t id = ev.opened_conn(1);

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

    auto data_events = ev.data();
    ASSERT_EQ(data_events.size(), 1u) << ev.dump();
    expect_transfer(data_events[0], {.content = file});
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(TcpWindowRstTest, RstMidTransferClosesDataConnection) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    data.send(file.substr(0, 2920), kFromServer);
    data.ack(kFromClient);
    std::size_t rst = data.rst(kFromClient);
    complete_and_quit(ctrl, "426 Connection closed; transfer aborted.");
    EventCollector ev = analyze(cap);
    const std::uint64_t id = ev.opened_conn(1);

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

    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    expect_transfer(d[0], {.command = "RETR", .content = file.substr(0, 2920), .bytes = 2920,
                           .completion = 426});
}

// A connection that ends without FIN or RST is closed by the end of the capture.
TEST_F(TcpWindowRstTest, CaptureEndClosesOpenConnections) {
    Capture cap;
    begin_passive_retr(cap).data.send(file.substr(0, 1000), kFromServer);
    EventCollector ev = analyze(cap);
    auto closes = ev.bodies<analyzer::ConnClose>();
    ASSERT_EQ(closes.size(), 2u) << ev.dump();
    for (const auto& c : closes) EXPECT_EQ(c.reason, tcp::CloseReason::kCaptureEnd);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    expect_transfer(d[0], {.bytes = 1000, .completion = 0});
}

}  // namespace
}  // namespace ftpsim::testsupport
