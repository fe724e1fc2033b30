// Replies and listings given verbatim (ServerConfig::replies, ::listings): the reply goes out as
// configured, and the session behaves as the code says (server_overrides.cpp).
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::ServerHarness;

ReplyOverride reply_for(std::string verb, int code, std::string text) {
    ReplyOverride o;
    o.verb = std::move(verb);
    o.code = code;
    o.text = std::move(text);
    return o;
}

TEST(ServerReplies, A230ToUserLogsInWithoutPass) {
    ServerHarness h;
    h.config.personality = Personality::kVsftpd;  // no anonymous, no users: only the override logs in
    h.config.replies.push_back(reply_for("USER", 230, "Anonymous access granted, restrictions apply"));
    h.memfs.add_file("/readme.txt", "hi\n");
    h.start();
    EXPECT_EQ(h.next_code(), 220);
    h.send("USER anonymous");
    EXPECT_EQ(h.next_line(), "230 Anonymous access granted, restrictions apply");
    // Logged in: vsftpd answers 530 to PWD and SIZE before login, so these prove it.
    h.send("PWD");
    EXPECT_EQ(h.next_line(), "257 \"/\" is the current directory");
    h.send("SIZE /readme.txt");
    EXPECT_EQ(h.next_line(), "213 3");
    h.send("PASS x");  // PASS after a login: the personality's own answer
    EXPECT_EQ(h.next_line(), "230 Already logged in.");
}

TEST(ServerReplies, A530ToPassIsAFailedLoginAndWaitsTheDelay) {
    ServerHarness h;
    h.config.users["alice"] = "secret";
    h.config.failed_login_delay = kSecond;
    h.config.max_login_failures = 2;
    h.config.replies.push_back(reply_for("PASS", 530, "Login incorrect."));
    h.start();
    EXPECT_EQ(h.next_code(), 220);
    h.send("USER alice");
    EXPECT_EQ(h.next_code(), 331);
    h.send("PASS secret");  // the right password: the configured 530 wins
    EXPECT_TRUE(h.no_reply());
    h.advance(kSecond - 1);
    EXPECT_TRUE(h.no_reply());
    h.advance(1);
    EXPECT_EQ(h.next_line(), "530 Login incorrect.");
    h.send("PWD");
    EXPECT_EQ(h.next_code(), 530);  // not logged in
    h.send("USER alice");
    EXPECT_EQ(h.next_code(), 331);
    h.send("PASS secret");
    h.advance(kSecond);
    EXPECT_EQ(h.next_line(), "530 Login incorrect.");
    EXPECT_TRUE(h.control_closed);  // the second failure reached max_login_failures
}

TEST(ServerReplies, MultiLineArgumentAndOccurrence) {
    ServerHarness h;
    ReplyOverride second_cwd = reply_for("CWD", 550, "No.");
    second_cwd.occurrence = 2;
    ReplyOverride secret = reply_for("CWD", 550, "Permission denied.\nAsk the admin.");
    secret.arg = "/secret";
    h.config.replies = {second_cwd, secret};
    h.start_logged_in();
    h.memfs.add_dir("/pub");
    h.memfs.add_dir("/secret");
    h.send("CWD /secret");
    EXPECT_EQ(h.control.substr(h.control.rfind("550-")), "550-Permission denied.\r\n550 Ask the admin.\r\n");
    h.next();
    h.send("CWD /pub");  // the second CWD
    EXPECT_EQ(h.next_line(), "550 No.");
    h.send("CWD /pub");  // the third: the server's own
    EXPECT_EQ(h.next_code(), 250);
    h.send("PWD");
    EXPECT_EQ(h.next_line(), "257 \"/pub\" is the current directory.");
}

TEST(ServerReplies, ARefusedPasvOpensNoDataConnection) {
    ServerHarness h;
    h.config.replies.push_back(reply_for("PASV", 500, "PASV not understood."));
    h.start_logged_in();
    h.memfs.add_file("/a", "abc");
    h.send("PASV");
    EXPECT_EQ(h.next_line(), "500 PASV not understood.");
    EXPECT_TRUE(h.channels.empty());
    h.send("RETR /a");
    EXPECT_EQ(h.next_code(), 425);  // no data set-up
}

TEST(ServerReplies, ARefusedPortForgetsTheEarlierSetUp) {
    ServerHarness h;
    ReplyOverride second_port = reply_for("PORT", 501, "Illegal PORT command.");
    second_port.occurrence = 2;
    h.config.replies.push_back(second_port);
    h.start_logged_in();
    h.memfs.add_file("/a", "abc");
    h.send("PORT 192,0,2,10,156,64");
    EXPECT_EQ(h.next_code(), 200);
    h.send("PORT 192,0,2,10,156,65");
    EXPECT_EQ(h.next_line(), "501 Illegal PORT command.");
    h.send("RETR /a");
    EXPECT_EQ(h.next_code(), 425);
    EXPECT_TRUE(h.channels.empty());  // no connection was ever made
}

TEST(ServerListings, ListSendsTheGivenBytesNlstKeepsNames) {
    ServerHarness h;
    h.config.personality = Personality::kVsftpd;
    const std::string lines =
        "lrwxrwxrwx    1 ftp      ftp            21 Jan 05  2018 latest -> releases/3.0\r\n"
        "drwxr-sr-x    2 1001     staff        4096 Mar 11 09:14 releases\r\n";
    h.config.listings["/pub"] = lines;
    h.memfs.add_file("/pub/a.txt", "x");
    h.start_logged_in();
    ChannelId id = h.pasv();
    h.connect(id);
    h.send("LIST /pub");
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, lines);  // byte for byte, in TYPE A as in TYPE I
    h.send("TYPE I");
    h.next();
    h.send("CWD /pub");
    h.next();
    id = h.pasv();
    h.connect(id);
    h.send("LIST");  // the current directory
    h.next();
    h.next();
    EXPECT_EQ(h.channels[id].received, lines);
    id = h.pasv();
    h.connect(id);
    h.send("NLST");
    h.next();
    h.next();
    EXPECT_EQ(h.channels[id].received, "a.txt\r\n");
}

}  // namespace
}  // namespace ftpsim::sim
