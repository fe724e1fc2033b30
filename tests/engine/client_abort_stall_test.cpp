// ClientSession: a transfer that stalls (PauseReading once, after `stall_after` bytes) and one
// that aborts after `abort_after` bytes: IAC IP, IAC DM, "ABOR" (RFC 959 §4.1.3), then 426 for
// the transfer and 226 for ABOR, or a lone 225/226 when the transfer had already ended.
#include <gtest/gtest.h>

#include <memory>

#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

const std::string kAbor{'\xFF', '\xF4', '\xFF', '\xF2', 'A', 'B', 'O', 'R', '\r', '\n'};

void start_retr(ClientHarness& h) {
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.reply("150 ok");
}

TEST(ClientStall, PausesOnceAfterStallAfterBytes) {
    ClientOp op = make_op(Kind::kRetr, "big");
    op.stall_after = 1000;
    op.stall_for = 5 * kSecond;
    ClientConfig config;
    config.reply_timeout = 2 * kSecond;
    ClientHarness h({op}, config);
    start_retr(h);
    EXPECT_EQ(h.take(), (Lines{"> PASV\r\n", "CONNECT #1 10.0.0.1:50000", "> RETR big\r\n"}));
    h.now = 100;
    h.data(1, std::string(600, 'x'));
    EXPECT_TRUE(h.take().empty());
    h.data(1, std::string(600, 'x'));  // 1200 >= 1000
    EXPECT_EQ(h.take(), Lines{"PAUSE #1 until 5000000100"});
    // The timeout counts from the end of the pause: we stopped the server on purpose.
    EXPECT_EQ(h.session.poll_timeout(), 5 * kSecond + 100 + 2 * kSecond);
    h.advance(5 * kSecond);
    h.data(1, std::string(5000, 'x'));
    EXPECT_TRUE(h.take().empty());  // once only
    h.data_closed(1);
    h.reply("226 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].bytes, 6200u);
}

TEST(ClientStall, ReceiveBufferGoesWithTheDataConnection) {
    // Passive: the buffer is set on the socket we connect; active: on the listener, whose
    // accepted socket inherits it.
    for (DataMode mode : {DataMode::kPassive, DataMode::kActive}) {
        ClientOp op = make_op(Kind::kRetr, "big");
        op.mode = mode;
        op.receive_buffer = 4096;
        ClientHarness h({op});
        h.connect();
        h.reply("220 hi");
        h.take();
        std::uint32_t seen = 0;
        for (const Action& a : h.log) {
            if (const auto* c = std::get_if<ConnectData>(&a)) seen = c->receive_buffer;
            if (const auto* l = std::get_if<ListenData>(&a)) seen = l->receive_buffer;
        }
        if (mode == DataMode::kPassive) {
            h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
            h.take();  // the harness logs actions as they are taken
            for (const Action& a : h.log)
                if (const auto* c = std::get_if<ConnectData>(&a)) seen = c->receive_buffer;
        }
        EXPECT_EQ(seen, 4096u) << (mode == DataMode::kPassive ? "passive" : "active");
    }
}

TEST(ClientStall, StallAfterZeroPausesBeforeTheFirstByte) {
    ClientOp op = make_op(Kind::kRetr, "f");
    op.stall_for = kSecond;
    ClientHarness h({op});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    EXPECT_EQ(h.take(), (Lines{"> PASV\r\n", "CONNECT #1 10.0.0.1:50000",
                               "PAUSE #1 until 1000000000", "> RETR f\r\n"}));
}

TEST(ClientStall, UploadsDoNotStall) {
    ClientOp op = make_op(Kind::kStor, "f");
    op.upload = std::make_shared<const std::string>(100, 'u');
    op.stall_after = 10;
    op.stall_for = kSecond;
    ClientHarness h({op});
    h.connect();
    h.reply("220 hi");
    h.reply("227 Entering Passive Mode (10,0,0,1,195,80).");
    h.connected(1);
    h.reply("150 ok");
    h.sent(1);
    EXPECT_EQ(h.take(), (Lines{"> PASV\r\n", "CONNECT #1 10.0.0.1:50000", "> STOR f\r\n",
                               "SEND #1 0+100", "CLOSEDATA #1"}));
}

TEST(ClientAbort, DownloadAbortGets426Then226) {
    ClientOp op = make_op(Kind::kRetr, "big");
    op.abort_after = 1000;
    ClientHarness h({op, make_op(Kind::kNoop)});
    start_retr(h);
    h.take();
    h.data(1, std::string(999, 'x'));
    EXPECT_TRUE(h.take().empty());
    h.data(1, std::string(501, 'x'));
    EXPECT_EQ(h.take(), Lines{"> " + kAbor});
    h.data(1, std::string(100, 'x'));  // in flight before the server stopped: still counted
    h.data_closed(1);
    EXPECT_EQ(h.take(), Lines{"CLOSEDATA #1"});
    h.reply("426 Failure writing network stream.");
    EXPECT_TRUE(h.take().empty());  // ABOR's own reply is still owed
    h.reply("226 ABOR successful.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok) << r[0].error;
    EXPECT_TRUE(r[0].aborted);
    EXPECT_EQ(r[0].bytes, 1600u);
    EXPECT_EQ(codes(r[0]), (std::vector<int>{227, 150, 426, 226}));
    EXPECT_EQ(r[0].commands, (Lines{"PASV", "RETR big", "ABOR"}));
}

TEST(ClientAbort, AbortRepliesBeforeTheDataEndsCloseTheDataConnection) {
    ClientOp op = make_op(Kind::kRetr, "big");
    op.abort_after = 10;
    ClientHarness h({op});
    start_retr(h);
    h.take();
    h.data(1, std::string(10, 'x'));
    EXPECT_EQ(h.take(), Lines{"> " + kAbor});
    h.reply("426 Connection closed; transfer aborted.");
    h.reply("226 Closing data connection.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    h.data_closed(1);  // late: ignored
    EXPECT_TRUE(h.take().empty());
    EXPECT_TRUE(h.results()[0].ok);
}

TEST(ClientAbort, TransferThatEndedBeforeAborGetsTwoReplies) {
    // The server finished (226) before ABOR arrived; ABOR then gets 225 (vsftpd: "225 No
    // transfer to ABOR."): two replies owed, the second is ABOR's.
    ClientOp op = make_op(Kind::kRetr, "f");
    op.abort_after = 10;
    ClientHarness h({op});
    start_retr(h);
    h.take();
    h.data(1, std::string(20, 'x'));
    EXPECT_EQ(h.take(), Lines{"> " + kAbor});
    h.data_closed(1);
    h.reply("226 Transfer complete.");
    EXPECT_TRUE(h.results().empty());
    h.reply("225 No transfer to ABOR.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(codes(r[0]), (std::vector<int>{227, 150, 226, 225}));
}

TEST(ClientAbort, Lone225WhenTheServerHadNothingInProgress) {
    ClientOp op = make_op(Kind::kRetr, "f");
    op.abort_after = 10;
    ClientHarness h({op});
    start_retr(h);
    h.data(1, std::string(20, 'x'));
    h.reply("225 Data connection open; no transfer in progress.");
    EXPECT_EQ(h.take(), (Lines{"> PASV\r\n", "CONNECT #1 10.0.0.1:50000", "> RETR f\r\n",
                               "> " + kAbor, "CLOSEDATA #1", "CLOSE"}));
    EXPECT_TRUE(h.results()[0].ok);
}

TEST(ClientAbort, FinalReplyAlreadyInMeansOneReplyForAbor) {
    ClientOp op = make_op(Kind::kRetr, "f");
    op.abort_after = 10;
    ClientHarness h({op});
    start_retr(h);
    h.reply("226 Transfer complete.");  // overtook the data
    h.data(1, std::string(20, 'x'));
    h.take();
    h.reply("226 ABOR ok.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(codes(r[0]), (std::vector<int>{227, 150, 226, 226}));
}

TEST(ClientAbort, AborRefused) {
    ClientOp op = make_op(Kind::kRetr, "f");
    op.abort_after = 1;
    ClientHarness h({op});
    start_retr(h);
    h.data(1, "x");
    h.reply("426 aborted");
    h.reply("502 ABOR not implemented.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "ABOR refused: 502 ABOR not implemented.");
}

TEST(ClientAbort, UploadStopsExactlyAtTheAbortPoint) {
    ClientOp op = make_op(Kind::kStor, "f");
    op.upload = std::make_shared<const std::string>(3000, 'u');
    op.abort_after = 1500;
    ClientHarness h({op});
    start_retr(h);
    EXPECT_EQ(h.take(), (Lines{"> PASV\r\n", "CONNECT #1 10.0.0.1:50000", "> STOR f\r\n",
                               "SEND #1 0+1500"}));
    h.sent(1);
    EXPECT_EQ(h.take(), Lines{"> " + kAbor});  // and no more data
    h.sent(1);  // a stray confirmation changes nothing
    EXPECT_TRUE(h.take().empty());
    h.reply("426 Transfer aborted.");
    h.reply("226 ABOR successful.");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "CLOSE"}));
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_TRUE(r[0].aborted);
    EXPECT_EQ(r[0].bytes, 1500u);
}

TEST(ClientAbort, UploadShorterThanTheAbortPointCompletes) {
    ClientOp op = make_op(Kind::kStor, "f");
    op.upload = std::make_shared<const std::string>(100, 'u');
    op.abort_after = 100;
    ClientHarness h({op});
    start_retr(h);
    h.sent(1);
    h.reply("226 ok");
    EXPECT_EQ(h.take(), (Lines{"> PASV\r\n", "CONNECT #1 10.0.0.1:50000", "> STOR f\r\n",
                               "SEND #1 0+100", "CLOSEDATA #1", "CLOSE"}));
    const auto r = h.results();
    EXPECT_TRUE(r[0].ok);
    EXPECT_FALSE(r[0].aborted);
}

}  // namespace
}  // namespace ftpsim::sim::test
