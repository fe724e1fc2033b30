// A complete passive-mode session as FileZilla Server runs it: multi-line greeting, login,
// PASV, a RETR over the announced data connection, QUIT.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/expected_sha256.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

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
        Connection& ctrl = open_connection(cap, kClientCtrl, kServerCtrl);
        reply_acked(ctrl,
                    "220-FileZilla Server 0.9.60 beta\n"
                    "220-written by Tim Kosse (tim.kosse@filezilla-project.org)\n"
                    "220 Please visit https://filezilla-project.org/");
        exchange(ctrl, "USER anonymous", "331 Password required for anonymous");
        exchange(ctrl, "PASS s3cret", "230 Logged on");
        exchange(ctrl, "SYST", "215 UNIX emulated by FileZilla");
        exchange(ctrl, "PWD", "257 \"/\" is current directory.");
        exchange(ctrl, "TYPE I", "200 Type set to I");
        exchange(ctrl, "PASV", kPasvReply);
        Connection& data = cap.connect(kClientData, kServerPasv, 7'000'000, 9'000'000);
        data_syn = data.handshake();
        retr = start_transfer(ctrl, "RETR file.bin",
                              "150 Opening data channel for file download from server of "
                              "\"/file.bin\"");
        send_and_close(data, file, kFromServer);
        complete_and_quit(ctrl, "226 Successfully transferred \"/file.bin\"");
    }
};

// Every test looks at the same session, analysed in SetUp.
class PassiveSessionTest : public CaptureTest {
protected:
    void SetUp() override {
        CaptureTest::SetUp();
        ev = analyze(s.cap);
    }
    PassiveSession s;
    EventCollector ev;
};

TEST_F(PassiveSessionTest, DecodesCommandsInOrder) {
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
    auto data = ev.of<DataEvent>();
    ASSERT_EQ(data.size(), 1u) << ev.dump();
    const auto& d = std::get<DataEvent>(data[0].body);
    expect_transfer(d, {.mode = "passive", .command = "RETR", .arg = "file.bin",
                        .direction = "download", .content = s.file, .bytes = kFileSize,
                        .completion = 226, .rest = 0, .data_client = "192.168.1.5:50124",
                        .data_server = "192.168.1.10:50000"});
    EXPECT_EQ(d.open_frame, s.data_syn + 1);
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
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
    EXPECT_TRUE(ev.bodies<analyzer::TcpAnalysisEvent>().empty()) << ev.dump();
    EXPECT_TRUE(ev.warnings.empty()) << ev.dump();
}

TEST_F(PassiveSessionTest, EventsAreInFrameOrder) {
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
