// Transfers that go wrong or get interrupted: no set-up, data connection timeouts and failures,
// ABOR during downloads and uploads (426 then 226), STAT and other commands during a transfer,
// a client flooding commands, and the reply table on a transfer session.
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::endpoint;
using test::ServerHarness;

class ServerTransferFlow : public test::TransferFixture {};

TEST_F(ServerTransferFlow, NoSetupAndFailedConnections) {
    start();
    h.send("RETR /pub/dump.sql");
    EXPECT_EQ(h.next_line(), "425 Use PORT or PASV first.");
    h.send("STOR /incoming/x");
    EXPECT_EQ(h.next_code(), 425);

    // Passive: nobody connects within data_connect_timeout.
    const ChannelId id = h.pasv();
    h.send("RETR /pub/dump.sql");
    EXPECT_TRUE(h.no_reply());
    EXPECT_EQ(h.session->poll_timeout(), h.now + h.config.data_connect_timeout);
    h.advance(h.config.data_connect_timeout);
    EXPECT_EQ(h.next_line(), "425 Can't open data connection.");
    EXPECT_TRUE(h.channels[id].closed);

    // Active: the connect fails.
    h.auto_connect_active = false;
    h.send("PORT 192,0,2,10,200,1");
    h.next();
    h.send("RETR /pub/dump.sql");
    const ChannelId aid = h.last_channel();
    h.session->on_data_failed(aid, "connection refused", h.now);
    h.pump();
    EXPECT_EQ(h.next_code(), 425);

    // The passive listener cannot be opened.
    h.auto_listen = false;
    h.send("PASV");
    h.send("NOOP");  // waits behind the PASV
    EXPECT_TRUE(h.no_reply());
    h.session->on_data_failed(h.last_channel(), "no free port", h.now);
    h.pump();
    EXPECT_EQ(h.next_code(), 425);
    EXPECT_EQ(h.next_code(), 200);
}

TEST_F(ServerTransferFlow, ConnectionLostMidTransfer) {
    start();
    h.send("TYPE I");
    h.next();
    h.auto_ack = false;
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/html.tar.gz");
    EXPECT_EQ(h.next_code(), 150);
    h.session->on_data_failed(id, "connection reset by peer", h.now);
    h.pump();
    EXPECT_EQ(h.next_line(), "426 Connection closed; transfer aborted.");
    h.auto_ack = true;
    h.send("NOOP");
    EXPECT_EQ(h.next_code(), 200);
}

TEST_F(ServerTransferFlow, AborMidTransferAnswers426Then226) {
    start(Personality::kVsftpd);
    h.send("TYPE I");
    h.next();
    h.auto_ack = false;
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/html.tar.gz");
    EXPECT_EQ(h.next_code(), 150);
    h.ack(id);
    h.ack(id);
    // Commands other than ABOR wait for the transfer.
    h.send("NOOP");
    EXPECT_TRUE(h.no_reply());
    h.send("STAT");  // answered during the transfer (RFC 959 §4.1.3)... but NOOP is queued first
    EXPECT_TRUE(h.no_reply());
    h.send_raw("\xff\xf4\xff\xf2" "ABOR\r\n");
    EXPECT_EQ(h.next_line(), "426 Failure writing network stream.");
    EXPECT_EQ(h.next_line(), "226 ABOR successful.");
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_TRUE(h.channels[id].reset);
    // Then the queued commands, in order.
    EXPECT_EQ(h.next_code(), 200);
    EXPECT_EQ(h.next_code(), 211);
    EXPECT_EQ(h.channels[id].received.size(), 3u * 256u * 1024u);
    // A late on_data_sent for the aborted channel changes nothing.
    h.ack(id);
    EXPECT_TRUE(h.no_reply());

    h.send("ABOR");  // nothing in progress
    EXPECT_EQ(h.next_line(), "225 No transfer to ABOR.");
}

TEST_F(ServerTransferFlow, AborOfAnUploadAndBeforeTheConnection) {
    start();
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("STOR /incoming/part.bin");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, "partial");
    h.send("ABOR");
    EXPECT_EQ(h.next_code(), 426);
    EXPECT_EQ(h.next_code(), 226);
    // Abandoned (vsftpd would keep "partial"): an aborted upload never leaves a file that
    // looks complete.
    EXPECT_FALSE(h.memfs.content("/incoming/part.bin"));

    id = h.pasv();
    h.send("RETR /pub/dump.sql");  // no connection yet
    h.send("ABOR");
    EXPECT_EQ(h.next_code(), 426);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_TRUE(h.channels[id].closed);
}

TEST_F(ServerTransferFlow, StatDuringTransferAndQueuedCommands) {
    start();
    h.send("TYPE I");
    h.next();
    h.auto_ack = false;
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/html.tar.gz");
    EXPECT_EQ(h.next_code(), 150);
    h.send("STAT");
    EXPECT_EQ(h.next_line(), "213 Status: RETR /pub/html.tar.gz, 262144 bytes transferred.");
    h.send("PWD\r\nQUIT");
    EXPECT_TRUE(h.no_reply());
    while (!h.channels[id].closed) h.ack(id);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.next_code(), 257);
    EXPECT_EQ(h.next_code(), 221);  // RFC 959: QUIT waits for the transfer's reply
    EXPECT_TRUE(h.control_closed);
}

TEST_F(ServerTransferFlow, TooManyQueuedCommandsClose) {
    start();
    h.auto_ack = false;
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /pub/html.tar.gz");
    h.next();
    std::string flood;
    for (int i = 0; i < 100; ++i) flood += "NOOP\r\n";
    h.send_raw(flood);
    EXPECT_EQ(h.next_code(), 421);
    EXPECT_TRUE(h.control_closed);
    EXPECT_TRUE(h.channels[id].closed);
}

TEST_F(ServerTransferFlow, RepliesAreAllowedByTheReplyTable) {
    start();
    const auto check = [this](const std::string& verb) {
        for (const ftp::Reply& r : h.replies()) ServerHarness::expect_allowed(verb, r);
    };
    ChannelId id = h.pasv();
    check("PASV");
    h.connect(id);
    h.send("LIST");
    check("LIST");
    id = h.epsv();
    check("EPSV");
    h.connect(id);
    h.send("RETR /pub/dump.sql");
    check("RETR");
    h.send("PORT 192,0,2,10,200,1");
    check("PORT");
    h.send("STOR /incoming/t");
    h.upload(h.last_channel(), "x");
    h.client_closes(h.last_channel());
    check("STOR");
    h.send("RETR /x");
    check("RETR");
}

}  // namespace
}  // namespace ftpsim::sim
