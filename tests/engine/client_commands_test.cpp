// ClientSession: the one-command ops, rename, raw lines, a lone ABOR, QUIT and the end of the
// session, 421, reply timeouts, an unexpected close, multi-line replies.
#include <gtest/gtest.h>

#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

struct SimpleCase {
    ClientOp op;
    std::string sent;
    std::string reply;
};

TEST(ClientCommands, EverySimpleOpSendsItsCommandAndTakesItsReply) {
    const std::vector<SimpleCase> cases = {
        {make_op(Kind::kPwd), "PWD\r\n", "257 \"/\" is the current directory"},
        {make_op(Kind::kCwd, "/pub"), "CWD /pub\r\n", "250 Directory successfully changed."},
        {make_op(Kind::kCdup), "CDUP\r\n", "250 Directory successfully changed."},
        {make_op(Kind::kType, "A"), "TYPE A\r\n", "200 Switching to ASCII mode."},
        {make_op(Kind::kType), "TYPE I\r\n", "200 Switching to Binary mode."},
        {make_op(Kind::kSyst), "SYST\r\n", "215 UNIX Type: L8"},
        {make_op(Kind::kSize, "a.txt"), "SIZE a.txt\r\n", "213 3405"},
        {make_op(Kind::kMdtm, "a.txt"), "MDTM a.txt\r\n", "213 20191202101500"},
        {make_op(Kind::kDele, "old.txt"), "DELE old.txt\r\n", "250 Delete operation successful."},
        {make_op(Kind::kMkd, "new dir"), "MKD new dir\r\n", "257 \"/new dir\" created"},
        {make_op(Kind::kRmd, "new dir"), "RMD new dir\r\n", "250 Remove directory operation successful."},
        {make_op(Kind::kNoop), "NOOP\r\n", "200 NOOP ok."},
        {make_op(Kind::kQuit), "QUIT\r\n", "221 Goodbye."},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.sent);
        ClientHarness h({make_op(Kind::kLogin), c.op});
        h.login();
        EXPECT_EQ(h.take(), Lines{"> " + c.sent});
        h.reply(c.reply);
        EXPECT_EQ(h.take(), Lines{"CLOSE"});
        const auto r = h.results();
        ASSERT_EQ(r.size(), 2u);
        EXPECT_TRUE(r[1].ok) << r[1].error;
        ASSERT_EQ(r[1].replies.size(), 1u);
        EXPECT_EQ(r[1].replies[0].lines[0], c.reply);
        EXPECT_EQ(r[1].commands, Lines{c.sent.substr(0, c.sent.size() - 2)});
        EXPECT_EQ(r[1].sha256, "");  // no data connection
        EXPECT_TRUE(h.session.finished());
    }
}

TEST(ClientCommands, ErrorReplyFailsTheOpOnly) {
    ClientHarness h({make_op(Kind::kSize, "nope"), make_op(Kind::kCwd, "x"), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> SIZE nope\r\n"});
    h.reply("550 Could not get file size.");
    EXPECT_EQ(h.take(), Lines{"> CWD x\r\n"});
    h.reply("450 Busy.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    h.reply("200 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_EQ(r[0].error, "SIZE failed: 550 Could not get file size.");
    EXPECT_EQ(r[1].error, "CWD failed: 450 Busy.");
    EXPECT_TRUE(r[2].ok);
}

TEST(ClientCommands, PreliminaryReplyIsKeptAndWaitedPast) {
    ClientHarness h({make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("110 Restart marker");
    EXPECT_TRUE(h.results().empty());
    h.reply("200 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(codes(r[0]), (std::vector<int>{110, 200}));
}

TEST(ClientCommands, FeatMultiLineReply) {
    ClientHarness h({make_op(Kind::kFeat)});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> FEAT\r\n"});
    h.feed("211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n");
    EXPECT_TRUE(h.take().empty());
    h.feed(" SIZE\r\n TVFS\r\n211 End\r\n");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    ASSERT_EQ(r[0].replies.size(), 1u);
    EXPECT_TRUE(r[0].replies[0].multiline);
    EXPECT_EQ(r[0].replies[0].lines.size(), 9u);
    EXPECT_EQ(r[0].replies[0].lines[5], " REST STREAM");
}

TEST(ClientCommands, MultiLineReplyWithCodeLikeContinuationLines) {
    // RFC 959 §4.2: inside a multi-line reply only "NNN " with the opening code ends it;
    // a continuation line starting "230-" or with other digits does not.
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("331 pass");
    h.take();
    h.feed("230-Welcome\r\n230-Second line\r\n 123 not a code\r\n230 Login successful.\r\n");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    ASSERT_EQ(r[0].replies.size(), 2u);
    EXPECT_EQ(r[0].replies[1].lines.size(), 4u);
}

TEST(ClientCommands, RenameIsRnfrThenRnto) {
    ClientHarness h({make_op(Kind::kRename, "a.txt", "b.txt")});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> RNFR a.txt\r\n"});
    h.reply("350 Ready for RNTO.");
    EXPECT_EQ(h.take(), Lines{"> RNTO b.txt\r\n"});
    h.reply("250 Rename successful.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(codes(r[0]), (std::vector<int>{350, 250}));
    EXPECT_EQ(r[0].commands, (Lines{"RNFR a.txt", "RNTO b.txt"}));
}

TEST(ClientCommands, RenameStopsWhenRnfrIsRefused) {
    ClientHarness h({make_op(Kind::kRename, "missing", "b"), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("550 RNFR command failed.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});  // no RNTO
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "RNFR refused: 550 RNFR command failed.");
}

TEST(ClientCommands, RenameFailsOnRntoError) {
    ClientHarness h({make_op(Kind::kRename, "a", "/x/b")});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("350 Ready");
    h.take();
    h.reply("553 Could not rename.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].error, "RNTO failed: 553 Could not rename.");
}

TEST(ClientCommands, RawLineSentAsIs) {
    ClientHarness h({make_op(Kind::kRaw, "SITE CHMOD 644 a.txt"), make_op(Kind::kRaw, "REST 100"),
                     make_op(Kind::kRaw, "XYZZY"), make_op(Kind::kRaw, "NOOP\n")});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> SITE CHMOD 644 a.txt\r\n"});
    h.reply("200 SITE CHMOD command ok.");
    EXPECT_EQ(h.take(), Lines{"> REST 100\r\n"});
    h.reply("350 Restart position accepted (100).");
    EXPECT_EQ(h.take(), Lines{"> XYZZY\r\n"});
    h.reply("500 Unknown command.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\n"});  // a line ending in LF goes unchanged
    h.reply("200 ok");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 4u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_TRUE(r[1].ok);  // 3yz counts for a raw line
    EXPECT_FALSE(r[2].ok);
    EXPECT_EQ(r[2].error, "refused: 500 Unknown command.");
    EXPECT_TRUE(r[3].ok);
    EXPECT_EQ(r[3].commands, Lines{"NOOP"});
}

TEST(ClientCommands, LoneAbortSendsTelnetInterruptAndSynch) {
    ClientHarness h({make_op(Kind::kAbort)});
    h.connect();
    h.reply("220 hi");
    const auto actions = h.take_actions();
    ASSERT_EQ(actions.size(), 1u);
    const auto& bytes = std::get<SendControl>(actions[0]).bytes;
    // RFC 959 §4.1.3 / RFC 854: IAC IP (FF F4), IAC DM (FF F2), then ABOR CRLF.
    const std::string expected{'\xFF', '\xF4', '\xFF', '\xF2', 'A', 'B', 'O', 'R', '\r', '\n'};
    EXPECT_EQ(bytes, expected);
    h.reply("225 No transfer to ABOR.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[0].commands, Lines{"ABOR"});
}

TEST(ClientCommands, QuitEndsTheSessionAndFailsLaterOps) {
    ClientHarness h({make_op(Kind::kQuit), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> QUIT\r\n"});
    EXPECT_FALSE(h.session.finished());
    h.reply("221 Goodbye.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    h.close();  // the server's close afterwards changes nothing
    EXPECT_TRUE(h.take().empty());
    const auto r = h.results();
    ASSERT_EQ(r.size(), 2u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_FALSE(r[1].ok);
    EXPECT_EQ(r[1].error, "not run: the session ended with QUIT");
    EXPECT_TRUE(h.session.finished());
}

TEST(ClientCommands, NoOpsJustClosesAfterTheGreeting) {
    ClientHarness h({});
    h.connect();
    EXPECT_FALSE(h.session.finished());
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    EXPECT_TRUE(h.session.finished());
    EXPECT_EQ(h.session.poll_timeout(), std::nullopt);
}

TEST(ClientCommands, Unsolicited421EndsTheSession) {
    ClientHarness h({make_op(Kind::kNoop), make_op(Kind::kPwd), make_op(Kind::kSyst)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("200 ok");
    EXPECT_EQ(h.take(), Lines{"> PWD\r\n"});
    h.reply("421 Timeout.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[1].error, "the server is closing the session: 421 Timeout.");
    EXPECT_EQ(r[2].error, "not run: the server closed the session: 421 Timeout.");
}

TEST(ClientCommands, ReplyTimeoutFailsTheOpAndClosesWithoutQuit) {
    ClientConfig config;
    config.reply_timeout = 10 * kSecond;
    ClientHarness h({make_op(Kind::kNoop), make_op(Kind::kPwd), make_op(Kind::kQuit)}, config);
    h.connect();
    h.advance(kSecond);
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    EXPECT_EQ(h.session.poll_timeout(), 11 * kSecond);
    h.advance(3 * kSecond);
    h.reply("200 ok");
    EXPECT_EQ(h.take(), Lines{"> PWD\r\n"});
    EXPECT_EQ(h.session.poll_timeout(), 14 * kSecond);  // restarted by the new command
    h.advance(10 * kSecond - 1);
    EXPECT_TRUE(h.take().empty());
    h.advance(1);
    EXPECT_EQ(h.take(), Lines{"CLOSE"});  // no QUIT: the control connection is out of step
    const auto r = h.results();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[1].error, "no reply to PWD within 10000 ms");
    EXPECT_EQ(r[2].error, "not run: the session ended after a timeout (no reply to PWD within 10000 ms)");
    EXPECT_TRUE(h.session.finished());
    // A late reply changes nothing.
    h.reply("257 \"/\"");
    EXPECT_TRUE(h.take().empty());
    EXPECT_TRUE(h.results().empty());
}

TEST(ClientCommands, UnexpectedCloseFailsCurrentAndRemainingOps) {
    ClientHarness h({make_op(Kind::kNoop), make_op(Kind::kCwd, "a"), make_op(Kind::kPwd)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("200 ok");
    h.take();
    h.close();
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 3u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(r[1].error,
              "the server closed the control connection while waiting for the reply to CWD");
    EXPECT_EQ(r[2].error,
              "not run: the server closed the control connection while waiting for the reply to CWD");
    EXPECT_TRUE(h.session.finished());
    EXPECT_EQ(h.session.poll_timeout(), std::nullopt);
}

}  // namespace
}  // namespace ftpsim::sim::test
