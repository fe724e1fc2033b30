// Injected faults (ServerConfig::faults): per verb and occurrence, on the greeting ("CONNECT"),
// and each kind's effect on the wire.
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::ServerHarness;

Fault fault(const std::string& verb, std::uint32_t occurrence, Fault::Kind kind) {
    Fault f;
    f.verb = verb;
    f.occurrence = occurrence;
    f.kind = kind;
    return f;
}

class ServerFaults : public ::testing::Test {
protected:
    void SetUp() override {
        h.memfs.add_file("/file.txt", "0123456789abcdefghij");  // 20 bytes
        h.memfs.add_dir("/in");
        h.config.anonymous = true;
    }
    void start() {
        h.start();
        EXPECT_EQ(h.next_code(), 220);
        h.login();
        h.send("TYPE I");
        EXPECT_EQ(h.next_code(), 200);
    }
    ServerHarness h;
};

TEST_F(ServerFaults, ReplyOverridesTheNthOccurrenceOnly) {
    Fault f = fault("PWD", 2, Fault::Kind::kReply);
    f.code = 550;
    f.text = "Injected\nfailure";
    h.config.faults.push_back(f);
    start();
    h.send("PWD");
    EXPECT_EQ(h.next_code(), 257);
    h.send("XPWD");  // another verb: its own count
    EXPECT_EQ(h.next_code(), 257);
    h.send("PWD");
    EXPECT_EQ(h.next().lines, (std::vector<std::string>{"550-Injected", "550 failure"}));
    h.send("PWD");
    EXPECT_EQ(h.next_code(), 257);
    EXPECT_NE(std::find(h.logs.begin(), h.logs.end(), "fault PWD#2: reply 550"), h.logs.end());
}

TEST_F(ServerFaults, ReplyInsteadOfTheNormalActionEveryTime) {
    Fault f = fault("CWD", 0, Fault::Kind::kReply);
    f.code = 250;
    f.text = "Sure.";
    h.config.faults.push_back(f);
    start();
    h.send("CWD /in");
    EXPECT_EQ(h.next_line(), "250 Sure.");
    h.send("PWD");
    EXPECT_EQ(h.next().text, "\"/\" is the current directory.");  // nothing changed
    h.send("CWD /in");
    EXPECT_EQ(h.next_line(), "250 Sure.");
}

TEST_F(ServerFaults, DelayHoldsTheReplyAndWhatFollows) {
    Fault f = fault("SYST", 1, Fault::Kind::kDelay);
    f.delay = 5 * kSecond;
    h.config.faults.push_back(f);
    start();
    h.send("SYST\r\nNOOP");
    EXPECT_TRUE(h.no_reply());
    EXPECT_EQ(h.session->poll_timeout(), h.now + 5 * kSecond);
    h.advance(4 * kSecond);
    EXPECT_TRUE(h.no_reply());
    h.advance(kSecond);
    EXPECT_EQ(h.next_code(), 215);
    EXPECT_EQ(h.next_code(), 200);  // queued behind, answered in order
    h.send("SYST");  // occurrence 2: no delay
    EXPECT_EQ(h.next_code(), 215);
}

TEST_F(ServerFaults, DelayedTransferCommand) {
    Fault f = fault("RETR", 1, Fault::Kind::kDelay);
    f.delay = 2 * kSecond;
    h.config.faults.push_back(f);
    start();
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /file.txt");
    EXPECT_TRUE(h.no_reply());
    h.advance(2 * kSecond);
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "0123456789abcdefghij");
}

TEST_F(ServerFaults, CloseInsteadOfAnswering) {
    h.config.faults.push_back(fault("LIST", 1, Fault::Kind::kClose));
    start();
    const ChannelId id = h.pasv();
    h.send("LIST");
    EXPECT_TRUE(h.no_reply());
    EXPECT_TRUE(h.control_closed);
    EXPECT_FALSE(h.control_reset);
    EXPECT_TRUE(h.channels[id].closed);  // the passive listener goes too
    EXPECT_TRUE(h.session->finished());
}

TEST_F(ServerFaults, ShortTransferAnnouncesAllSendsSomeThen226) {
    Fault f = fault("RETR", 0, Fault::Kind::kShortTransfer);
    f.bytes = 7;
    h.config.faults.push_back(f);
    start();
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /file.txt");
    EXPECT_EQ(h.next().text, "Opening BINARY mode data connection for /file.txt (20 bytes).");
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "0123456");
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_FALSE(h.channels[id].reset);  // a clean close: only the size gives it away
}

TEST_F(ServerFaults, ShortUploadClosesUnderTheSender) {
    Fault f = fault("STOR", 1, Fault::Kind::kShortTransfer);
    f.bytes = 4;
    h.config.faults.push_back(f);
    start();
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("STOR /in/u.bin");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, "abcdefgh");
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_EQ(*h.memfs.content("/in/u.bin"), "abcd");
}

TEST_F(ServerFaults, RefuseData425WithoutConnecting) {
    h.config.faults.push_back(fault("RETR", 1, Fault::Kind::kRefuseData));
    start();
    h.send("PORT 192,0,2,10,200,1");
    EXPECT_EQ(h.next_code(), 200);
    h.send("RETR /file.txt");
    EXPECT_EQ(h.next_line(), "425 Can't open data connection.");
    EXPECT_TRUE(h.channels.empty());  // no ConnectData
    // Passive: the listener is closed, the set-up used up.
    const ChannelId id = h.pasv();
    h.send("RETR /file.txt");  // occurrence 2: normal
    h.connect(id);
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
}

TEST_F(ServerFaults, NoDataConnectionSays150ThenTimesOut) {
    h.config.faults.push_back(fault("RETR", 0, Fault::Kind::kNoDataConnection));
    h.config.data_connect_timeout = 10 * kSecond;
    start();
    h.send("PORT 192,0,2,10,200,1");
    h.next();
    h.send("RETR /file.txt");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_TRUE(h.channels.empty());  // never connects
    h.advance(9 * kSecond);
    EXPECT_TRUE(h.no_reply());
    h.advance(kSecond);
    EXPECT_EQ(h.next_code(), 425);  // then the session goes on
    h.send("NOOP");
    EXPECT_EQ(h.next_code(), 200);

    // Passive: the client's connection is accepted by the kernel but never used.
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /file.txt");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_TRUE(h.channels[id].slices.empty());
    h.advance(10 * kSecond);
    EXPECT_EQ(h.next_code(), 425);
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_TRUE(h.channels[id].received.empty());
}

TEST_F(ServerFaults, ResetDataAfterBytes) {
    Fault f = fault("RETR", 1, Fault::Kind::kResetData);
    f.bytes = 5;
    h.config.faults.push_back(f);
    Fault up = fault("STOR", 1, Fault::Kind::kResetData);
    up.bytes = 3;
    h.config.faults.push_back(up);
    start();
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("RETR /file.txt");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_line(), "426 Connection closed; transfer aborted.");
    EXPECT_EQ(h.channels[id].received, "01234");
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_TRUE(h.channels[id].reset);

    id = h.pasv();
    h.connect(id);
    h.send("STOR /in/r.bin");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, "xyzzy");
    EXPECT_EQ(h.next_code(), 426);
    EXPECT_TRUE(h.channels[id].reset);
    EXPECT_FALSE(h.memfs.content("/in/r.bin"));  // 426: the upload is abandoned
}

TEST_F(ServerFaults, ResetOfAShortFileStillResets) {
    Fault f = fault("LIST", 1, Fault::Kind::kResetData);
    f.bytes = 1'000'000;
    h.config.faults.push_back(f);
    start();
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("LIST");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 426);
    EXPECT_TRUE(h.channels[id].reset);
    EXPECT_FALSE(h.channels[id].received.empty());
}

TEST_F(ServerFaults, DataFaultOnAControlCommandIsIgnored) {
    h.config.faults.push_back(fault("PWD", 0, Fault::Kind::kResetData));
    start();
    h.send("PWD");
    EXPECT_EQ(h.next_code(), 257);
    EXPECT_NE(std::find(h.logs.begin(), h.logs.end(),
                        "fault PWD#1: data fault ignored: not a transfer command"),
              h.logs.end());
}

TEST(ServerFaultsConnect, GreetingReplacedByARefusal) {
    ServerHarness h;
    Fault f = fault("CONNECT", 0, Fault::Kind::kReply);
    f.code = 421;
    f.text = "Service not available, closing control connection.";
    h.config.faults.push_back(f);
    h.start();
    EXPECT_EQ(h.control, "421 Service not available, closing control connection.\r\n");
    EXPECT_TRUE(h.control_closed);
}

TEST(ServerFaultsConnect, GreetingReplacedByAnotherBanner) {
    ServerHarness h;
    Fault f = fault("CONNECT", 1, Fault::Kind::kReply);
    f.code = 220;
    f.text = "ProFTPD Server ready.";
    h.config.faults.push_back(f);
    h.start();
    EXPECT_EQ(h.next_line(), "220 ProFTPD Server ready.");
    EXPECT_FALSE(h.control_closed);
}

TEST(ServerFaultsConnect, GreetingDelayedAndCommandsWait) {
    ServerHarness h;
    Fault f = fault("CONNECT", 1, Fault::Kind::kDelay);
    f.delay = 3 * kSecond;
    h.config.faults.push_back(f);
    h.start();
    EXPECT_TRUE(h.no_reply());
    h.send("SYST");  // an impatient client
    EXPECT_TRUE(h.no_reply());
    h.advance(3 * kSecond);
    EXPECT_EQ(h.next_code(), 220);
    EXPECT_EQ(h.next_code(), 215);
}

TEST(ServerFaultsConnect, ClosedWithoutGreeting) {
    ServerHarness h;
    h.config.faults.push_back(fault("CONNECT", 1, Fault::Kind::kClose));
    h.start();
    EXPECT_TRUE(h.control.empty());
    EXPECT_TRUE(h.control_closed);
}

}  // namespace
}  // namespace ftpsim::sim
