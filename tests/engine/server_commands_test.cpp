// Commands answered on the control connection alone: working directory, TYPE/MODE/STRU,
// SIZE/MDTM/MLST, file actions, RNFR/RNTO, REST, HELP/FEAT/STAT/OPTS/SITE/ALLO, unknown and
// unimplemented verbs, overlong lines, reply text overrides, and the byte-split invariance.
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::ServerHarness;

class ServerCommands : public ::testing::Test {
protected:
    void SetUp() override {
        h.memfs.add_file("/pub/dump.sql", std::string(3405, 'x'));
        h.memfs.add_file("/pub/a\"b.txt", "q");
        h.memfs.add_dir("/pub/sub");
        h.memfs.add_dir("/empty");
        h.start_logged_in();
    }
    ServerHarness h;
};

TEST_F(ServerCommands, WorkingDirectory) {
    h.send("PWD");
    EXPECT_EQ(h.next_line(), "257 \"/\" is the current directory.");
    h.send("CWD pub");
    EXPECT_EQ(h.next_code(), 250);
    h.send("XPWD");
    EXPECT_EQ(h.next().text, "\"/pub\" is the current directory.");
    h.send("CWD sub/../sub");
    EXPECT_EQ(h.next_code(), 250);
    h.send("CDUP");
    EXPECT_EQ(h.next_code(), 250);
    h.send("XCWD /pub/sub");
    EXPECT_EQ(h.next_code(), 250);
    h.send("XCUP");
    EXPECT_EQ(h.next_code(), 250);
    h.send("PWD");
    EXPECT_EQ(h.next().text, "\"/pub\" is the current directory.");
    h.send("CWD dump.sql");  // a file
    EXPECT_EQ(h.next_code(), 550);
    h.send("CWD /missing");
    EXPECT_EQ(h.next_code(), 550);
    h.send("CWD ~");
    EXPECT_EQ(h.next_code(), 250);
    h.send("CWD ../../..");
    EXPECT_EQ(h.next_code(), 250);
    h.send("PWD");
    EXPECT_EQ(h.next().text, "\"/\" is the current directory.");
    h.send("MKD dq\"dir");
    // RFC 959 Appendix II: a quote in a pathname is doubled.
    EXPECT_EQ(h.next_line(), "257 \"/dq\"\"dir\" created");
    h.send("CWD dq\"dir");
    h.next();
    h.send("PWD");
    EXPECT_EQ(h.next_line(), "257 \"/dq\"\"dir\" is the current directory.");
}

TEST_F(ServerCommands, TransferParameters) {
    for (const auto& [cmd, code] : std::vector<std::pair<std::string, int>>{
             {"TYPE I", 200}, {"TYPE A", 200}, {"TYPE L 8", 200}, {"TYPE a n", 200},
             {"TYPE E", 504}, {"TYPE X", 504}, {"MODE S", 200}, {"MODE B", 504},
             {"MODE C", 504}, {"STRU F", 200}, {"STRU R", 504}, {"STRU P", 504}}) {
        h.send(cmd);
        const ftp::Reply r = h.next();
        EXPECT_EQ(r.code, code) << cmd;
        ServerHarness::expect_allowed(cmd.substr(0, 4), r);
    }
}

TEST_F(ServerCommands, FileInformation) {
    h.send("SIZE /pub/dump.sql");
    EXPECT_EQ(h.next_line(), "213 3405");
    h.send("SIZE /pub");
    EXPECT_EQ(h.next_code(), 550);
    h.send("SIZE nope");
    EXPECT_EQ(h.next_code(), 550);
    h.send("MDTM /pub/dump.sql");
    EXPECT_EQ(h.next_line(), "213 20191202120000");  // the tree's fixed time, UTC
    h.send("MDTM /nope");
    EXPECT_EQ(h.next_code(), 550);
    h.send("MLST /pub/dump.sql");
    const ftp::Reply m = h.next();
    EXPECT_EQ(m.code, 250);
    EXPECT_EQ(m.lines, (std::vector<std::string>{
                           "250-Listing /pub/dump.sql",
                           " type=file;size=3405;modify=20191202120000;perm=adfrw; /pub/dump.sql",
                           "250 End"}));
    h.send("MLST /pub/sub");
    EXPECT_EQ(h.next().lines.at(1), " type=dir;modify=20191202120000;perm=cdeflmp; /pub/sub");
    h.send("MLST /nope");
    EXPECT_EQ(h.next_code(), 550);
    // RFC 3659 §7.9: OPTS MLST selects the facts, FEAT stars them.
    h.send("OPTS MLST size;Type;bogus;");
    EXPECT_EQ(h.next_line(), "200 MLST OPTS type;size;");
    h.send("MLST /pub/dump.sql");
    EXPECT_EQ(h.next().lines.at(1), " type=file;size=3405; /pub/dump.sql");
    h.send("FEAT");
    const ftp::Reply feat = h.next();
    EXPECT_NE(std::find(feat.lines.begin(), feat.lines.end(), " MLST type*;size*;modify;perm;"),
              feat.lines.end());
}

TEST_F(ServerCommands, FileActions) {
    h.send("DELE /pub/dump.sql");
    EXPECT_EQ(h.next_code(), 250);
    EXPECT_FALSE(h.memfs.stat("/pub/dump.sql"));
    h.send("DELE /pub/dump.sql");
    EXPECT_EQ(h.next_code(), 550);
    h.send("DELE /pub/sub");  // a directory
    EXPECT_EQ(h.next_code(), 550);
    h.send("MKD /newdir");
    EXPECT_EQ(h.next_line(), "257 \"/newdir\" created");
    h.send("XMKD /newdir");
    EXPECT_EQ(h.next_code(), 550);
    h.send("RMD /pub");  // not empty
    EXPECT_EQ(h.next_code(), 550);
    h.send("RMD /newdir");
    EXPECT_EQ(h.next_code(), 250);
    h.send("XRMD /empty");
    EXPECT_EQ(h.next_code(), 250);
    h.send("RMD /empty");
    EXPECT_EQ(h.next_code(), 550);
    EXPECT_NE(std::find(h.logs.begin(), h.logs.end(), "DELE /pub/dump.sql"), h.logs.end());
}

TEST_F(ServerCommands, RenameNeedsRnfrRightBefore) {
    h.send("RNTO x");
    EXPECT_EQ(h.next_code(), 503);
    h.send("RNFR /missing");
    EXPECT_EQ(h.next_code(), 550);
    h.send("RNFR /pub/dump.sql");
    EXPECT_EQ(h.next_code(), 350);
    h.send("RNTO /pub/renamed.sql");
    EXPECT_EQ(h.next_code(), 250);
    EXPECT_TRUE(h.memfs.stat("/pub/renamed.sql"));
    EXPECT_FALSE(h.memfs.stat("/pub/dump.sql"));
    h.send("RNTO /pub/again.sql");  // RNFR is used up
    EXPECT_EQ(h.next_code(), 503);
    h.send("RNFR /pub/renamed.sql");
    EXPECT_EQ(h.next_code(), 350);
    h.send("NOOP");  // RFC 959 §4.1.3: RNTO must follow immediately
    EXPECT_EQ(h.next_code(), 200);
    h.send("RNTO /pub/again.sql");
    EXPECT_EQ(h.next_code(), 503);
    h.send("RNFR /pub/renamed.sql");
    h.next();
    h.send("RNTO /nodir/x");
    EXPECT_EQ(h.next_code(), 553);
}

TEST_F(ServerCommands, RestAnswers350) {
    h.send("REST 100");
    EXPECT_EQ(h.next_line(), "350 Restarting at 100. Send STORE or RETRIEVE to initiate transfer.");
    h.send("REST -5");
    EXPECT_EQ(h.next_code(), 501);
    h.send("REST abc");
    EXPECT_EQ(h.next_code(), 501);
    h.send("REST");
    EXPECT_EQ(h.next_code(), 501);
}

TEST_F(ServerCommands, InformationalMultiLineReplies) {
    h.send("HELP");
    const ftp::Reply help = h.next();
    EXPECT_EQ(help.code, 214);
    EXPECT_TRUE(help.multiline);
    EXPECT_EQ(help.lines.back(), "214 Help OK.");
    h.send("STAT");
    const ftp::Reply stat = h.next();
    EXPECT_EQ(stat.code, 211);
    EXPECT_TRUE(stat.multiline);
    EXPECT_EQ(stat.lines.at(1), "     Connected to 192.0.2.10");
    EXPECT_EQ(stat.lines.at(2), "     Logged in as anonymous");
    EXPECT_EQ(stat.lines.back(), "211 End of status");
    h.send("STAT /pub");
    const ftp::Reply list = h.next();
    EXPECT_EQ(list.code, 213);
    ASSERT_EQ(list.lines.size(), 5u);
    EXPECT_EQ(list.lines[0], "213-Status follows:");
    EXPECT_EQ(list.lines[1], "-rw-r--r--    1 ftp      ftp             1 Dec 02  2019 a\"b.txt");
    EXPECT_EQ(list.lines[2], "-rw-r--r--    1 ftp      ftp          3405 Dec 02  2019 dump.sql");
    EXPECT_EQ(list.lines[3], "drwxr-xr-x    2 ftp      ftp          4096 Dec 02  2019 sub");
    EXPECT_EQ(list.lines[4], "213 End of status");
    h.send("FEAT");
    const ftp::Reply feat = h.next();
    EXPECT_EQ(feat.lines.front(), "211-Extensions supported:");
    EXPECT_EQ(feat.lines.back(), "211 End");
    h.send("OPTS UTF8 ON");
    EXPECT_EQ(h.next_code(), 200);
    h.send("OPTS FOO");
    EXPECT_EQ(h.next_code(), 501);
    h.send("SITE CHMOD 777 x");
    EXPECT_EQ(h.next_code(), 202);
    h.send("ALLO 1000");
    EXPECT_EQ(h.next_code(), 202);
    h.send("NOOP");
    EXPECT_EQ(h.next_code(), 200);
    h.send("SYST");
    EXPECT_EQ(h.next_line(), "215 UNIX Type: L8");
}

TEST_F(ServerCommands, UnknownAndUnimplementedVerbs) {
    h.send("XYZZ");
    EXPECT_EQ(h.next_line(), "500 Unknown command.");
    h.send("SMNT /x");  // RFC 959, not implemented
    EXPECT_EQ(h.next_line(), "502 SMNT not implemented.");
    h.send("AUTH TLS");
    EXPECT_EQ(h.next_code(), 502);
    h.send("123 not a verb");
    EXPECT_EQ(h.next_code(), 500);
    h.send("");
    EXPECT_EQ(h.next_code(), 500);
    h.send("noop");  // verbs are case-insensitive (RFC 959 §5.3)
    EXPECT_EQ(h.next_code(), 200);
}

TEST_F(ServerCommands, OverlongLineIsRefusedAndMemoryStaysBounded) {
    // Megabytes without a line end: the splitter keeps max_command_line bytes, counts the rest.
    const std::string chunk(64 * 1024, 'A');
    h.send_raw("NOOP ");
    for (int i = 0; i < 64; ++i) h.send_raw(chunk);
    EXPECT_TRUE(h.no_reply());
    h.send_raw("\r\n");
    EXPECT_EQ(h.next_line(), "500 Input line too long.");
    h.send("NOOP");
    EXPECT_EQ(h.next_code(), 200);  // the stream is in step again
    // Exactly at the limit is fine.
    h.send("SITE " + std::string(h.config.max_command_line - 5, 'x'));
    EXPECT_EQ(h.next_code(), 202);
    h.send("SITE " + std::string(h.config.max_command_line - 4, 'x'));
    EXPECT_EQ(h.next_code(), 500);
}

TEST_F(ServerCommands, TelnetSequencesAndBareLineFeeds) {
    h.send_raw("NOOP\n");  // bare LF, as some clients send
    EXPECT_EQ(h.next_code(), 200);
    h.send_raw("\xff\xf4\xff\xf2" "ABOR\r\n");  // IAC IP IAC DM ABOR (RFC 959 §4.1.3)
    EXPECT_EQ(h.next_code(), 225);
    h.send_raw("\xff\xf4\xff" "ABOR\r\n");  // the DM taken out as urgent data by the kernel
    EXPECT_EQ(h.next_code(), 225);
}

TEST_F(ServerCommands, ReplyTextOverrides) {
    ServerHarness o;
    o.config.anonymous = true;
    o.config.reply_texts["PASS"] = "Welcome!\nEnjoy your stay.\nLogin successful.";
    o.config.reply_texts["SYST"] = "UNIX Type: L8 custom";
    o.config.reply_texts["CWD 550"] = "No way.";
    o.start();
    o.next();
    o.send("USER anonymous");
    o.next();
    o.send("PASS x");
    EXPECT_EQ(o.next().lines, (std::vector<std::string>{"230-Welcome!", "Enjoy your stay.",
                                                       "230 Login successful."}));
    o.send("SYST");
    EXPECT_EQ(o.next_line(), "215 UNIX Type: L8 custom");
    o.send("CWD /nope");
    EXPECT_EQ(o.next_line(), "550 No way.");
    o.send("CWD /");
    EXPECT_EQ(o.next_code(), 250);
}

TEST_F(ServerCommands, RepliesAreAllowedByTheReplyTable) {
    // Every reply of a varied session is one RFC 959 §5.4 (or the extension RFCs) allows.
    const std::vector<std::string> script = {
        "SYST", "PWD", "CWD pub", "CWD nope", "CDUP", "TYPE I", "TYPE Q", "MODE S", "STRU F",
        "SIZE /pub/dump.sql", "SIZE x", "MDTM /pub/dump.sql", "MLST /", "MKD /m", "MKD /m",
        "RMD /m", "RMD /m", "RNFR /pub/sub", "RNTO /pub/sub2", "RNTO /x", "DELE /x", "REST 5",
        "REST x", "HELP", "FEAT", "STAT", "NOOP", "ALLO 5", "EPSV ALL", "PASV", "ABOR", "QUIT"};
    for (const std::string& cmd : script) {
        h.send(cmd);
        ServerHarness::expect_allowed(cmd.substr(0, cmd.find(' ')), h.next());
    }
}

// Feeding the same command stream split at any byte gives byte-identical replies.
TEST(ServerSplit, EveryByteOffsetGivesTheSameReplies) {
    const std::string stream =
        "USER anonymous\r\nPASS a@b\r\nSYST\r\nPWD\r\nCWD /pub\r\nTYPE I\r\nSIZE f.txt\r\n"
        "MLST f.txt\r\nREST 2\r\nNOOP\n\xff\xf4\xff\xf2" "ABOR\r\nHELP\r\nQUIT\r\n";
    const auto run = [&stream](const std::vector<std::size_t>& cuts) {
        ServerHarness h;
        h.config.anonymous = true;
        h.memfs.add_file("/pub/f.txt", "hello");
        h.start();
        std::size_t from = 0;
        for (const std::size_t cut : cuts) {
            h.send_raw(stream.substr(from, cut - from));
            from = cut;
        }
        h.send_raw(stream.substr(from));
        return h.control;
    };
    const std::string whole = run({});
    EXPECT_NE(whole.find("221 Goodbye."), std::string::npos);
    for (std::size_t cut = 1; cut < stream.size(); ++cut) {
        ASSERT_EQ(run({cut}), whole) << "split at " << cut;
    }
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < stream.size(); ++i) every.push_back(i);
    EXPECT_EQ(run(every), whole);  // one byte at a time
}

}  // namespace
}  // namespace ftpsim::sim
