// Captures that begin after the control connection was set up: no SYN, no greeting.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::ConnOpen;
using analyzer::ReplyEvent;

class MidStreamTest : public CaptureTest {
protected:
    const std::string file = file_bytes(2000, 5);
    std::size_t type_index = 0;   // "TYPE I" from the client
    std::size_t login_reply = 0;  // "230 Login successful."

    void build(Capture& cap) {
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        reply(ctrl, "220 FileZilla Server 1.7.0");
        ctrl.ack(kFromClient);
        exchange(ctrl, "USER anonymous", "331 Please, specify the password.");
        command(ctrl, "PASS s3cret");
        login_reply = reply(ctrl, "230 Login successful.");
        ctrl.ack(kFromClient);
        type_index = exchange(ctrl, "TYPE I", "200 Type set to I");
        exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80)");
        Connection& data = cap.connect(kClientData, kServerPasv);
        data.handshake();
        command(ctrl, "RETR file.bin");
        reply(ctrl, "150 Opening data channel");
        data.send(file, kFromServer);
        data.ack(kFromClient);
        data.close(false);
        reply(ctrl, "226 Transfer complete");
        ctrl.ack(kFromClient);
        exchange(ctrl, "QUIT", "221 Goodbye");
        ctrl.close();
    }
};

TEST_F(MidStreamTest, CommandsAfterTheStartDecode) {
    Capture cap;
    build(cap);
    cap.packets.erase(cap.packets.begin(),
                      cap.packets.begin() + static_cast<std::ptrdiff_t>(type_index));
    EventCollector ev = analyze(cap);
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
    Capture cap;
    build(cap);
    cap.packets.erase(cap.packets.begin(),
                      cap.packets.begin() + static_cast<std::ptrdiff_t>(type_index));
    EventCollector ev = analyze(cap);
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
    Capture cap;
    build(cap);
    cap.packets.erase(cap.packets.begin(),
                      cap.packets.begin() + static_cast<std::ptrdiff_t>(type_index));
    EventCollector ev = analyze(cap);
    auto data = ev.bodies<analyzer::DataEvent>();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    EXPECT_EQ(data[0].mode, "passive");
    EXPECT_EQ(data[0].command, "RETR");
    EXPECT_EQ(data[0].bytes, file.size());
    EXPECT_EQ(data[0].sha256, expected_sha256(file));
    EXPECT_EQ(data[0].completion, 226);
}

// The first captured packet is the answer to a PASS that was not captured: a 230 is no
// greeting (RFC 959 §5.4: 120, 220 or 421 open a connection).
TEST_F(MidStreamTest, FirstCapturedReplyIsNotTakenForAGreeting) {
    Capture cap;
    build(cap);
    cap.packets.erase(cap.packets.begin(),
                      cap.packets.begin() + static_cast<std::ptrdiff_t>(login_reply));
    EventCollector ev = analyze(cap);
    auto replies = ev.bodies<ReplyEvent>();
    ASSERT_FALSE(replies.empty()) << ev.dump();
    EXPECT_EQ(replies[0].code, 230);
    EXPECT_FALSE(replies[0].greeting) << ev.dump();
    EXPECT_EQ(ev.commands().front().first, "TYPE") << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
