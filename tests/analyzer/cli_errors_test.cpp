// How `ftpsim analyze` fails on inputs it cannot analyse, and how it copes with damaged ones.
#include <gtest/gtest.h>

#include <fstream>

#include "capture/capture_error.hpp"
#include "support/capture_test.hpp"
#include "support/cli_runner.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

// Exit status 2, nothing on stdout, one line on stderr that names each of `named`.
void expect_one_line_error(const CliResult& r, const std::vector<std::string>& named) {
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    for (const auto& name : named) EXPECT_NE(lines[0].find(name), std::string::npos) << r.err;
}

// The one warning of `ev` names `frame`.
void expect_one_warning_about_frame(const EventCollector& ev, std::size_t frame) {
    ASSERT_EQ(ev.warnings.size(), 1u) << ev.dump();
    EXPECT_NE(ev.warnings[0].find("frame " + std::to_string(frame)), std::string::npos)
        << ev.warnings[0];
}

class CliErrorsTest : public CaptureTest {
protected:
    static void session(Capture& cap) {
        Connection& ctrl = logged_in_control(cap);
        exchange(ctrl, "PWD", "257 \"/\" is current directory.");
        exchange(ctrl, "QUIT", "221 Goodbye");  // the last packet is the client's ACK of 221
    }
    // session() written with a link type the analyzer does not support (802.11).
    std::filesystem::path wifi_capture() const {
        Capture cap;
        session(cap);
        return write(cap, "wifi.pcap", {.link = LinkType::kIeee80211});
    }
};

TEST_F(CliErrorsTest, MissingFileExits2WithOneLineNamingIt) {
    const std::string missing = "/nonexistent/ftpsim-no-such-capture.pcap";
    expect_one_line_error(analyze_cli(missing), {missing});
}

TEST_F(CliErrorsTest, TextFileIsNotACapture) {
    auto p = path("notes.txt");
    std::ofstream(p) << "USER anonymous\r\nthis is not a capture file, just text\r\n";
    expect_one_line_error(analyze_cli(p), {p.string()});
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
    auto p = write(cap, "truncated.pcap", {.truncate_last_record = 20});
    CliResult r = analyze_cli(p);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto lines = lines_of(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("warning: ", 0), 0u) << r.err;
    EXPECT_NE(lines[0].find("frame " + std::to_string(last_frame)), std::string::npos) << r.err;
    EXPECT_NE(lines[0].find(p.string()), std::string::npos) << r.err;
    for (const char* decoded : {"command USER anonymous", "command QUIT", "reply 221"})
        EXPECT_NE(r.out.find(decoded), std::string::npos) << decoded << "\n" << r.out;
}

TEST_F(CliErrorsTest, TruncatedLastRecordInProcess) {
    Capture cap;
    session(cap);
    EventCollector ev = analyze_written(cap, {.truncate_last_record = 10});
    expect_one_warning_about_frame(ev, cap.size());
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 257, 221})) << ev.dump();
}

TEST_F(CliErrorsTest, UnsupportedLinkTypeExits2) {
    auto p = wifi_capture();
    expect_one_line_error(analyze_cli(p), {p.string(), "105"});  // 105: the link type
}

TEST_F(CliErrorsTest, UnsupportedLinkTypeThrowsCaptureError) {
    auto p = wifi_capture();
    EventCollector ev;
    EXPECT_THROW(analyzer::analyze_file(p.string(), ev), capture::CaptureError);
    EXPECT_TRUE(ev.events.empty());
}

// A data packet cut by the snap length: one warning naming the frame, the missing bytes a gap.
TEST_F(CliErrorsTest, SnapLengthCutIsAWarningAndAGap) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    std::size_t first = data.send(file_bytes(3000), kFromServer);
    cap.packets[first].captured_ip_bytes = 40 + 100;  // IP + TCP headers (20 + 20) + 100 bytes
    ack_and_close(data, /*sender_is_client=*/false);
    reply(ctrl, "226 Transfer complete");
    exchange(ctrl, "QUIT", "221 Goodbye");
    EventCollector ev = analyze_written(cap);
    expect_one_warning_about_frame(ev, first + 1);
    auto d = ev.data();
    ASSERT_EQ(d.size(), 1u) << ev.dump();
    EXPECT_EQ(d[0].bytes, 3000u - (1460 - 100));
    EXPECT_EQ(ev.anomalies("gap").size(), 1u) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
