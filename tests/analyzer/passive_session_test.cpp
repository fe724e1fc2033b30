// A complete passive-mode session as FileZilla Server runs it: multi-line greeting, login,
// PASV, a RETR over the announced data connection, QUIT.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::ConnClose;
using analyzer::ConnOpen;
using analyzer::ConnRole;
using analyzer::DataEvent;
using analyzer::ReplyEvent;
using StrPair = std::pair<std::string, std::string>;

constexpr std::size_t kFileSize = 5000;  // four segments at MSS 1460

struct PassiveSession {
    Capture cap;
    std::string file = file_bytes(kFileSize);
    std::size_t data_syn = 0;
    std::size_t retr = 0;

    PassiveSession() {
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        reply(ctrl,
              "220-FileZilla Server 0.9.60 beta\n"
              "220-written by Tim Kosse (tim.kosse@filezilla-project.org)\n"
              "220 Please visit https://filezilla-project.org/");
        ctrl.ack(kFromClient);
        exchange(ctrl, "USER anonymous", "331 Password required for anonymous");
        exchange(ctrl, "PASS s3cret", "230 Logged on");
        exchange(ctrl, "SYST", "215 UNIX emulated by FileZilla");
        exchange(ctrl, "PWD", "257 \"/\" is current directory.");
        exchange(ctrl, "TYPE I", "200 Type set to I");
        exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80)");
        Connection& data = cap.connect(kClientData, kServerPasv, 7'000'000, 9'000'000);
        data_syn = data.handshake();
        retr = command(ctrl, "RETR file.bin");
        reply(ctrl, "150 Opening data channel for file download from server of \"/file.bin\"");
        data.send(file, kFromServer);
        data.ack(kFromClient);
        data.close(/*client_first=*/false);
        reply(ctrl, "226 Successfully transferred \"/file.bin\"");
        ctrl.ack(kFromClient);
        exchange(ctrl, "QUIT", "221 Goodbye");
        ctrl.close();
    }
};

class PassiveSessionTest : public CaptureTest {};

TEST_F(PassiveSessionTest, DecodesCommandsInOrder) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    EXPECT_EQ(ev.commands(),
              (std::vector<StrPair>{{"USER", "anonymous"}, {"PASS", "s3cret"}, {"SYST", ""},
                                    {"PWD", ""}, {"TYPE", "I"}, {"PASV", ""},
                                    {"RETR", "file.bin"}, {"QUIT", ""}}))
        << ev.dump();
    for (const auto& e : ev.of<analyzer::CommandEvent>()) {
        EXPECT_EQ(e.src.str(), "192.168.1.5:50123");
        EXPECT_EQ(e.dst.str(), "192.168.1.10:21");
    }
}

TEST_F(PassiveSessionTest, PairsEveryReplyWithItsCommand) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 215, 257, 200, 227, 150, 226, 221}))
        << ev.dump();
    EXPECT_EQ(ev.reply_verbs(), (std::vector<std::string>{"", "USER", "PASS", "SYST", "PWD", "TYPE",
                                                          "PASV", "RETR", "RETR", "QUIT"}));
    // to_frame names the frame of the command answered.
    for (const auto& e : ev.of<ReplyEvent>()) {
        const auto& r = std::get<ReplyEvent>(e.body);
        if (r.to_verb.empty()) continue;
        const analyzer::Event* cmd = ev.command(r.to_verb);
        ASSERT_NE(cmd, nullptr) << r.to_verb;
        EXPECT_EQ(r.to_frame, cmd->frame) << r.code << " to " << r.to_verb;
        EXPECT_LT(cmd->frame, e.frame);
        EXPECT_EQ(e.src.str(), "192.168.1.10:21");
    }
    const analyzer::Event* retr = ev.command("RETR");
    ASSERT_NE(retr, nullptr);
    EXPECT_EQ(retr->frame, s.retr + 1);
}

TEST_F(PassiveSessionTest, GreetingIsOneMultiLineReply) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    auto replies = ev.bodies<ReplyEvent>();
    ASSERT_FALSE(replies.empty());
    const ReplyEvent& g = replies.front();
    EXPECT_TRUE(g.greeting);
    EXPECT_EQ(g.code, 220);
    EXPECT_EQ(g.text, "FileZilla Server 0.9.60 beta");
    EXPECT_EQ(g.lines, (std::vector<std::string>{
                           "220-FileZilla Server 0.9.60 beta",
                           "220-written by Tim Kosse (tim.kosse@filezilla-project.org)",
                           "220 Please visit https://filezilla-project.org/"}));
    for (std::size_t i = 1; i < replies.size(); ++i) EXPECT_FALSE(replies[i].greeting) << i;
}

TEST_F(PassiveSessionTest, ReportsTheRetrTransfer) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    auto data = ev.of<DataEvent>();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    const auto& d = std::get<DataEvent>(data[0].body);
    EXPECT_EQ(d.mode, "passive");
    EXPECT_EQ(d.command, "RETR");
    EXPECT_EQ(d.arg, "file.bin");
    EXPECT_EQ(d.direction, "download");
    EXPECT_EQ(d.bytes, kFileSize);
    EXPECT_EQ(d.sha256, expected_sha256(s.file));
    EXPECT_EQ(d.completion, 226);
    EXPECT_EQ(d.rest, 0u);
    EXPECT_EQ(d.open_frame, s.data_syn + 1);
    EXPECT_EQ(d.data_client.str(), "192.168.1.5:50124");
    EXPECT_EQ(d.data_server.str(), "192.168.1.10:50000");
    // The file flows from the FTP server: the data connection's TCP server in passive mode.
    EXPECT_EQ(data[0].src.str(), "192.168.1.10:50000");
    EXPECT_EQ(data[0].dst.str(), "192.168.1.5:50124");
    auto opens = ev.of<ConnOpen>();
    ASSERT_EQ(opens.size(), 2u);
    EXPECT_EQ(d.control_conn, opens[0].conn);
    EXPECT_EQ(data[0].conn, opens[1].conn);
    EXPECT_NE(opens[0].conn, opens[1].conn);
}

TEST_F(PassiveSessionTest, OpensAndClosesBothConnections) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    auto opens = ev.bodies<ConnOpen>();
    ASSERT_EQ(opens.size(), 2u) << ev.dump();
    EXPECT_EQ(opens[0].role, ConnRole::kFtpControl);
    EXPECT_TRUE(opens[0].handshake);
    EXPECT_EQ(opens[1].role, ConnRole::kFtpData);
    EXPECT_TRUE(opens[1].handshake);
    auto closes = ev.bodies<ConnClose>();
    ASSERT_EQ(closes.size(), 2u);
    EXPECT_EQ(closes[0].role, ConnRole::kFtpData);  // the data connection ends first
    EXPECT_EQ(closes[0].reason, tcp::CloseReason::kFin);
    EXPECT_EQ(closes[1].role, ConnRole::kFtpControl);
    EXPECT_EQ(closes[1].reason, tcp::CloseReason::kFin);
}

TEST_F(PassiveSessionTest, CleanSessionHasNoAnomaliesNorTcpEvents) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
    EXPECT_TRUE(ev.bodies<analyzer::TcpAnalysisEvent>().empty()) << ev.dump();
    EXPECT_TRUE(ev.warnings.empty()) << ev.dump();
}

TEST_F(PassiveSessionTest, EventsAreInFrameOrder) {
    PassiveSession s;
    EventCollector ev = analyze(s.cap);
    ASSERT_FALSE(ev.events.empty());
    for (std::size_t i = 1; i < ev.events.size(); ++i)
        EXPECT_LE(ev.events[i - 1].frame, ev.events[i].frame) << ev.dump();
    EXPECT_LE(ev.events.back().frame, s.cap.size());
    // 1 ms per packet from the start: an event's time is its frame's.
    for (const auto& e : ev.events)
        EXPECT_EQ(e.time - ev.start, static_cast<tcp::TimeNs>(e.frame - 1) * 1'000'000) << e.frame;
}

TEST(ExpectedSha256, MatchesTheFips180Vector) {
    EXPECT_EQ(expected_sha256("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace ftpsim::testsupport
