// Greetings of each personality, login (RFC 959 §4.1.1), the 530/503 sequencing rules, the
// login failure limit and capacity refusals.
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::ServerHarness;

TEST(ServerPersonality, VsftpdGreetingAndLoginTexts) {
    ServerHarness h;
    h.config.personality = Personality::kVsftpd;
    h.config.users["chris"] = "secret";
    h.start();
    EXPECT_EQ(h.control, "220 (vsFTPd 3.0.3)\r\n");
    EXPECT_EQ(h.next_line(), "220 (vsFTPd 3.0.3)");
    h.send("USER chris");
    EXPECT_EQ(h.next_line(), "331 Please specify the password.");
    h.send("PASS wrong");
    EXPECT_EQ(h.next_line(), "530 Login incorrect.");
    h.send("PASS secret");
    EXPECT_EQ(h.next_line(), "503 Login with USER first.");
    h.send("USER chris");
    h.next();
    h.send("PASS secret");
    EXPECT_EQ(h.next_line(), "230 Login successful.");
    h.send("SYST");
    EXPECT_EQ(h.next_line(), "215 UNIX Type: L8");
    h.send("PWD");
    EXPECT_EQ(h.next_line(), "257 \"/\" is the current directory");
    h.send("TYPE I");
    EXPECT_EQ(h.next_line(), "200 Switching to Binary mode.");
    h.send("QUIT");
    EXPECT_EQ(h.next_line(), "221 Goodbye.");
    EXPECT_TRUE(h.control_closed);
    EXPECT_TRUE(h.session->finished());
}

TEST(ServerPersonality, FileZillaMultiLineBannerAndTexts) {
    ServerHarness h;
    h.config.personality = Personality::kFileZilla;
    h.config.users["xxxxxxxx"] = "pw";
    h.start();
    EXPECT_EQ(h.control,
              "220-FileZilla Server 0.9.60 beta\r\n"
              "220-written by Tim Kosse (tim.kosse@filezilla-project.org)\r\n"
              "220 Please visit https://filezilla-project.org/\r\n");
    const ftp::Reply banner = h.next();
    EXPECT_EQ(banner.code, 220);
    EXPECT_TRUE(banner.multiline);
    EXPECT_EQ(banner.lines.size(), 3u);
    h.send("USER xxxxxxxx");
    EXPECT_EQ(h.next_line(), "331 Password required for xxxxxxxx");
    h.send("PASS nope");
    EXPECT_EQ(h.next_line(), "530 Login or password incorrect!");
    h.send("USER xxxxxxxx");
    h.next();
    h.send("PASS pw");
    EXPECT_EQ(h.next_line(), "230 Logged on");
    h.send("PWD");
    EXPECT_EQ(h.next_line(), "257 \"/\" is current directory.");
    h.send("SYST");
    EXPECT_EQ(h.next_line(), "215 UNIX emulated by FileZilla");
    h.send("TYPE A");
    EXPECT_EQ(h.next_line(), "200 Type set to A");
    h.send("CWD nowhere");
    EXPECT_EQ(h.next_line(), "550 CWD failed. \"/nowhere\": directory not found.");
    h.send("QUIT");
    EXPECT_EQ(h.next_line(), "221 Goodbye");
}

TEST(ServerPersonality, NeutralGreetingAndGreetingOverride) {
    ServerHarness h;
    h.start();
    EXPECT_EQ(h.next_line(), "220 ftpsim FTP server ready.");

    ServerHarness o;
    o.config.reply_texts["GREETING"] = "Welcome\n220 looks final\nto the test server";
    o.start();
    // RFC 959 §4.2: a middle line that looks like the last one ("220 ...") is padded.
    EXPECT_EQ(o.control, "220-Welcome\r\n 220 looks final\r\n220 to the test server\r\n");
    const ftp::Reply r = o.next();
    EXPECT_EQ(r.lines.size(), 3u);
    EXPECT_TRUE(o.no_reply());
}

TEST(ServerLogin, AnonymousNeedsTheSwitch) {
    ServerHarness h;
    h.start();
    h.next();
    h.send("USER anonymous");
    EXPECT_EQ(h.next_code(), 331);
    h.send("PASS a@b");
    EXPECT_EQ(h.next_code(), 530);

    ServerHarness a;
    a.config.anonymous = true;
    a.start();
    a.next();
    a.send("USER ftp");
    EXPECT_EQ(a.next_code(), 331);
    a.send("PASS whatever");
    EXPECT_EQ(a.next_code(), 230);
    EXPECT_NE(std::find(a.logs.begin(), a.logs.end(), "login ftp"), a.logs.end());
}

TEST(ServerLogin, EverythingButLoginCommandsNeedsLogin) {
    ServerHarness h;
    h.memfs.add_file("/a.txt", "abc");
    h.start();
    h.next();
    for (const char* cmd : {"PWD", "CWD /", "LIST", "RETR a.txt", "PASV", "PORT 192,0,2,10,200,1",
                            "SIZE a.txt", "DELE a.txt", "MKD x", "STOR b", "REST 5", "XYZZ",
                            "TYPE I", "STAT"}) {
        h.send(cmd);
        const ftp::Reply r = h.next();
        EXPECT_EQ(r.code, 530) << cmd;
        EXPECT_EQ(r.text, "Please login with USER and PASS.") << cmd;
    }
    EXPECT_TRUE(h.channels.empty());  // no PASV listener was opened
    // Allowed before login (RFC 2389 clients send FEAT first).
    h.send("FEAT");
    EXPECT_EQ(h.next_code(), 211);
    h.send("SYST");
    EXPECT_EQ(h.next_code(), 215);
    h.send("HELP");
    EXPECT_EQ(h.next_code(), 214);
    h.send("NOOP");
    EXPECT_EQ(h.next_code(), 200);
    h.send("OPTS UTF8 ON");
    EXPECT_EQ(h.next_code(), 200);
    // PASS without USER: a bad sequence (RFC 959 §5.4: 503).
    h.send("PASS x");
    EXPECT_EQ(h.next_code(), 503);
    h.send("QUIT");
    EXPECT_EQ(h.next_code(), 221);
}

TEST(ServerLogin, VsftpdAllowsOnlyItsPreloginCommands) {
    ServerHarness h;
    h.config.personality = Personality::kVsftpd;
    h.start();
    h.next();
    h.send("SYST");
    EXPECT_EQ(h.next_line(), "530 Please login with USER and PASS.");
    h.send("garbage line");
    EXPECT_EQ(h.next_code(), 530);
    h.send("FEAT");
    const ftp::Reply feat = h.next();
    EXPECT_EQ(feat.code, 211);
    EXPECT_EQ(feat.lines, (std::vector<std::string>{"211-Features:", " EPRT", " EPSV", " MDTM",
                                                   " PASV", " REST STREAM", " SIZE", " TVFS",
                                                   " UTF8", "211 End"}));
    h.send("OPTS UTF8 ON");
    EXPECT_EQ(h.next_line(), "200 Always in UTF8 mode.");
}

TEST(ServerLogin, LoginFailureLimitCloses) {
    ServerHarness h;
    h.config.users["u"] = "p";
    h.config.max_login_failures = 2;
    h.start();
    h.next();
    h.send("USER u");
    h.next();
    h.send("PASS bad");
    EXPECT_EQ(h.next_code(), 530);
    EXPECT_FALSE(h.control_closed);
    h.send("USER u");
    h.next();
    h.send("PASS bad2\r\nUSER u");  // the rest of the pipeline is not answered
    EXPECT_EQ(h.next_code(), 421);
    EXPECT_TRUE(h.control_closed);
    EXPECT_TRUE(h.no_reply());
    EXPECT_TRUE(h.session->finished());

    // vsftpd answers the last failure 530 like the others, then hangs up.
    ServerHarness v;
    v.config.personality = Personality::kVsftpd;
    v.config.max_login_failures = 1;
    v.start();
    v.next();
    v.send("USER nobody");
    v.next();
    v.send("PASS x");
    EXPECT_EQ(v.next_line(), "530 Login incorrect.");
    EXPECT_TRUE(v.control_closed);
}

TEST(ServerLogin, UserAfterLoginAndAcct) {
    ServerHarness h;
    h.start_logged_in();
    h.send("USER other");
    EXPECT_EQ(h.next_code(), 530);
    h.send("PASS again");
    EXPECT_EQ(h.next_code(), 230);
    h.send("ACCT x");
    EXPECT_EQ(h.next_code(), 202);  // RFC 959: superfluous
}

TEST(ServerLogin, CapacityRefusal) {
    ServerHarness h;
    h.config.personality = Personality::kVsftpd;
    h.session = std::make_unique<ServerSession>(h.config, h.memfs);
    h.session->refuse_capacity("200 sessions", 0);
    h.pump();
    EXPECT_EQ(h.control, "421 There are too many connected users, please try later.\r\n");
    EXPECT_TRUE(h.control_closed);
    EXPECT_TRUE(h.session->finished());
    EXPECT_EQ(h.logs.back(), "refused connection: 200 sessions");

    ServerHarness p;
    p.config.personality = Personality::kVsftpd;
    p.session = std::make_unique<ServerSession>(p.config, p.memfs);
    p.session->refuse_capacity(ServerSession::CapacityLimit::kPerAddress, "5 from 192.0.2.10", 0);
    p.pump();
    EXPECT_EQ(p.control, "421 There are too many connections from your internet address.\r\n");

    ServerHarness o;
    o.config.reply_texts["CAPACITY"] = "Busy, come back later.";
    o.session = std::make_unique<ServerSession>(o.config, o.memfs);
    o.session->refuse_capacity("full", 0);
    o.pump();
    EXPECT_EQ(o.control, "421 Busy, come back later.\r\n");
}

TEST(ServerLogin, IdleTimeout) {
    ServerHarness h;
    h.config.idle_timeout = 30 * kSecond;
    h.start_logged_in();
    EXPECT_EQ(h.session->poll_timeout(), 30 * kSecond);
    h.advance(20 * kSecond);
    h.send("NOOP");  // activity restarts the timer
    EXPECT_EQ(h.next_code(), 200);
    h.advance(29 * kSecond);
    EXPECT_FALSE(h.control_closed);
    h.advance(2 * kSecond);
    EXPECT_EQ(h.next_line(), "421 Timeout.");
    EXPECT_TRUE(h.control_closed);
    EXPECT_FALSE(h.session->poll_timeout());

    // A line that never ends is no activity: the bytes arrive but no command does.
    ServerHarness l;
    l.config.idle_timeout = 10 * kSecond;
    l.start();
    l.next();
    for (int i = 0; i < 20; ++i) {
        l.advance(kSecond);
        l.send_raw(std::string(100, 'A'));
    }
    EXPECT_TRUE(l.control_closed);
}

}  // namespace
}  // namespace ftpsim::sim
