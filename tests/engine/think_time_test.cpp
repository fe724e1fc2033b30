// Think time (ServerConfig::think, ClientConfig::think, ClientOp::gap): a party waits before it
// acts, for a time drawn from its seed, and the order of replies and commands is unchanged.
#include <gtest/gtest.h>

#include <set>

#include "engine/client_harness.hpp"
#include "engine/server_harness.hpp"
#include "sim/engine/think_time.hpp"

namespace ftpsim::sim {
namespace {

using Kind = ClientOp::Kind;

TEST(ThinkTimeDraw, StaysWithinTheRangeAndVaries) {
    const ThinkTime t{2 * kMillisecond, 9 * kMillisecond};
    Prng prng(7);
    std::set<Nanos> seen;
    for (int i = 0; i < 200; ++i) {
        const Nanos d = t.draw(prng);
        EXPECT_GE(d, t.min);
        EXPECT_LE(d, t.max);
        seen.insert(d);
    }
    EXPECT_GT(seen.size(), 100u);
    EXPECT_EQ((ThinkTime{kSecond, kSecond}.draw(prng)), kSecond);  // a fixed time
    EXPECT_FALSE(ThinkTime{}.any());
}

TEST(ThinkTimeDraw, TheSameSeedGivesTheSameTimes) {
    const ThinkTime t{0, kSecond};
    Prng a(42), b(42), c(43);
    bool differs = false;
    for (int i = 0; i < 20; ++i) {
        const Nanos x = t.draw(a);
        EXPECT_EQ(x, t.draw(b));
        differs = differs || x != t.draw(c);
    }
    EXPECT_TRUE(differs);
}

class ServerThink : public ::testing::Test {
protected:
    void SetUp() override {
        h.config.users["alice"] = "secret";
        h.config.think = {5 * kMillisecond, 5 * kMillisecond};
    }
    test::ServerHarness h;
};

TEST_F(ServerThink, GreetingAndEveryReplyComeAfterTheThinkTime) {
    h.start();
    EXPECT_TRUE(h.no_reply());
    EXPECT_EQ(h.session->poll_timeout(), h.now + 5 * kMillisecond);
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 220);
    h.send("USER alice");
    EXPECT_TRUE(h.no_reply());
    h.advance(4 * kMillisecond);
    EXPECT_TRUE(h.no_reply());
    h.advance(kMillisecond);
    EXPECT_EQ(h.next_code(), 331);
}

TEST_F(ServerThink, PipelinedCommandsAreAnsweredInOrderEachAfterItsOwnPause) {
    h.start();
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 220);
    h.send_raw("USER alice\r\nPASS secret\r\nSYST\r\n");
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 331);
    EXPECT_TRUE(h.no_reply());
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 230);
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 215);
}

TEST_F(ServerThink, AFailedLoginWaitsTheFailedLoginDelayMore) {
    h.config.failed_login_delay = kSecond;
    h.start();
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 220);
    h.send("USER alice");
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 331);
    h.send("PASS wrong");
    h.advance(5 * kMillisecond + kSecond - 1);
    EXPECT_TRUE(h.no_reply());
    h.advance(1);
    EXPECT_EQ(h.next_code(), 530);
    h.send("USER alice");
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 331);
    h.send("PASS secret");  // a good password is not delayed
    h.advance(5 * kMillisecond);
    EXPECT_EQ(h.next_code(), 230);
}

TEST(ServerFailedLoginDelay, WorksWithoutThinkTime) {
    test::ServerHarness h;
    h.config.users["alice"] = "secret";
    h.config.failed_login_delay = 2 * kSecond;
    h.start();
    EXPECT_EQ(h.next_code(), 220);
    h.send("USER alice");
    EXPECT_EQ(h.next_code(), 331);
    h.send("PASS nope");
    EXPECT_TRUE(h.no_reply());
    h.advance(2 * kSecond);
    EXPECT_EQ(h.next_code(), 530);
}

ClientOp op(Kind kind) { return test::make_op(kind); }

TEST(ClientThink, EachOpWaitsTheThinkTimeAfterTheLastReply) {
    ClientConfig config;
    config.think = {kSecond, kSecond};
    test::ClientHarness h({op(Kind::kPwd), op(Kind::kSyst)}, config);
    h.connect();
    h.reply("220 ready");
    EXPECT_TRUE(h.take().empty());  // reading the greeting, typing
    h.advance(kSecond - 1);
    EXPECT_TRUE(h.take().empty());
    h.advance(1);
    EXPECT_EQ(h.take(), test::Lines{"> PWD\r\n"});
    h.reply("257 \"/\"");
    EXPECT_TRUE(h.take().empty());
    h.advance(kSecond);
    EXPECT_EQ(h.take(), test::Lines{"> SYST\r\n"});
}

TEST(ClientThink, AStepGapReplacesTheThinkTime) {
    ClientConfig config;
    config.think = {kSecond, kSecond};
    ClientOp syst = op(Kind::kSyst);
    syst.gap = 30 * kSecond;
    ClientOp noop = op(Kind::kNoop);
    noop.gap = 0;
    test::ClientHarness h({syst, noop}, config);
    h.connect();
    h.reply("220 ready");
    h.advance(29 * kSecond);
    EXPECT_TRUE(h.take().empty());
    h.advance(kSecond);
    EXPECT_EQ(h.take(), test::Lines{"> SYST\r\n"});
    h.reply("215 UNIX Type: L8");
    EXPECT_EQ(h.take(), test::Lines{"> NOOP\r\n"});  // gap 0: at once
}

TEST(ClientThink, ThinkingIsNotAReplyTimeout) {
    ClientConfig config;
    config.think = {40 * kSecond, 40 * kSecond};
    config.reply_timeout = 10 * kSecond;
    test::ClientHarness h({op(Kind::kNoop)}, config);
    h.connect();
    h.reply("220 ready");
    h.advance(40 * kSecond);
    EXPECT_EQ(h.take(), test::Lines{"> NOOP\r\n"});
    h.reply("200 ok");
    const auto results = h.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(results[0].ok);
}

TEST(ClientThink, A421WhileThinkingEndsTheSession) {
    ClientConfig config;
    config.think = {kSecond, kSecond};
    test::ClientHarness h({op(Kind::kPwd)}, config);
    h.connect();
    h.reply("220 ready");
    h.reply("421 Timeout.");
    EXPECT_EQ(h.take(), test::Lines{"CLOSE"});
    const auto results = h.results();
    ASSERT_EQ(results.size(), 1u);
    EXPECT_FALSE(results[0].ok);
    EXPECT_NE(results[0].error.find("421"), std::string::npos);
    h.advance(kSecond);
    EXPECT_TRUE(h.take().empty());  // nothing is sent after the close
}

}  // namespace
}  // namespace ftpsim::sim
