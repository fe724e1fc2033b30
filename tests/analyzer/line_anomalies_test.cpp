// Control lines that do not parse or do not fit: reported as anomalies, and decoding goes on.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

using P = std::pair<std::string, std::string>;

class LineAnomaliesTest : public CaptureTest {};

TEST_F(LineAnomaliesTest, OverlongCommandIsCutAndReported) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "CWD " + std::string(10000, 'a'), "550 Failed to change directory.");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    auto a = ev.anomalies("overlong_line");
    ASSERT_EQ(a.size(), 1u) << ev.dump();
    EXPECT_EQ(a[0].src.str(), "192.168.1.5:50123");
    auto cmds = ev.commands();
    ASSERT_EQ(cmds.size(), 4u) << ev.dump();
    EXPECT_EQ(cmds[2].first, "CWD");
    EXPECT_LE(cmds[2].second.size(), 8192u);
    EXPECT_EQ(ev.reply_verbs().back(), "QUIT");
}

TEST_F(LineAnomaliesTest, GarbageFromEitherSide) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    command(ctrl, "\x16\x03\x01 hello");  // a TLS ClientHello's first bytes, say
    reply_acked(ctrl, "this is no reply");
    exchange(ctrl, "NOOP", "200 NOOP ok.");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.anomalies("not_a_command").size(), 1u) << ev.dump();
    EXPECT_EQ(ev.anomalies("not_a_reply").size(), 1u) << ev.dump();
    EXPECT_EQ(ev.reply_verbs(),
              (std::vector<std::string>{"", "USER", "PASS", "NOOP", "QUIT"}))
        << ev.dump();
}

TEST_F(LineAnomaliesTest, UnexpectedReplyCode) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PWD", "331 What?");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    auto a = ev.anomalies("unexpected_reply");
    ASSERT_EQ(a.size(), 1u) << ev.dump();
    EXPECT_NE(std::get<analyzer::AnomalyEvent>(a[0].body).detail.find("PWD"), std::string::npos);
}

TEST_F(LineAnomaliesTest, StreamEndingInsideLines) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    command(ctrl, "STAT");
    ctrl.send("211-Status\r\n  connected\r\n", kFromServer);
    ctrl.send("NOOP", kFromClient);
    ctrl.close(false);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.anomalies("unterminated_line").size(), 1u) << ev.dump();
    EXPECT_EQ(ev.anomalies("unterminated_reply").size(), 1u) << ev.dump();
    auto cmds = ev.commands();
    ASSERT_FALSE(cmds.empty());
    EXPECT_EQ(cmds.back(), (P{"NOOP", ""})) << ev.dump();
    auto replies = ev.bodies<analyzer::ReplyEvent>();
    ASSERT_FALSE(replies.empty());
    EXPECT_EQ(replies.back().code, 211) << ev.dump();
    EXPECT_EQ(replies.back().to_verb, "STAT");
}

TEST_F(LineAnomaliesTest, PasvReplyWithoutAddress) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PASV", "227 Entering Passive Mode.");
    exchange(ctrl, "EPSV", "229 Entering Extended Passive Mode.");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.anomalies("bad_pasv_reply").size(), 1u) << ev.dump();
    EXPECT_EQ(ev.anomalies("bad_epsv_reply").size(), 1u) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
