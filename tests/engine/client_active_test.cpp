// ClientSession transfers in active mode: listen first, then PORT (RFC 959 §4.1.2) or EPRT
// (RFC 2428 §2) naming the control connection's local address, then the command; the server
// connects to us. Successive transfers on successive ports when the session fixes a first port.
#include <gtest/gtest.h>

#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

ClientConfig active(DataMode mode = DataMode::kActive, std::uint16_t first_port = 0) {
    ClientConfig config;
    config.mode = mode;
    config.active_first_port = first_port;
    return config;
}

TEST(ClientActive, PortListListensSendsPortThenTheCommand) {
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kList)}, active());
    h.login();
    EXPECT_EQ(h.take(), Lines{"LISTEN #1 0-0"});  // any port: the kernel picks
    h.listening(1, 45000);
    EXPECT_EQ(h.take(), Lines{"> PORT 10,0,0,2,175,200\r\n"});  // 175*256+200 = 45000
    h.reply("200 PORT command successful. Consider using PASV.");
    EXPECT_EQ(h.take(), Lines{"> LIST\r\n"});
    h.connected(1);  // the server connects from its port 20
    h.reply("150 Here comes the directory listing.");
    h.data(1, "-rw-r--r-- 1 0 0 3405 Dec 02 2019 dump.sql\r\n");
    h.data_closed(1);
    EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});
    h.reply("226 Directory send OK.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 2u);
    EXPECT_TRUE(r[1].ok) << r[1].error;
    EXPECT_EQ(r[1].commands, (Lines{"PORT 10,0,0,2,175,200", "LIST"}));
    EXPECT_EQ(r[1].listing, "-rw-r--r-- 1 0 0 3405 Dec 02 2019 dump.sql\r\n");
    EXPECT_EQ(codes(r[1]), (std::vector<int>{200, 150, 226}));
}

TEST(ClientActive, ServerMayConnectBeforeThePreliminaryReply) {
    ClientHarness h({make_op(Kind::kRetr, "f")}, active());
    h.connect();
    h.reply("220 hi");
    h.listening(1, 45000);
    h.reply("200 ok");
    h.take();
    h.connected(1);  // accept() seen before the 150 (another socket)
    h.data(1, "abc");
    h.reply("150 Opening BINARY mode data connection for f (3 bytes).");
    h.reply("226 Transfer complete.");
    EXPECT_TRUE(h.results().empty());
    h.data_closed(1);
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].bytes, 3u);
}

TEST(ClientActive, EprtOverIpv4AndIpv6) {
    {
        ClientHarness h({make_op(Kind::kNlst)}, active(DataMode::kExtendedActive));
        h.connect();
        h.reply("220 hi");
        EXPECT_EQ(h.take(), Lines{"LISTEN #1 0-0"});
        h.listening(1, 45000);
        EXPECT_EQ(h.take(), Lines{"> EPRT |1|10.0.0.2|45000|\r\n"});
        h.reply("200 EPRT command successful.");
        EXPECT_EQ(h.take(), Lines{"> NLST\r\n"});
    }
    {
        ClientHarness h({make_op(Kind::kNlst)}, active(DataMode::kExtendedActive));
        h.local = endpoint("2001:db8::2", 40000);
        h.peer = endpoint("2001:db8::1", 21);
        h.connect();
        h.reply("220 hi");
        EXPECT_EQ(h.take(), Lines{"LISTEN #1 0-0 v6"});
        h.listening(1, 45000);
        EXPECT_EQ(h.take(), Lines{"> EPRT |2|2001:db8::2|45000|\r\n"});
    }
}

TEST(ClientActive, PortCannotCarryIpv6) {
    ClientHarness h({make_op(Kind::kList), make_op(Kind::kNoop)}, active());
    h.local = endpoint("2001:db8::2", 40000);
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_NE(r[0].error.find("use EPRT"), std::string::npos) << r[0].error;
}

TEST(ClientActive, ManyOpsFailingAtOnceDoNotRecurse) {
    // Each fails before sending anything; 100000 of them must not nest 100000 calls deep.
    std::vector<ClientOp> ops(100000, make_op(Kind::kList));
    ops.push_back(make_op(Kind::kNoop));
    ClientHarness h(ops, active());
    h.local = endpoint("2001:db8::2", 40000);
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    EXPECT_EQ(h.results().size(), 100000u);
}

TEST(ClientActive, SuccessiveTransfersUseSuccessivePorts) {
    ClientOp fixed = make_op(Kind::kRetr, "b");
    fixed.active_port = 40123;  // an op's own port does not advance the session's
    ClientOp passive = make_op(Kind::kRetr, "c");
    passive.mode = DataMode::kPassive;
    ClientHarness h({make_op(Kind::kRetr, "a"), fixed, passive, make_op(Kind::kRetr, "d"),
                     make_op(Kind::kRetr, "e")},
                    active(DataMode::kActive, 30000));
    h.connect();
    h.reply("220 hi");
    // Each transfer: the previous one's CLOSEDATA (if any), LISTEN, PORT, RETR.
    const auto run_active = [&](Lines before, ChannelId id, std::uint16_t port,
                                const std::string& port_arg, const std::string& name) {
        before.push_back("LISTEN #" + std::to_string(id) + " " + std::to_string(port) + "-" +
                         std::to_string(port));
        EXPECT_EQ(h.take(), before);
        h.listening(id, port);
        EXPECT_EQ(h.take(), Lines{"> PORT " + port_arg + "\r\n"});
        h.reply("200 ok");
        EXPECT_EQ(h.take(), Lines{"> RETR " + name + "\r\n"});
        h.connected(id);
        h.reply("150 ok");
        h.data_closed(id);
        h.reply("226 ok");
    };
    run_active({}, 1, 30000, "10,0,0,2,117,48", "a");
    run_active({"CLOSEDATA #1"}, 2, 40123, "10,0,0,2,156,187", "b");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #2", "> PASV\r\n"}));
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(3);
    h.reply("150 ok");
    h.data_closed(3);
    h.reply("226 ok");
    EXPECT_EQ(h.take(), (Lines{"CONNECT #3 10.0.0.1:50000", "> RETR c\r\n", "CLOSEDATA #3",
                               "LISTEN #4 30001-30001"}));
    h.listening(4, 30001);
    h.reply("200 ok");
    h.connected(4);
    h.reply("150 ok");
    h.data_closed(4);
    h.reply("226 ok");
    EXPECT_EQ(h.take(), (Lines{"> PORT 10,0,0,2,117,49\r\n", "> RETR d\r\n", "CLOSEDATA #4",
                               "LISTEN #5 30002-30002"}));
    h.listening(5, 30002);
    EXPECT_EQ(h.take(), Lines{"> PORT 10,0,0,2,117,50\r\n"});
    h.reply("200 ok");
    h.connected(5);
    h.reply("150 ok");
    h.data_closed(5);
    h.reply("226 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 5u);
    for (const auto& result : r) EXPECT_TRUE(result.ok) << result.error;
}

TEST(ClientActive, ActivePortWrapsWithinTheRange) {
    ClientHarness h({make_op(Kind::kNlst), make_op(Kind::kNlst)},
                    active(DataMode::kActive, 65535));
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"LISTEN #1 65535-65535"});
    h.data_failed(1, "address in use");
    EXPECT_EQ(h.take(), Lines{"LISTEN #2 65535-65535"});
}

TEST(ClientActive, ListenFailureFailsTheOpWithoutControlTraffic) {
    ClientHarness h({make_op(Kind::kList), make_op(Kind::kNoop)}, active(DataMode::kActive, 20));
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"LISTEN #1 20-20"});
    h.data_failed(1, "permission denied");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "could not listen for the data connection: permission denied");
    EXPECT_TRUE(r[0].commands.empty());
}

TEST(ClientActive, PortRefusedClosesTheListener) {
    ClientHarness h({make_op(Kind::kList), make_op(Kind::kNoop)}, active());
    h.connect();
    h.reply("220 hi");
    h.listening(1, 45000);
    h.take();
    h.reply("500 Illegal PORT command.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "> NOOP\r\n"}));
    EXPECT_EQ(h.results()[0].error, "PORT refused: 500 Illegal PORT command.");
}

TEST(ClientActive, ListenerDyingWhilePortIsOutFailsWithoutTheCommand) {
    ClientHarness h({make_op(Kind::kList), make_op(Kind::kNoop)}, active());
    h.connect();
    h.reply("220 hi");
    h.listening(1, 45000);
    h.take();
    h.data_failed(1, "listener closed");
    EXPECT_TRUE(h.take().empty());  // PORT's reply is still owed
    h.reply("200 ok");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});  // no LIST
    EXPECT_EQ(h.results()[0].error, "the data listener failed: listener closed");
}

TEST(ClientActive, ServerNeverConnectsTimesOut) {
    ClientConfig config = active();
    config.reply_timeout = 3 * kSecond;
    ClientHarness h({make_op(Kind::kRetr, "f")}, config);
    h.connect();
    h.reply("220 hi");
    h.listening(1, 45000);
    h.reply("200 ok");
    h.reply("150 ok");  // announces the connection and never makes it
    h.take();
    h.advance(3 * kSecond);
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    EXPECT_EQ(h.results()[0].error, "no reply to RETR within 3000 ms");
}

TEST(ClientActive, Refused425ClosesTheListener) {
    ClientHarness h({make_op(Kind::kRetr, "f")}, active());
    h.connect();
    h.reply("220 hi");
    h.listening(1, 45000);
    h.reply("200 ok");
    h.take();
    h.reply("425 Failed to establish connection.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    EXPECT_EQ(h.results()[0].error, "RETR failed: 425 Failed to establish connection.");
}

}  // namespace
}  // namespace ftpsim::sim::test
