// How `ftpsim analyze` fails on inputs it cannot analyse, and how it copes with damaged ones.
#include <gtest/gtest.h>

#include <fstream>

#include "support/capture_test.hpp"
#include "support/cli_runner.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

class CliErrorsTest : public CaptureTest {
protected:
    static void session(Capture& cap) {
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        login(ctrl);
        exchange(ctrl, "PWD", "257 \"/\" is current directory.");
        exchange(ctrl, "QUIT", "221 Goodbye");  // the last packet is the client's ACK of 221
    }
    CliResult analyze_cli(const std::filesystem::path& p) {
        return run_ftpsim({"analyze", p.string()}, path(""));
    }
};

TEST_F(CliErrorsTest, MissingFileExits2WithOneLineNamingIt) {
    const std::string missing = "/nonexistent/ftpsim-no-such-capture.pcap";
    CliResult r = analyze_cli(missing);
    EXPECT_EQ(r.exit_code, 2);
    auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find(missing), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(CliErrorsTest, TextFileIsNotACapture) {
    auto p = path("notes.txt");
    std::ofstream(p) << "USER anonymous\r\nthis is not a capture file, just text\r\n";
    CliResult r = analyze_cli(p);
    EXPECT_EQ(r.exit_code, 2);
    auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find(p.string()), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(CliErrorsTest, EmptyFileIsNotACapture) {
    auto p = path("empty.pcap");
    std::ofstream{p};
    CliResult r = analyze_cli(p);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(p.string()), std::string::npos) << r.err;
}

TEST_F(CliErrorsTest, TruncatedLastRecordIsAWarning) {
    Capture cap;
    session(cap);
    const std::size_t last_frame = cap.size();
    WriteOptions o;
    o.truncate_last_record = 20;
    auto p = write(cap, "truncated.pcap", o);
    CliResult r = analyze_cli(p);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("warning: ", 0), 0u) << r.err;
    EXPECT_NE(lines[0].find("frame " + std::to_string(last_frame)), std::string::npos) << r.err;
    EXPECT_NE(lines[0].find(p.string()), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("command USER anonymous"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("command QUIT"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("reply 221"), std::string::npos) << r.out;
}

TEST_F(CliErrorsTest, TruncatedLastRecordInProcess) {
    Capture cap;
    session(cap);
    WriteOptions o;
    o.truncate_last_record = 10;
    EventCollector ev = analyze(cap, o);
    ASSERT_EQ(ev.warnings.size(), 1u) << ev.dump();
    EXPECT_NE(ev.warnings[0].find("frame " + std::to_string(cap.size())), std::string::npos)
        << ev.warnings[0];
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 257, 221})) << ev.dump();
}

TEST_F(CliErrorsTest, UnsupportedLinkTypeExits2) {
    Capture cap;
    session(cap);
    WriteOptions o;
    o.link = LinkType::kIeee80211;
    auto p = write(cap, "wifi.pcap", o);
    CliResult r = analyze_cli(p);
    EXPECT_EQ(r.exit_code, 2);
    auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find(p.string()), std::string::npos) << r.err;
    EXPECT_NE(lines[0].find("105"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_F(CliErrorsTest, UnsupportedLinkTypeThrowsCaptureError) {
    Capture cap;
    session(cap);
    WriteOptions o;
    o.link = LinkType::kIeee80211;
    auto p = write(cap, "wifi.pcap", o);
    EventCollector ev;
    EXPECT_THROW(analyzer::analyze_file(p.string(), ev), analyzer::CaptureError);
    EXPECT_TRUE(ev.events.empty());
}

// A data packet cut by the snap length: one warning naming the frame, the missing bytes a gap.
TEST_F(CliErrorsTest, SnapLengthCutIsAWarningAndAGap) {
    Capture cap;
    Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
    ctrl.handshake();
    login(ctrl);
    exchange(ctrl, "PASV", "227 Entering Passive Mode (192,168,1,10,195,80)");
    Connection& data = cap.connect(kClientData, kServerPasv);
    data.handshake();
    command(ctrl, "RETR file.bin");
    reply(ctrl, "150 Opening data channel");
    std::size_t first = data.send(file_bytes(3000), kFromServer);
    cap.packets[first].captured_ip_bytes = 40 + 100;  // IP + TCP headers (20 + 20) + 100 bytes
    data.ack(kFromClient);
    data.close(false);
    reply(ctrl, "226 Transfer complete");
    exchange(ctrl, "QUIT", "221 Goodbye");
    EventCollector ev = analyze(cap);
    ASSERT_EQ(ev.warnings.size(), 1u) << ev.dump();
    EXPECT_NE(ev.warnings[0].find("frame " + std::to_string(first + 1)), std::string::npos)
        << ev.warnings[0];
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    EXPECT_EQ(d[0].bytes, 3000u - (1460 - 100));
    EXPECT_EQ(ev.anomalies("gap").size(), 1u) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
