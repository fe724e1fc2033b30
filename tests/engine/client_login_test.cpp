// ClientSession: the greeting (RFC 959 §5.4 "Connection Establishment": 120 then 220, or 421)
// and login (USER / PASS / ACCT, RFC 959 §4.1.1 and the §5.4 "Login" sequences).
#include <gtest/gtest.h>

#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

TEST(ClientGreeting, WaitsFor220After120) {
    ClientHarness h({make_op(Kind::kNoop)});
    h.connect();
    EXPECT_TRUE(h.take().empty());  // the client speaks only after the greeting
    h.reply("120 Service ready in 1 minute.");
    EXPECT_TRUE(h.take().empty());
    h.reply("220 ready");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    ASSERT_EQ(h.session.greeting().size(), 2u);
    EXPECT_EQ(h.session.greeting()[0].code, 120);
    EXPECT_EQ(h.session.greeting()[1].code, 220);
}

TEST(ClientGreeting, MultiLineGreeting) {
    ClientHarness h({make_op(Kind::kNoop)});
    h.connect();
    h.feed("220-Welcome\r\n220-to the\r\n");
    EXPECT_TRUE(h.take().empty());
    h.feed("220 server\r\n");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    ASSERT_EQ(h.session.greeting().size(), 1u);
    EXPECT_TRUE(h.session.greeting()[0].multiline);
    EXPECT_EQ(h.session.greeting()[0].lines.size(), 3u);
}

TEST(ClientGreeting, Refused421FailsEveryOp) {
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kPwd)});
    h.connect();
    h.reply("421 Too many users, try later.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto results = h.results();
    ASSERT_EQ(results.size(), 2u);
    for (const auto& r : results) {
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("421 Too many users"), std::string::npos) << r.error;
        EXPECT_TRUE(r.commands.empty());
    }
    EXPECT_TRUE(h.session.finished());
}

TEST(ClientGreeting, ControlClosedBeforeGreeting) {
    ClientHarness h({make_op(Kind::kLogin)});
    h.connect();
    h.close();
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto results = h.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_NE(results[0].error.find("before the greeting"), std::string::npos);
    EXPECT_TRUE(h.session.finished());
}

TEST(ClientGreeting, NoGreetingTimesOut) {
    ClientConfig config;
    config.reply_timeout = 5 * kSecond;
    ClientHarness h({make_op(Kind::kLogin)}, config);
    h.connect();
    EXPECT_EQ(h.session.poll_timeout(), 5 * kSecond);
    h.advance(5 * kSecond - 1);
    EXPECT_TRUE(h.take().empty());
    h.advance(1);
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto results = h.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_NE(results[0].error.find("no greeting"), std::string::npos) << results[0].error;
}

TEST(ClientLogin, UserPassSucceeds) {
    ClientHarness h({make_op(Kind::kLogin)});
    h.login();
    EXPECT_EQ(h.take(), Lines{"CLOSE"});  // no QUIT in the ops: just close
    const auto results = h.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].ok);
    EXPECT_EQ(codes(results[0]), (std::vector<int>{331, 230}));
    EXPECT_EQ(results[0].commands, (Lines{"USER anonymous", "PASS ftpsim@example.com"}));
    EXPECT_TRUE(h.session.finished());
}

TEST(ClientLogin, ConfiguredAndPerOpCredentials) {
    ClientConfig config;
    config.user = "alice";
    config.password = "secret";
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kLogin, "bob", "hunter2")}, config);
    h.login("alice", "secret");
    EXPECT_EQ(h.take(), Lines{"> USER bob\r\n"});
    h.reply("331 Password required for bob");
    EXPECT_EQ(h.take(), Lines{"> PASS hunter2\r\n"});
    h.reply("230 ok");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
}

TEST(ClientLogin, Immediate230NeedsNoPassword) {
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kPwd)});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> USER anonymous\r\n"});
    h.reply("230 Already logged in.");
    EXPECT_EQ(h.take(), Lines{"> PWD\r\n"});
    const auto results = h.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].ok);
}

TEST(ClientLogin, Wrong530FailsAndTheSessionGoesOn) {
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kPwd)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("331 Please specify the password.");
    h.take();
    h.reply("530 Login incorrect.");
    // The failed login is one op's result; the next op still runs (the server decides what
    // an unauthenticated PWD gets).
    EXPECT_EQ(h.take(), Lines{"> PWD\r\n"});
    h.reply("530 Please login with USER and PASS.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto results = h.results();
    ASSERT_EQ(results.size(), 2u);
    EXPECT_FALSE(results[0].ok);
    EXPECT_EQ(results[0].error, "login refused: 530 Login incorrect.");
    EXPECT_FALSE(results[1].ok);
    EXPECT_EQ(results[1].error, "PWD failed: 530 Please login with USER and PASS.");
}

TEST(ClientLogin, UserRefused530) {
    ClientHarness h({make_op(Kind::kLogin)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("530 This FTP server is anonymous only.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(codes(r[0]), std::vector<int>{530});
}

ClientOp pipelined_login(std::string user = "", std::string password = "") {
    ClientOp op = make_op(Kind::kLogin, std::move(user));
    op.arg2 = std::move(password);
    op.pipelined = true;
    return op;
}

// Pipelined: USER and PASS in one write (one segment), both replies read before the op ends.
TEST(ClientLogin, PipelinedSendsUserAndPassTogether) {
    ClientHarness h({pipelined_login("u", "p"), make_op(Kind::kPwd)});
    h.connect();
    h.reply("220 hi");
    EXPECT_EQ(h.take(), Lines{"> USER u\r\nPASS p\r\n"});
    h.reply("331 Please specify the password.");
    EXPECT_EQ(h.take(), Lines{});  // PASS is already out: wait for its reply
    h.reply("230 Login successful.");
    EXPECT_EQ(h.take(), Lines{"> PWD\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok) << r[0].error;
    EXPECT_EQ(r[0].commands, (Lines{"USER u", "PASS p"}));
    EXPECT_EQ(codes(r[0]), (std::vector<int>{331, 230}));
}

// USER refused: the server still answers the PASS already sent; that reply belongs to the login,
// not to the next op.
TEST(ClientLogin, PipelinedUserRefusedConsumesThePassReply) {
    ClientHarness h({pipelined_login(), make_op(Kind::kPwd)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("530 This FTP server is anonymous only.");
    EXPECT_EQ(h.take(), Lines{});
    h.reply("503 Login with USER first.");
    EXPECT_EQ(h.take(), Lines{"> PWD\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "login refused: 530 This FTP server is anonymous only.");
    EXPECT_EQ(codes(r[0]), (std::vector<int>{530, 503}));
}

TEST(ClientLogin, PipelinedWrongPasswordFails) {
    ClientHarness h({pipelined_login("u", "bad")});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("331 Please specify the password.");
    h.reply("530 Login incorrect.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_EQ(r[0].error, "login refused: 530 Login incorrect.");
}

TEST(ClientLogin, Account332SendsAcct) {
    ClientConfig config;
    config.account = "billing";
    ClientHarness h({make_op(Kind::kLogin)}, config);
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("331 Password required");
    EXPECT_EQ(h.take(), Lines{"> PASS ftpsim@example.com\r\n"});
    h.reply("332 Need account for login.");
    EXPECT_EQ(h.take(), Lines{"> ACCT billing\r\n"});
    h.reply("230 Logged in.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].ok);
    EXPECT_EQ(codes(r[0]), (std::vector<int>{331, 332, 230}));
}

TEST(ClientLogin, Account332AfterUserGoesStraightToAcct) {
    ClientConfig config;
    config.account = "acct1";
    ClientHarness h({make_op(Kind::kLogin)}, config);
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("332 Need account.");
    EXPECT_EQ(h.take(), Lines{"> ACCT acct1\r\n"});
    h.reply("530 Bad account.");
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
}

TEST(ClientLogin, Account332WithoutAccountFails) {
    ClientHarness h({make_op(Kind::kLogin), make_op(Kind::kNoop)});
    h.connect();
    h.reply("220 hi");
    h.take();
    h.reply("331 Password required");
    h.take();
    h.reply("332 Need account for login.");
    EXPECT_EQ(h.take(), Lines{"> NOOP\r\n"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].ok);
    EXPECT_NE(r[0].error.find("none is configured"), std::string::npos);
}

}  // namespace
}  // namespace ftpsim::sim::test
