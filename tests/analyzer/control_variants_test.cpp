// Control connections as real clients and servers write them: other ports, pipelined and
// lower-case commands, bare LF, Telnet IAC around ABOR, NAT'd 227 addresses, refused PORT.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using P = std::pair<std::string, std::string>;

class ControlVariantsTest : public CaptureTest {
protected:
    // Login, the `setup` exchanges (commands and their answers, ending with PASV or EPSV), then
    // RETR with `file` over a data connection opened after the 150, "226", QUIT.
    EventCollector retr_after(const std::vector<P>& setup, const std::string& file) {
        Capture cap;
        Connection& ctrl = logged_in_control(cap);
        for (const auto& [cmd, answer] : setup) exchange(ctrl, cmd, answer);
        start_transfer(ctrl, "RETR file.bin");
        data_connection(cap, kClientData, kServerPasv, file, true);
        reply(ctrl, "226 Transfer complete");
        quit(ctrl);
        return analyze(cap);
    }
};

TEST_F(ControlVariantsTest, ControlOnAnotherPortIsRecognisedByItsGreeting) {
    Capture cap;
    quit(logged_in_control(cap, {.server = {"192.168.1.10", 2121}}));
    EventCollector ev = analyze(cap);
    auto opens = ev.bodies<analyzer::ConnOpen>();
    ASSERT_EQ(opens.size(), 1u) << ev.dump();
    EXPECT_EQ(opens[0].role, analyzer::ConnRole::kFtpControl);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "s3cret"}, {"QUIT", ""}}));
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 221}));
}

TEST_F(ControlVariantsTest, SmtpGreetingIsNotFtp) {
    Capture cap;
    Connection& smtp = open_connection(cap, kClientCtrl, {"192.168.1.10", 25});
    reply(smtp, "220 mail.example.com ESMTP Postfix");
    exchange(smtp, "HELO client", "250 mail.example.com");
    quit(smtp, "221 2.0.0 Bye");
    EventCollector ev = analyze(cap);
    EXPECT_TRUE(ev.events.empty()) << ev.dump();
}

TEST_F(ControlVariantsTest, PipelinedCommandsInOneSegment) {
    Capture cap;
    Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
    reply(ctrl, "220 ready");
    ctrl.send("USER anonymous\r\nPASS x\r\nSYST\r\n", kFromClient);
    reply(ctrl, "331 Password please\n230 Logged in\n215 UNIX Type: L8");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "x"}, {"SYST", ""},
                                             {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.reply_verbs(), (std::vector<std::string>{"", "USER", "PASS", "SYST", "QUIT"}));
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(ControlVariantsTest, LowerCaseVerbsAreUpperCased) {
    Capture cap;
    Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
    reply(ctrl, "220 ready");
    exchange(ctrl, "user Anonymous", "331 Password please");
    exchange(ctrl, "quit", "221 Goodbye");
    ctrl.close();
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "Anonymous"}, {"QUIT", ""}})) << ev.dump();
}

TEST_F(ControlVariantsTest, BareLfLineEndsDecodeAndAreReportedOnce) {
    Capture cap;
    Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
    reply(ctrl, "220 ready");
    ctrl.send("USER anonymous\n", kFromClient);
    reply(ctrl, "331 Password please");
    ctrl.send("PASS x\n", kFromClient);
    reply(ctrl, "230 Logged in");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PASS", "x"}, {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.anomalies("lf_only_line_end").size(), 1u) << ev.dump();
}

// RFC 959 §4.1.3: ABOR is preceded by Telnet IP (IAC 244) and Synch (IAC 242, urgent).
TEST_F(ControlVariantsTest, AborAfterTelnetInterrupt) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    ctrl.send(std::string("\xff\xf4\xff\xf2", 4), kFromClient);
    command(ctrl, "ABOR");
    reply_acked(ctrl, "225 No transfer to ABOR.");
    quit(ctrl);
    EventCollector ev = analyze(cap);
    auto cmds = ev.commands();
    ASSERT_EQ(cmds.size(), 4u) << ev.dump();
    EXPECT_EQ(cmds[2], (P{"ABOR", ""})) << ev.dump();
    EXPECT_EQ(ev.reply_verbs().at(3), "ABOR");
    EXPECT_TRUE(ev.anomalies("not_a_command").empty()) << ev.dump();
}

// A server behind NAT announcing its inside address or 0,0,0,0: the client connects to the
// control connection's server address.
TEST_F(ControlVariantsTest, Pasv227WithUnreachableAddressAssociates) {
    for (const std::string text : {"227 Entering Passive Mode (0,0,0,0,195,80)",
                                   "227 Entering Passive Mode (10,1,2,3,195,80)"}) {
        SCOPED_TRACE(text);
        const std::string file = file_bytes(2500, 31);
        EventCollector ev = retr_after({{"PASV", text}}, file);
        auto d = ev.data();
        ASSERT_EQ(d.size(), 1u) << ev.dump();
        expect_transfer(d[0], {.mode = "passive", .content = file});
    }
}

TEST_F(ControlVariantsTest, RefusedPortThenPassive) {
    const std::string file = file_bytes(1000, 37);
    EventCollector ev = retr_after({{"PORT 192,168,1,5,8,155", "500 Illegal PORT command."},
                                    {"PASV", std::string(kPasvReply)}},
                                   file);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    expect_transfer(d[0], {.mode = "passive", .bytes = file.size()});
}

TEST_F(ControlVariantsTest, EpsvOverIpv4) {
    const std::string file = file_bytes(1500, 41);
    EventCollector ev =
        retr_after({{"EPSV", "229 Entering Extended Passive Mode (|||50000|)"}}, file);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    expect_transfer(d[0], {.mode = "passive", .bytes = file.size(),
                           .data_server = "192.168.1.10:50000"});
}

TEST_F(ControlVariantsTest, PreliminaryGreetingThenReady) {
    Capture cap;
    Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
    reply(ctrl, "120 Service ready in 1 minute.");
    reply(ctrl, "220 Service ready.");
    exchange(ctrl, "USER anonymous", "331 Password please");
    ctrl.close();
    EventCollector ev = analyze(cap);
    auto r = ev.bodies<analyzer::ReplyEvent>();
    ASSERT_EQ(r.size(), 3u) << ev.dump();
    EXPECT_TRUE(r[0].greeting);
    EXPECT_TRUE(r[1].greeting);
    EXPECT_EQ(r[2].to_verb, "USER");
    EXPECT_TRUE(ev.anomalies("reply_without_command").empty()) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
