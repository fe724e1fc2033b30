// FTP-level anomalies: bounce, hijacked data connections, short transfers, unpaired replies and
// commands, and a 227 reply in a form other than RFC 959's parentheses.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::AnomalyEvent;

std::string detail(const analyzer::Event& e) { return std::get<AnomalyEvent>(e.body).detail; }

const std::string kPasvReplyWithStop = std::string(kPasvReply) + ".";
const std::string kOpeningAnnouncing5000 =
    "150 Opening BINARY mode data connection for file.bin (5000 bytes).";

class AnomaliesTest : public CaptureTest {
protected:
    const std::string file = file_bytes(5000, 17);

    // PASV + RETR with the 227 and 150 texts and the data client of `options`; `sent` bytes of
    // the file go over the data connection.
    EventCollector pasv_retr(const PassiveRetrOptions& options, std::size_t sent) {
        Capture cap;
        auto [ctrl, data] = begin_passive_retr(cap, options);
        send_and_close(data, file.substr(0, sent), kFromServer);
        complete_and_quit(ctrl, "226 Transfer complete.", "221 Goodbye.");
        return analyze(cap);
    }
    // Login, `port_command` and its 200, QUIT. Returns the index of the PORT command.
    static std::size_t port_session(Capture& cap, std::string_view port_command) {
        Connection& ctrl = logged_in_control(cap);
        std::size_t port = exchange(ctrl, port_command, "200 PORT command successful.");
        quit(ctrl, "221 Goodbye.");
        return port;
    }
};

TEST_F(AnomaliesTest, PortNamingAnotherHostIsABounce) {
    Capture cap;
    std::size_t port = port_session(cap, "PORT 10,0,0,99,8,155");
    EventCollector ev = analyze(cap);
    auto bounce = ev.anomalies("ftp_bounce");
    ASSERT_EQ(bounce.size(), 1u) << ev.dump();
    EXPECT_EQ(bounce[0].frame, port + 1);
    EXPECT_EQ(bounce[0].src.str(), "192.168.1.5:50123");
    EXPECT_NE(detail(bounce[0]).find("10.0.0.99"), std::string::npos) << detail(bounce[0]);
}

TEST_F(AnomaliesTest, PortNamingTheClientIsNoBounce) {
    Capture cap;
    port_session(cap, "PORT 192,168,1,5,8,155");
    EventCollector ev = analyze(cap);
    EXPECT_TRUE(ev.anomalies("ftp_bounce").empty()) << ev.dump();
}

TEST_F(AnomaliesTest, PassiveDataConnectionFromAnotherHost) {
    const Ep intruder{"192.168.1.66", 40000};
    EventCollector ev = pasv_retr({.pasv_reply = kPasvReplyWithStop, .data_client = intruder},
                                  file.size());
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
    EventCollector ev = pasv_retr({.pasv_reply = kPasvReplyWithStop}, file.size());
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(AnomaliesTest, FewerBytesThanAnnouncedIsAShortTransfer) {
    EventCollector ev = pasv_retr(
        {.pasv_reply = kPasvReplyWithStop, .opening = kOpeningAnnouncing5000}, 3000);
    auto shorts = ev.anomalies("short_transfer");
    ASSERT_EQ(shorts.size(), 1u) << ev.dump();
    EXPECT_NE(detail(shorts[0]).find("3000"), std::string::npos) << detail(shorts[0]);
    EXPECT_NE(detail(shorts[0]).find("5000"), std::string::npos) << detail(shorts[0]);
    ASSERT_EQ(ev.data().size(), 1u);
    EXPECT_EQ(ev.data()[0].bytes, 3000u);
    EXPECT_EQ(ev.data()[0].completion, 226);
}

TEST_F(AnomaliesTest, AllAnnouncedBytesIsNoShortTransfer) {
    EventCollector ev = pasv_retr(
        {.pasv_reply = kPasvReplyWithStop, .opening = kOpeningAnnouncing5000}, 5000);
    EXPECT_TRUE(ev.anomalies("short_transfer").empty()) << ev.dump();
}

TEST_F(AnomaliesTest, ReplyWithNoCommand) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    std::size_t stray = reply_acked(ctrl, "226 Transfer complete.");
    quit(ctrl, "221 Goodbye.");
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
    Connection& ctrl = logged_in_control(cap);
    command(ctrl, "NOOP");
    ctrl.close();
    EventCollector ev = analyze(cap);
    auto a = ev.anomalies("command_without_reply");
    ASSERT_EQ(a.size(), 1u) << ev.dump();
    EXPECT_NE(detail(a[0]).find("NOOP"), std::string::npos) << detail(a[0]);
}

TEST_F(AnomaliesTest, CommandWithNoReplyWhenTheCaptureEnds) {
    Capture cap;
    command(logged_in_control(cap), "STAT");
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
        EventCollector ev = pasv_retr({.pasv_reply = text}, file.size());
        auto data = ev.data();
        ASSERT_EQ(data.size(), 1u) << ev.dump();
        expect_transfer(data[0], {.mode = "passive", .command = "RETR", .content = file,
                                  .data_server = "192.168.1.10:50000"});
        EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
    }
}

TEST_F(AnomaliesTest, TransferWhoseDataConnectionNeverCame) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PASV", kPasvReplyWithStop);
    start_transfer(ctrl, "RETR file.bin");
    std::size_t done = reply(ctrl, "226 Transfer complete.");
    quit(ctrl, "221 Goodbye.");
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
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PASV", kPasvReplyWithStop);
    exchange(ctrl, "RETR missing.bin", "550 Failed to open file.");
    quit(ctrl, "221 Goodbye.");
    EventCollector ev = analyze(cap);
    EXPECT_TRUE(ev.data().empty()) << ev.dump();
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(AnomaliesTest, DataConnectionWithoutTransferCommand) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PASV", kPasvReplyWithStop);
    data_connection(cap, kClientData, kServerPasv, file.substr(0, 100), true);
    quit(ctrl, "221 Goodbye.");
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.anomalies("data_without_transfer").size(), 1u) << ev.dump();
    auto data = ev.data();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    EXPECT_EQ(data[0].command, "");
    EXPECT_EQ(data[0].bytes, 100u);
}

}  // namespace
}  // namespace ftpsim::testsupport
