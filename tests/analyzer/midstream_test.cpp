// Captures that begin after the control connection was set up: no SYN, no greeting.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::ConnOpen;
using analyzer::ReplyEvent;

class MidStreamTest : public CaptureTest {
protected:
    void SetUp() override {
        CaptureTest::SetUp();
        Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
        reply_acked(ctrl, "220 FileZilla Server 1.7.0");
        exchange(ctrl, "USER anonymous", "331 Please, specify the password.");
        command(ctrl, "PASS s3cret");
        login_reply = reply_acked(ctrl, "230 Login successful.");
        type_index = exchange(ctrl, "TYPE I", "200 Type set to I");
        exchange(ctrl, "PASV", kPasvReply);
        Connection& data = open_connection(cap, kClientData, kServerPasv);
        start_transfer(ctrl, "RETR file.bin");
        send_and_close(data, file, kFromServer);
        complete_and_quit(ctrl);
    }
    // The session as captured from packet `first` (an index) on.
    EventCollector analyze_from(std::size_t first) {
        cap.packets.erase(cap.packets.begin(),
                          cap.packets.begin() + static_cast<std::ptrdiff_t>(first));
        return analyze(cap);
    }

    const std::string file = file_bytes(2000, 5);
    Capture cap;
    std::size_t type_index = 0;   // "TYPE I" from the client
    std::size_t login_reply = 0;  // "230 Login successful."
};

TEST_F(MidStreamTest, CommandsAfterTheStartDecode) {
    EventCollector ev = analyze_from(type_index);
    using P = std::pair<std::string, std::string>;
    EXPECT_EQ(ev.commands(),
              (std::vector<P>{{"TYPE", "I"}, {"PASV", ""}, {"RETR", "file.bin"}, {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.replies(), (std::vector<int>{200, 227, 150, 226, 221}));
    EXPECT_EQ(ev.reply_verbs(),
              (std::vector<std::string>{"TYPE", "PASV", "RETR", "RETR", "QUIT"}));
    for (const auto& r : ev.bodies<ReplyEvent>()) EXPECT_FALSE(r.greeting) << r.code;
}

TEST_F(MidStreamTest, ControlConnectionOpensWithoutHandshake) {
    EventCollector ev = analyze_from(type_index);
    auto opens = ev.of<ConnOpen>();
    ASSERT_EQ(opens.size(), 2u) << ev.dump();
    const auto& control = std::get<ConnOpen>(opens[0].body);
    EXPECT_EQ(control.role, analyzer::ConnRole::kFtpControl);
    EXPECT_FALSE(control.handshake);
    EXPECT_EQ(opens[0].frame, 1u);
    // Port 21 tells which side is the server, even without the SYN.
    EXPECT_EQ(opens[0].src.str(), "192.168.1.5:50123");
    EXPECT_EQ(opens[0].dst.str(), "192.168.1.10:21");
    EXPECT_TRUE(std::get<ConnOpen>(opens[1].body).handshake);
}

TEST_F(MidStreamTest, PassiveTransferStillAssociates) {
    EventCollector ev = analyze_from(type_index);
    auto data = ev.data();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    expect_transfer(data[0],
                    {.mode = "passive", .command = "RETR", .content = file, .completion = 226});
}

// The first captured packet is the answer to a PASS that was not captured: a 230 is no
// greeting (RFC 959 §5.4: 120, 220 or 421 open a connection).
TEST_F(MidStreamTest, FirstCapturedReplyIsNotTakenForAGreeting) {
    EventCollector ev = analyze_from(login_reply);
    auto replies = ev.bodies<ReplyEvent>();
    ASSERT_FALSE(replies.empty()) << ev.dump();
    EXPECT_EQ(replies[0].code, 230);
    EXPECT_FALSE(replies[0].greeting) << ev.dump();
    EXPECT_EQ(ev.commands().front().first, "TYPE") << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
