// What the analyzer keeps per connection stays bounded whatever the capture holds: commands
// waiting for replies are capped (as Zeek's max_pending_commands), and a connection that is not
// FTP is not reassembled.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

// A client that sends `n` NOOPs and never gets an answer, then the connection closes.
void unanswered_noops(Capture& cap, int n) {
    Connection& ctrl = logged_in_control(cap);
    for (int i = 0; i < n; ++i) command(ctrl, "NOOP");
    ctrl.close();
}

TEST(BoundedStateTest, PendingCommandsAreCappedWithOneAnomaly) {
    Capture cap;
    unanswered_noops(cap, 60);
    EventCollector ev = analyze_frames(cap);
    EXPECT_EQ(ev.verbs().size(), 62u) << "every command is still reported";  // USER, PASS, 60 NOOPs
    ASSERT_EQ(ev.anomalies("too_many_pending_commands").size(), 1u) << ev.dump();
    // Said at the 51st unanswered NOOP (USER and PASS were answered).
    auto noops = ev.of_where<analyzer::CommandEvent>([](const analyzer::CommandEvent& c) { return c.verb == "NOOP"; });
    EXPECT_EQ(ev.anomalies("too_many_pending_commands")[0].frame, noops.at(50).frame);
    // Only the capped number was remembered: that many are reported unanswered at the close.
    EXPECT_EQ(ev.anomalies("command_without_reply").size(), 50u) << ev.dump();
}

TEST(BoundedStateTest, ThePendingCapIsAnOption) {
    Capture cap;
    unanswered_noops(cap, 10);
    analyzer::AnalyzeOptions options;
    options.max_pending_commands = 4;
    EventCollector ev = analyze_frames(cap, {}, options);
    EXPECT_EQ(ev.anomalies("too_many_pending_commands").size(), 1u) << ev.dump();
    EXPECT_EQ(ev.anomalies("command_without_reply").size(), 4u) << ev.dump();
}

TEST(BoundedStateTest, BelowTheCapNothingIsSaid) {
    Capture cap;
    unanswered_noops(cap, 48);  // with USER and PASS answered: 48 waiting, under 50
    EventCollector ev = analyze_frames(cap);
    EXPECT_TRUE(ev.anomalies("too_many_pending_commands").empty()) << ev.dump();
    EXPECT_EQ(ev.anomalies("command_without_reply").size(), 48u);
}

TEST(BoundedStateTest, RepliesStillPairWithTheCommandsKept) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    command(ctrl, "NOOP");
    command(ctrl, "SYST");
    command(ctrl, "PWD");  // not remembered with a cap of 2
    reply_acked(ctrl, "200 NOOP ok.");
    reply_acked(ctrl, "215 UNIX Type: L8");
    quit(ctrl);
    analyzer::AnalyzeOptions options;
    options.max_pending_commands = 2;
    EventCollector ev = analyze_frames(cap, {}, options);
    auto verbs = ev.reply_verbs();
    ASSERT_GE(verbs.size(), 5u) << ev.dump();
    EXPECT_EQ(verbs[3], "NOOP");
    EXPECT_EQ(verbs[4], "SYST");
}

// Not FTP (an HTTP exchange on port 80, its request's second half before its first): nothing
// is reported for it, as before, and the FTP session beside it decodes as usual.
TEST(BoundedStateTest, NonFtpConnectionIsIgnored) {
    Capture cap;
    Connection& http = cap.connect({"192.168.1.5", 40000}, {"192.168.1.20", 80});
    http.handshake();
    const std::uint32_t at = http.next_seq(kFromClient);
    http.segment(kFromClient, at + 16, "Host: example\r\n\r\n");
    http.segment(kFromClient, at, "GET / HTTP/1.1\r\n", kPsh | kAck, true);
    http.send("HTTP/1.1 200 OK\r\n\r\n", kFromServer);
    http.close();
    Connection& ctrl = logged_in_control(cap);
    quit(ctrl);
    EventCollector ev = analyze_frames(cap);
    for (const auto& e : ev.events) EXPECT_NE(e.conn, 1u) << ev.dump();
    EXPECT_EQ(ev.verbs(), (std::vector<std::string>{"USER", "PASS", "QUIT"}));
}

}  // namespace
}  // namespace ftpsim::testsupport
