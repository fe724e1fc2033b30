// FTP-level anomalies: bounce, hijacked data connections, short transfers, unpaired replies and
// commands, and a 227 reply in a form other than RFC 959's parentheses.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::AnomalyEvent;

std::string detail(const analyzer::Event& e) { return std::get<AnomalyEvent>(e.body).detail; }

class AnomaliesTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5000, 17);

    // PASV + RETR with the given 227 and 150 texts; `sent` bytes of the file go over a data
    // connection from `peer`.
    EventCollector pasv_retr(const std::string& pasv_reply, const std::string& opening,
                             std::size_t sent, const Ep& peer = kClientData) {
        Capture cap;
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        login(ctrl);
        exchange(ctrl, "PASV", pasv_reply);
        Connection& data = cap.connect(peer, kServerPasv);
        data.handshake();
        command(ctrl, "RETR file.bin");
        reply(ctrl, opening);
        data.send(file.substr(0, sent), kFromServer);
        data.ack(kFromClient);
        data.close(false);
        reply(ctrl, "226 Transfer complete.");
        ctrl.ack(kFromClient);
        exchange(ctrl, "QUIT", "221 Goodbye.");
        ctrl.close();
        return analyze(cap);
    }
};

TEST_F(AnomaliesTest, PortNamingAnotherHostIsABounce) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    std::size_t port = exchange(ctrl, "PORT 10,0,0,99,8,155", "200 PORT command successful.");
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
    EventCollector ev = analyze(cap);
    auto bounce = ev.anomalies("ftp_bounce");
    ASSERT_EQ(bounce.size(), 1u) << ev.dump();
    EXPECT_EQ(bounce[0].frame, port + 1);
    EXPECT_EQ(bounce[0].src.str(), "192.168.1.5:50123");
    EXPECT_NE(detail(bounce[0]).find("10.0.0.99"), std::string::npos) << detail(bounce[0]);
}

TEST_F(AnomaliesTest, PortNamingTheClientIsNoBounce) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    exchange(ctrl, "PORT 192,168,1,5,8,155", "200 PORT command successful.");
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
    EventCollector ev = analyze(cap);
    EXPECT_TRUE(ev.anomalies("ftp_bounce").empty()) << ev.dump();
}

TEST_F(AnomaliesTest, PassiveDataConnectionFromAnotherHost) {
    const Ep intruder{"192.168.1.66", 40000};
    EventCollector ev = pasv_retr("227 Entering Passive Mode (192,168,1,10,195,80).",
                                  "150 Opening data channel", file.size(), intruder);
    auto peer = ev.anomalies("unexpected_data_peer");
    ASSERT_EQ(peer.size(), 1u) << ev.dump();
    EXPECT_NE(detail(peer[0]).find("192.168.1.66"), std::string::npos) << detail(peer[0]);
    // It is still taken as the data connection of the RETR.
    auto opens = ev.of<analyzer::ConnOpen>();
    ASSERT_EQ(opens.size(), 2u) << ev.dump();
    EXPECT_EQ(std::get<analyzer::ConnOpen>(opens[1].body).role, analyzer::ConnRole::kFtpData);
    EXPECT_EQ(peer[0].conn, opens[1].conn);
    ASSERT_EQ(ev.data().size(), 1u);
    EXPECT_EQ(ev.data()[0].data_client.str(), "192.168.1.66:40000");
}

TEST_F(AnomaliesTest, PassiveDataConnectionFromTheClientIsExpected) {
    EventCollector ev = pasv_retr("227 Entering Passive Mode (192,168,1,10,195,80).",
                                  "150 Opening data channel", file.size());
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(AnomaliesTest, FewerBytesThanAnnouncedIsAShortTransfer) {
    EventCollector ev = pasv_retr("227 Entering Passive Mode (192,168,1,10,195,80).",
                                  "150 Opening BINARY mode data connection for file.bin (5000 bytes).",
                                  3000);
    auto shorts = ev.anomalies("short_transfer");
    ASSERT_EQ(shorts.size(), 1u) << ev.dump();
    EXPECT_NE(detail(shorts[0]).find("3000"), std::string::npos) << detail(shorts[0]);
    EXPECT_NE(detail(shorts[0]).find("5000"), std::string::npos) << detail(shorts[0]);
    ASSERT_EQ(ev.data().size(), 1u);
    EXPECT_EQ(ev.data()[0].bytes, 3000u);
    EXPECT_EQ(ev.data()[0].completion, 226);
}

TEST_F(AnomaliesTest, AllAnnouncedBytesIsNoShortTransfer) {
    EventCollector ev = pasv_retr("227 Entering Passive Mode (192,168,1,10,195,80).",
                                  "150 Opening BINARY mode data connection for file.bin (5000 bytes).",
                                  5000);
    EXPECT_TRUE(ev.anomalies("short_transfer").empty()) << ev.dump();
}

TEST_F(AnomaliesTest, ReplyWithNoCommand) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    std::size_t stray = reply(ctrl, "226 Transfer complete.");
    ctrl.ack(kFromClient);
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
    EventCollector ev = analyze(cap);
    auto a = ev.anomalies("reply_without_command");
    ASSERT_EQ(a.size(), 1u) << ev.dump();
    EXPECT_EQ(a[0].frame, stray + 1);
    auto replies = ev.bodies<analyzer::ReplyEvent>();
    ASSERT_EQ(replies.size(), 5u) << ev.dump();
    EXPECT_EQ(replies[3].code, 226);
    EXPECT_EQ(replies[3].to_verb, "");
    EXPECT_FALSE(replies[3].greeting);
    EXPECT_EQ(replies[4].to_verb, "QUIT");  // pairing goes on
}

TEST_F(AnomaliesTest, CommandWithNoReplyAtTheEnd) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    command(ctrl, "NOOP");
    ctrl.close();
    EventCollector ev = analyze(cap);
    auto a = ev.anomalies("command_without_reply");
    ASSERT_EQ(a.size(), 1u) << ev.dump();
    EXPECT_NE(detail(a[0]).find("NOOP"), std::string::npos) << detail(a[0]);
}

TEST_F(AnomaliesTest, CommandWithNoReplyWhenTheCaptureEnds) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    command(ctrl, "STAT");
    EventCollector ev = analyze(cap);
    auto a = ev.anomalies("command_without_reply");
    ASSERT_EQ(a.size(), 1u) << ev.dump();
    EXPECT_NE(detail(a[0]).find("STAT"), std::string::npos) << detail(a[0]);
}

TEST_F(AnomaliesTest, Pasv227WithoutParenthesesStillAssociates) {
    for (const std::string text : {"227 Entering Passive Mode 192,168,1,10,195,80",
                                   "227 =192,168,1,10,195,80",
                                   "227 Entering Passive Mode (192,168,1,10,195,80)"}) {
        SCOPED_TRACE(text);
        EventCollector ev = pasv_retr(text, "150 Opening data channel", file.size());
        auto data = ev.data();
        ASSERT_EQ(data.size(), 1u) << ev.dump();
        EXPECT_EQ(data[0].mode, "passive");
        EXPECT_EQ(data[0].command, "RETR");
        EXPECT_EQ(data[0].bytes, file.size());
        EXPECT_EQ(data[0].sha256, expected_sha256(file));
        EXPECT_EQ(data[0].data_server.str(), "192.168.1.10:50000");
        EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
    }
}

TEST_F(AnomaliesTest, TransferWhoseDataConnectionNeverCame) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80).");
    command(ctrl, "RETR file.bin");
    reply(ctrl, "150 Opening data channel");
    std::size_t done = reply(ctrl, "226 Transfer complete.");
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
    EventCollector ev = analyze(cap);
    auto never = ev.anomalies("data_connection_never_came");
    ASSERT_EQ(never.size(), 1u) << ev.dump();
    EXPECT_EQ(never[0].frame, done + 1);
    auto data = ev.of<analyzer::DataEvent>();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    const auto& d = std::get<analyzer::DataEvent>(data[0].body);
    EXPECT_EQ(d.open_frame, 0u);
    EXPECT_EQ(d.bytes, 0u);
    EXPECT_EQ(d.completion, 226);
    EXPECT_EQ(data[0].conn, 0u);
}

TEST_F(AnomaliesTest, RefusedTransferIsNoDataEvent) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80).");
    exchange(ctrl, "RETR missing.bin", "550 Failed to open file.");
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
    EventCollector ev = analyze(cap);
    EXPECT_TRUE(ev.data().empty()) << ev.dump();
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(AnomaliesTest, DataConnectionWithoutTransferCommand) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80).");
    data_connection(cap, kClientData, kServerPasv, file.substr(0, 100), true);
    exchange(ctrl, "QUIT", "221 Goodbye.");
    ctrl.close();
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.anomalies("data_without_transfer").size(), 1u) << ev.dump();
    auto data = ev.data();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    EXPECT_EQ(data[0].command, "");
    EXPECT_EQ(data[0].bytes, 100u);
}

}  // namespace
}  // namespace ftpsim::testsupport
