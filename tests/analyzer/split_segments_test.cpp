// Control lines cut across TCP segments at every possible point decode as if sent whole.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using P = std::pair<std::string, std::string>;

const std::string kUser = "USER anonymous\r\n";
const std::string kWelcome =
    "230-Welcome to the archive\r\n"
    "230-  all transfers are logged\r\n"
    "230 Login successful.\r\n";

class SplitSegmentsTest : public CaptureTest {
protected:
    // The USER command sent as `user_pieces`, the 230 reply to PASS as `welcome_pieces`.
    EventCollector run(const std::vector<std::string>& user_pieces,
                       const std::vector<std::string>& welcome_pieces) {
        Capture cap;
        Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
        reply_acked(ctrl, "220 ready");
        for (const auto& piece : user_pieces) ctrl.send(piece, kFromClient);
        reply_acked(ctrl, "331 Password please");
        command(ctrl, "PASS x");
        for (const auto& piece : welcome_pieces) ctrl.send(piece, kFromServer);
        ctrl.ack(kFromClient);
        quit(ctrl);
        return analyze(cap);
    }

    static void expect_decoded(const EventCollector& ev) {
        EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "x"}, {"QUIT", ""}}))
            << ev.dump();
        EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 221})) << ev.dump();
        EXPECT_EQ(ev.reply_verbs(), (std::vector<std::string>{"", "USER", "PASS", "QUIT"}));
        auto replies = ev.bodies<analyzer::ReplyEvent>();
        if (replies.size() == 4) {
            EXPECT_EQ(replies[2].text, "Welcome to the archive");
            EXPECT_EQ(replies[2].lines,
                      (std::vector<std::string>{"230-Welcome to the archive",
                                                "230-  all transfers are logged",
                                                "230 Login successful."}));
        }
        EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
    }
};

TEST_F(SplitSegmentsTest, WholeLinesDecode) { expect_decoded(run({kUser}, {kWelcome})); }

TEST_F(SplitSegmentsTest, CommandSplitAtEveryOffset) {
    for (std::size_t k = 1; k < kUser.size(); ++k) {
        SCOPED_TRACE("split at " + std::to_string(k));
        expect_decoded(run({kUser.substr(0, k), kUser.substr(k)}, {kWelcome}));
    }
}

TEST_F(SplitSegmentsTest, MultiLineReplySplitAtEveryOffset) {
    for (std::size_t k = 1; k < kWelcome.size(); ++k) {
        SCOPED_TRACE("split at " + std::to_string(k));
        expect_decoded(run({kUser}, {kWelcome.substr(0, k), kWelcome.substr(k)}));
    }
}

TEST_F(SplitSegmentsTest, OneByteSegments) {
    std::vector<std::string> user, welcome;
    for (char ch : kUser) user.emplace_back(1, ch);
    for (char ch : kWelcome) welcome.emplace_back(1, ch);
    expect_decoded(run(user, welcome));
}

// The command's frame is the one that completed the line.
TEST_F(SplitSegmentsTest, CommandFrameIsTheLastPiece) {
    EventCollector ev = run({"USER anon", "ymous\r\n"}, {kWelcome});
    const analyzer::Event* user = ev.command("USER");
    ASSERT_NE(user, nullptr) << ev.dump();
    // SYN, SYN-ACK, ACK, 220, ACK, "USER anon", "ymous\r\n"
    EXPECT_EQ(user->frame, 7u);
    // ... and first_frame the one holding its first byte (looked up before the frame map forgot
    // the stretch before the line's end: it once came out 0).
    EXPECT_EQ(std::get<analyzer::CommandEvent>(user->body).first_frame, 6u);
}

// A reply line split in three: each line names the frames of its first and last byte.
TEST_F(SplitSegmentsTest, ReplyLineFramesSpanItsPieces) {
    EventCollector ev = run({kUser}, {"230-Welcome to", " the archive\r\n230-  all transfers are logged\r\n230 Log",
                                      "in successful.\r\n"});
    auto replies = ev.bodies<analyzer::ReplyEvent>();
    ASSERT_EQ(replies.size(), 4u) << ev.dump();
    const auto& frames = replies[2].line_frames;
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[0].second, frames[0].first + 1);  // two pieces
    EXPECT_EQ(frames[1].first, frames[1].second);      // whole in the second piece
    EXPECT_EQ(frames[1].first, frames[0].second);
    EXPECT_EQ(frames[2].first, frames[1].second);      // begins in the second piece ...
    EXPECT_EQ(frames[2].second, frames[2].first + 1);  // ... and ends in the third
}

}  // namespace
}  // namespace ftpsim::testsupport
