// ClientSession transfers in passive mode: PASV (RFC 959 §4.1.2, 227 §4.2.2), EPSV (RFC 2428
// §3, 229), EPSV falling back to PASV, REST (RFC 3659 §5), download accounting and SHA-256,
// listings, and the ways a transfer fails.
#include <gtest/gtest.h>

#include "hash/sha256.hpp"
#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

// FIPS 180-2 test vectors, so the hash is checked against values computed elsewhere.
constexpr const char* kSha256Abc =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kSha256MillionA =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr const char* kSha256Empty =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

ClientOp with_mode(ClientOp op, DataMode mode) {
    op.mode = mode;
    return op;
}

TEST(ClientPassive, PasvRetrConnectsBeforeTheCommand) {
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kRetr, "file.bin")});
    h.login();
    EXPECT_EQ(h.take(), Lines{"> PASV\r\n"});
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    EXPECT_EQ(h.take(), Lines{"CONNECT #1 10.0.0.1:50000"});  // 195*256+80
    h.connected(1);
    EXPECT_EQ(h.take(), Lines{"> RETR file.bin\r\n"});  // only once connected, as curl does
    h.reply("150 Opening BINARY mode data connection for file.bin (3 bytes).");
    h.data(1, "ab");
    h.data(1, "c");
    h.data_closed(1);
    EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});
    EXPECT_TRUE(h.results().size() == 1);  // only the login: the 226 is not in yet
    h.reply("226 Transfer complete.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok) << r[0].error;
    EXPECT_EQ(r[0].bytes, 3u);
    EXPECT_EQ(r[0].sha256, kSha256Abc);
    EXPECT_EQ(r[0].listing, "");  // RETR keeps no text
    EXPECT_EQ(codes(r[0]), (std::vector<int>{227, 150, 226}));
    EXPECT_EQ(r[0].commands, (Lines{"PASV", "RETR file.bin"}));
    EXPECT_TRUE(h.session.finished());
}

TEST(ClientPassive, FinalReplyBeforeDataEndWaitsForTheData) {
    ClientHarness h({make_op(Kind::kRetr, "big"), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.take();
    h.reply("150 ok");
    // The 226 overtakes the data: both connections are independent.
    h.reply("226 Transfer complete.");
    EXPECT_TRUE(h.take().empty());
    EXPECT_TRUE(h.results().empty());
    const std::string million(1'000'000, 'a');
    for (std::size_t off = 0; off < million.size(); off += 65537) {
        h.data(1, std::string_view(million).substr(off, 65537));
    }
    h.data_closed(1);
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "> NOOP\r\n"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].bytes, 1'000'000u);
    EXPECT_EQ(r[0].sha256, kSha256MillionA);
}

TEST(ClientPassive, EmptyFileHashesEmpty) {
    ClientHarness h({make_op(Kind::kRetr, "empty")});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("227 =10,0,0,1,4,1");  // the numbers without parentheses (RFC 1123 §4.1.2.6)
    EXPECT_EQ(h.take(), Lines{"CONNECT #1 10.0.0.1:1025"});
    h.connected(1);
    h.take();
    h.reply("150 ok");
    h.data_closed(1);
    h.reply("226 done");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].bytes, 0u);
    EXPECT_EQ(r[0].sha256, kSha256Empty);
}

TEST(ClientPassive, PasvAddressOtherThanThePeerIsUsedAsGiven) {
    // A NATed server announcing its private address: the client connects there (ftp(1)'s
    // behaviour; curl would substitute the control peer's address).
    ClientHarness h({make_op(Kind::kList)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("227 Entering Passive Mode (192,168,1,10,195,80).");
    EXPECT_EQ(h.take(), Lines{"CONNECT #1 192.168.1.10:50000"});
    h.data_failed(1, "connection timed out");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});  // nothing outstanding: no command needed
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "data connection to 192.168.1.10:50000 failed: connection timed out");
}

TEST(ClientPassive, PasvNamingNoHostUsesTheControlPeer) {
    // vsftpd on an IPv6 control connection answers PASV with 0,0,0,0: no host at all, so the
    // control connection's peer is the only address that can be meant.
    ClientHarness h({make_op(Kind::kList)});
    h.peer = endpoint("2001:db8::1", 21);
    h.local = endpoint("2001:db8::10", 40000);
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("227 Entering Passive Mode (0,0,0,0,195,80).");
    EXPECT_EQ(h.take(), Lines{"CONNECT #1 [2001:db8::1]:50000"});
}

TEST(ClientPassive, UnparsablePasvReplyFails) {
    ClientHarness h({make_op(Kind::kList), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("227 Entering Passive Mode.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "227 without an address: 227 Entering Passive Mode.");
}

TEST(ClientPassive, PasvRefused) {
    ClientHarness h({make_op(Kind::kList)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("530 Please login with USER and PASS.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "PASV refused: 530 Please login with USER and PASS.");
}

TEST(ClientPassive, EpsvListConnectsToTheControlPeer) {
    ClientConfig config;
    config.mode = DataMode::kExtendedPassive;
    ClientHarness h({make_op(Kind::kList, "/pub")}, config);
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> EPSV\r\n"});
    h.reply("229 Entering Extended Passive Mode (|||50001|)");
    EXPECT_EQ(h.take(), Lines{"CONNECT #1 10.0.0.1:50001"});
    h.connected(1);
    EXPECT_EQ(h.take(), Lines{"> LIST /pub\r\n"});
    h.reply("150 Here comes the directory listing.");
    const std::string listing =
        "-rw-r--r--    1 0        0            3405 Dec 02  2019 dump.sql\r\n"
        "-rw-r--r--    1 0        0         5270987 Dec 03  2019 html.tar.gz\r\n";
    h.data(1, listing.substr(0, 10));
    h.data(1, listing.substr(10));
    h.reply("226 Directory send OK.");
    h.data_closed(1);
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].listing, listing);
    EXPECT_EQ(r[0].bytes, listing.size());
    EXPECT_EQ(r[0].sha256, analyzer::sha256_hex(bytes_of(listing)));
}

TEST(ClientPassive, EpsvOverIpv6) {
    ClientConfig config;
    config.mode = DataMode::kExtendedPassive;
    ClientHarness h({make_op(Kind::kNlst)}, config);
    h.local = endpoint("2001:db8::2", 40000);
    h.peer = endpoint("2001:db8::1", 21);
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("229 Extended Passive (!!!6446!)");  // any delimiter (RFC 2428 §3)
    EXPECT_EQ(h.take(), Lines{"CONNECT #1 [2001:db8::1]:6446"});
    h.connected(1);
    EXPECT_EQ(h.take(), Lines{"> NLST\r\n"});
}

TEST(ClientPassive, ExtendedPassiveDoesNotFallBack) {
    ClientHarness h({with_mode(make_op(Kind::kList), DataMode::kExtendedPassive)});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> EPSV\r\n"});
    h.reply("502 Command not implemented.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "EPSV refused: 502 Command not implemented.");
}

TEST(ClientPassive, EpsvFallsBackToPasvAndRemembers) {
    for (const int code : {500, 501, 502, 522}) {
        SCOPED_TRACE(code);
        ClientConfig config;
        config.mode = DataMode::kEpsvThenPasv;
        ClientHarness h({make_op(Kind::kMlsd), make_op(Kind::kRetr, "x")}, config);
        h.connect();
        h.reply("220 hi");
        EXPECT_EQ(h.take(), Lines{"> EPSV\r\n"});
        h.reply(std::to_string(code) + " no EPSV");
        EXPECT_EQ(h.take(), Lines{"> PASV\r\n"});
        h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
        EXPECT_EQ(h.take(), Lines{"CONNECT #1 10.0.0.1:50000"});
        h.connected(1);
        EXPECT_EQ(h.take(), Lines{"> MLSD\r\n"});
        h.reply("150 ok");
        h.data(1, "type=file;size=3; x\r\n");
        h.data_closed(1);
        h.reply("226 ok");
        // The next transfer goes straight to PASV, as curl does once EPSV failed.
        EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "> PASV\r\n"}));
        const auto r = h.results();
        ASSERT_EQ(r.size(), 1u);
        EXPECT_TRUE(r[0].ok);
        EXPECT_EQ(codes(r[0]), (std::vector<int>{code, 227, 150, 226}));
        EXPECT_EQ(r[0].commands, (Lines{"EPSV", "PASV", "MLSD"}));
        EXPECT_EQ(r[0].listing, "type=file;size=3; x\r\n");
    }
}

TEST(ClientPassive, EpsvThenPasvFailsOnOtherCodes) {
    ClientConfig config;
    config.mode = DataMode::kEpsvThenPasv;
    ClientHarness h({make_op(Kind::kList)}, config);
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("530 Not logged in.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    EXPECT_EQ(h.results()[0].error, "EPSV refused: 530 Not logged in.");
}

TEST(ClientPassive, RestBeforeRetr) {
    ClientOp retr = make_op(Kind::kRetr, "file.bin");
    retr.rest = 1000;
    ClientHarness h({retr});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> PASV\r\n"});
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    // REST directly before RETR (RFC 959 §4.1.3: it must be followed by the transfer command).
    EXPECT_EQ(h.take(), (Lines{"CONNECT #1 10.0.0.1:50000", "> REST 1000\r\n"}));
    h.reply("350 Restart position accepted (1000).");
    EXPECT_EQ(h.take(), Lines{"> RETR file.bin\r\n"});
    h.reply("150 Opening BINARY mode data connection for file.bin (2000 bytes).");
    h.data(1, "abc");
    h.data_closed(1);
    h.reply("226 Transfer complete.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].commands, (Lines{"PASV", "REST 1000", "RETR file.bin"}));
    EXPECT_EQ(r[0].bytes, 3u);
}

TEST(ClientPassive, RestRefusedClosesTheDataConnection) {
    ClientOp retr = make_op(Kind::kRetr, "file.bin");
    retr.rest = 5;
    ClientHarness h({retr, make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.take();
    h.reply("502 REST not implemented.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "> NOOP\r\n"}));
    EXPECT_EQ(h.results()[0].error, "REST refused: 502 REST not implemented.");
}

TEST(ClientPassive, ErrorAfterConnectClosesTheDataConnection) {
    ClientHarness h({make_op(Kind::kRetr, "missing"), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.take();
    h.reply("550 Failed to open file.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "> NOOP\r\n"}));
    h.data_closed(1);  // the server's close of the abandoned connection: ignored
    EXPECT_TRUE(h.take().empty());
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "RETR failed: 550 Failed to open file.");
    EXPECT_EQ(r[0].sha256, kSha256Empty);
}

TEST(ClientPassive, DataResetMidTransferWaitsForTheReplyThenFails) {
    ClientHarness h({make_op(Kind::kRetr, "f"), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.reply("150 ok");
    h.take();
    h.data(1, "abc");
    h.data_failed(1, "connection reset by peer");
    EXPECT_TRUE(h.take().empty());  // RETR's reply is still owed: read it to stay in step
    h.reply("226 Transfer complete.");  // the server believes it sent everything
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "data connection failed after 3 bytes: connection reset by peer");
    EXPECT_EQ(r[0].sha256, kSha256Abc);
}

TEST(ClientPassive, DataConnectionThatNeverEndsTimesOut) {
    ClientConfig config;
    config.reply_timeout = 2 * kSecond;
    ClientHarness h({make_op(Kind::kRetr, "f"), make_op(Kind::kQuit)}, config);
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.reply("150 ok");
    h.reply("226 done");
    h.take();
    h.advance(kSecond);
    h.data(1, "x");  // progress restarts the timeout
    h.advance(2 * kSecond - 1);
    EXPECT_TRUE(h.take().empty());
    h.advance(1);
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].error, "the data connection made no progress within 2000 ms");
    EXPECT_EQ(r[0].bytes, 1u);
    EXPECT_EQ(r[1].error,
              "not run: the session ended after a timeout (the data connection made no "
              "progress within 2000 ms)");
}

TEST(ClientPassive, ListingIsKeptUpToOneMebibyte) {
    ClientHarness h({make_op(Kind::kList)});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.reply("150 ok");
    const std::string chunk(300'000, 'x');
    for (int i = 0; i < 4; ++i) h.data(1, chunk);
    h.data_closed(1);
    h.reply("226 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].bytes, 1'200'000u);
    EXPECT_EQ(r[0].listing.size(), 1024u * 1024u);
    EXPECT_EQ(r[0].sha256, analyzer::sha256_hex(bytes_of(std::string(1'200'000, 'x'))));
}

TEST(ClientPassive, UnexpectedControlCloseMidTransferClosesTheData) {
    ClientHarness h({make_op(Kind::kRetr, "f"), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.reply("150 ok");
    h.take();
    h.data(1, "abc");
    h.close();
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 2u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].bytes, 3u);
    EXPECT_EQ(r[1].error,
              "not run: the server closed the control connection while waiting for the reply "
              "to RETR");
    EXPECT_TRUE(h.session.finished());
}

}  // namespace
}  // namespace ftpsim::sim::test
