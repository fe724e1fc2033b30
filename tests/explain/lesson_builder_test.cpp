// build_lesson() on the recorded captures of real sessions (tests/data) and on a built capture
// with a zero window: lanes and FTP arrows agree with the analyzer, announcements point at the
// data connection they brought, and the arithmetic is the one a student should do.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "capture/capture_error.hpp"
#include "explain/address_working.hpp"
#include "explain/explain_test_support.hpp"
#include "explain/lesson.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

using explain::ArrowKind;
using explain::Lesson;

Lesson lesson_of(const std::string& name) { return explain::build_lesson(data_file(name), "", {}); }

std::size_t arrows_of(const Lesson& l, ArrowKind kind) {
    return static_cast<std::size_t>(std::count_if(l.arrows.begin(), l.arrows.end(),
                                                  [&](const explain::Arrow& a) { return a.kind == kind; }));
}

const explain::AddressWorking* address_starting(const Lesson& l, const std::string& prefix) {
    for (const auto& a : l.addresses)
        if (a.message.rfind(prefix, 0) == 0) return &a;
    return nullptr;
}

class EveryCapture : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryCapture, LanesAndFtpArrowsAgreeWithTheAnalyzer) {
    const Lesson l = lesson_of(GetParam());
    const AnalyzerCounts counts = analyzer_counts(data_file(GetParam()));
    EXPECT_EQ(l.lanes.size(), counts.connections);
    EXPECT_EQ(arrows_of(l, ArrowKind::kCommand), counts.commands);
    EXPECT_EQ(arrows_of(l, ArrowKind::kReply), counts.replies);
    EXPECT_EQ(l.summary.commands, counts.commands);
    EXPECT_EQ(l.summary.replies, counts.replies);
    EXPECT_EQ(l.title, "Lesson: " + GetParam());
    ASSERT_FALSE(l.packets.empty());
    EXPECT_EQ(l.packets.front().time_ns, 0);  // relative to the first frame
    EXPECT_EQ(l.summary.frames, l.packets.size());
    for (std::size_t i = 0; i < l.packets.size(); ++i) {
        EXPECT_EQ(l.packets[i].frame, i + 1);
        EXPECT_FALSE(l.packets[i].what.empty()) << "frame " << i + 1;
    }
    for (std::size_t i = 1; i < l.arrows.size(); ++i)
        EXPECT_LE(l.arrows[i - 1].first_frame, l.arrows[i].first_frame) << "arrow " << i;
    for (std::size_t i = 0; i < l.arrows.size(); ++i) {
        const explain::Arrow& a = l.arrows[i];
        ASSERT_LT(a.lane, l.lanes.size());
        EXPECT_LE(a.first_frame, a.last_frame);
        EXPECT_FALSE(a.label.empty()) << "arrow " << i;
        if (!a.announces) continue;
        // An announcement points at a data lane that points back at it.
        ASSERT_LT(*a.announces, l.lanes.size());
        const explain::Lane& data = l.lanes[*a.announces];
        EXPECT_EQ(data.role, analyzer::ConnRole::kFtpData);
        EXPECT_EQ(data.announced_by, i);
        EXPECT_GT(data.open_frame, a.last_frame);
    }
    // Every data lane of these sessions was announced, and every transfer carried bytes.
    for (std::size_t i = 0; i < l.lanes.size(); ++i) {
        if (l.lanes[i].role != analyzer::ConnRole::kFtpData) continue;
        EXPECT_TRUE(l.lanes[i].announced_by.has_value()) << l.lanes[i].label;
        EXPECT_EQ(l.lanes[i].close_reason, "fin") << l.lanes[i].label;
    }
}

INSTANTIATE_TEST_SUITE_P(RecordedCaptures, EveryCapture,
                         ::testing::Values("curl_passive_ipv4.pcap", "curl_epsv_ipv4.pcap",
                                           "curl_active_ipv4.pcap", "curl_eprt_ipv6.pcap",
                                           "ftp_client_active.pcap", "lftp_mirror.pcap",
                                           "login_failure.pcap", "any_interface.pcapng",
                                           "any_interface_sll.pcap"),
                         [](const auto& info) {
                             std::string n = info.param;
                             std::replace(n.begin(), n.end(), '.', '_');
                             return n;
                         });

TEST(LessonBuilder, ActiveModePortArithmeticAndTheServersConnectionFromPort20) {
    const Lesson l = lesson_of("ftp_client_active.pcap");
    const explain::AddressWorking* port = address_starting(l, "PORT ");
    ASSERT_NE(port, nullptr);
    EXPECT_EQ(port->host, "192.168.1.5");
    const std::string arithmetic = std::to_string(port->port / 256) + "*256+" +
                                   std::to_string(port->port % 256) + " = " + std::to_string(port->port);
    EXPECT_NE(port->arithmetic.find(arithmetic), std::string::npos) << port->arithmetic;
    EXPECT_NE(port->who_listens.find("the client listens on port " + std::to_string(port->port)),
              std::string::npos);
    EXPECT_NE(port->who_listens.find("from port 20"), std::string::npos) << port->who_listens;

    // The PORT's arrow announces a lane the server opened from port 20 to that port.
    const auto arrow = std::find_if(l.arrows.begin(), l.arrows.end(), [](const explain::Arrow& a) {
        return a.kind == ArrowKind::kCommand && a.label.rfind("PORT ", 0) == 0;
    });
    ASSERT_NE(arrow, l.arrows.end());
    ASSERT_TRUE(arrow->announces.has_value());
    const explain::Lane& data = l.lanes[*arrow->announces];
    EXPECT_FALSE(data.opened_by_client);
    EXPECT_EQ(data.mode, "active");
    EXPECT_EQ(data.server_end.port, 20);
    EXPECT_EQ(data.client_end.port, port->port);
    EXPECT_EQ(data.label.rfind("data 1: LIST", 0), 0u) << data.label;
    EXPECT_EQ(l.summary.modes, std::vector<std::string>{"active"});
}

TEST(LessonBuilder, PassiveModeReplyArithmeticAndMergedData) {
    const Lesson l = lesson_of("curl_passive_ipv4.pcap");
    const explain::AddressWorking* pasv = address_starting(l, "227 ");
    ASSERT_NE(pasv, nullptr);
    EXPECT_EQ(pasv->host, "192.168.1.10");
    EXPECT_NE(pasv->arithmetic.find(explain::two_byte_port_arithmetic(static_cast<std::uint16_t>(pasv->port))),
              std::string::npos);
    EXPECT_NE(pasv->who_listens.find("the server listens"), std::string::npos);

    // data.bin (204800 bytes) comes down its lane as merged data arrows.
    const auto lane = std::find_if(l.lanes.begin(), l.lanes.end(), [](const explain::Lane& x) {
        return x.transfer == "RETR data.bin";
    });
    ASSERT_NE(lane, l.lanes.end());
    EXPECT_TRUE(lane->opened_by_client);
    EXPECT_EQ(lane->mode, "passive");
    const std::size_t index = static_cast<std::size_t>(lane - l.lanes.begin());
    std::size_t data_arrows = 0;
    for (const explain::Arrow& a : l.arrows) {
        if (a.lane != index || a.kind != ArrowKind::kData) continue;
        ++data_arrows;
        EXPECT_FALSE(a.from_client);
    }
    EXPECT_GE(data_arrows, 1u);
    EXPECT_LT(data_arrows, 20u) << "144 segments should merge into a few arrows";
    EXPECT_EQ(l.lanes.front().role, analyzer::ConnRole::kFtpControl);
    EXPECT_EQ(l.summary.server, "192.168.1.10:21");
    EXPECT_EQ(l.summary.banner, "ftpsim fixture server (vsftpd)");
}

TEST(LessonBuilder, ExtendedModesOnIpv6) {
    const Lesson l = lesson_of("curl_eprt_ipv6.pcap");
    const explain::AddressWorking* eprt = address_starting(l, "EPRT ");
    ASSERT_NE(eprt, nullptr);
    EXPECT_EQ(eprt->host, "2001:db8::5");
    EXPECT_NE(eprt->arithmetic.find("in decimal: " + std::to_string(eprt->port)), std::string::npos);
    const explain::AddressWorking* epsv = address_starting(l, "229 ");
    ASSERT_NE(epsv, nullptr);
    EXPECT_EQ(epsv->host, "2001:db8::10");  // RFC 2428 §3: the control connection's server
    EXPECT_NE(epsv->arithmetic.find("only the port"), std::string::npos);
    EXPECT_EQ(l.summary.modes, (std::vector<std::string>{"active", "passive"}));
}

TEST(LessonBuilder, PasswordsStayMasked) {
    EventCollector c;
    analyzer::analyze_file(data_file("ftp_client_active.pcap"), c);
    std::string password;
    for (const auto& cmd : c.bodies<analyzer::CommandEvent>())
        if (cmd.verb == "PASS") password = cmd.arg;
    ASSERT_FALSE(password.empty());
    const Lesson l = lesson_of("ftp_client_active.pcap");
    const auto pass = std::find_if(l.arrows.begin(), l.arrows.end(),
                                   [](const explain::Arrow& a) { return a.label.rfind("PASS", 0) == 0; });
    ASSERT_NE(pass, l.arrows.end());
    EXPECT_EQ(pass->label, "PASS ****");
    const std::string md = explain::render_markdown(l);
    EXPECT_EQ(md.find(password), std::string::npos);
}

TEST(LessonBuilder, ReplyCodesReadDigitByDigit) {
    const Lesson l = lesson_of("login_failure.pcap");
    auto code = [&](int c) -> const explain::ReplyCodeReading& {
        for (const auto& r : l.reply_codes)
            if (r.code == c) return r;
        throw std::runtime_error("no reading of " + std::to_string(c));
    };
    EXPECT_EQ(code(331).first_digit.rfind("3: positive intermediate", 0), 0u);
    EXPECT_EQ(code(331).second_digit, "3: authentication and accounting (RFC 959 §4.2.1)");
    EXPECT_EQ(code(331).meaning, "the server wants the password");
    EXPECT_EQ(code(530).first_digit.rfind("5: permanent negative", 0), 0u);
    EXPECT_EQ(code(220).second_digit, "2: connections (RFC 959 §4.2.1)");
    EXPECT_EQ(code(530).text, "Login incorrect.");
    // Once per distinct code.
    std::set<int> seen;
    for (const auto& r : l.reply_codes) EXPECT_TRUE(seen.insert(r.code).second) << r.code;
}

TEST(LessonBuilder, HandshakesAndClosesAreTcpMoments) {
    const Lesson l = lesson_of("curl_passive_ipv4.pcap");
    std::size_t handshakes = 0, fins = 0;
    for (const auto& m : l.tcp_moments) {
        handshakes += m.event == "handshake";
        fins += m.event == "fin";
        EXPECT_FALSE(m.explanation.empty()) << m.event;
    }
    EXPECT_EQ(handshakes, l.lanes.size());
    EXPECT_GE(fins, l.lanes.size());
    const auto syn = std::find_if(l.arrows.begin(), l.arrows.end(),
                                  [](const explain::Arrow& a) { return a.tcp_event == "syn"; });
    ASSERT_NE(syn, l.arrows.end());
    EXPECT_EQ(syn->label, "SYN");
    EXPECT_EQ(syn->first_frame, l.lanes.front().open_frame);
}

TEST(LessonBuilder, ZeroWindowProbeAndUpdateAreExplained) {
    Capture cap;
    auto [ctrl, data] = begin_passive_retr(cap);
    const std::string file = file_bytes(5000, 13);
    data.send(file.substr(0, 2920), kFromServer);
    data.set_window(kFromClient, 0);
    data.ack(kFromClient);
    data.segment(kFromServer, data.next_seq(kFromServer), file.substr(2920, 1), kAck);
    data.ack(kFromClient);
    data.set_window(kFromClient, 65535);
    data.ack(kFromClient);
    const auto path = std::filesystem::temp_directory_path() /
                      ("ftpsim-explain-zero-window-" + std::to_string(::getpid()) + ".pcap");
    cap.write(path);
    const Lesson l = explain::build_lesson(path.string(), "Zero window", {});
    std::filesystem::remove(path);
    EXPECT_EQ(l.title, "Zero window");
    std::set<std::string> events;
    for (const auto& m : l.tcp_moments) events.insert(m.event);
    for (const char* e : {"zero_window", "zero_window_probe", "window_update"})
        EXPECT_TRUE(events.contains(e)) << e;
    const auto zero = std::find_if(l.tcp_moments.begin(), l.tcp_moments.end(),
                                   [](const explain::TcpMoment& m) { return m.event == "zero_window"; });
    ASSERT_NE(zero, l.tcp_moments.end());
    EXPECT_EQ(zero->explanation.rfind("the client advertises a receive window of 0", 0), 0u)
        << zero->explanation;
    EXPECT_EQ(l.lanes.at(zero->lane).role, analyzer::ConnRole::kFtpData);
    const auto arrow = std::find_if(l.arrows.begin(), l.arrows.end(),
                                    [](const explain::Arrow& a) { return a.tcp_event == "zero_window"; });
    ASSERT_NE(arrow, l.arrows.end());
    EXPECT_EQ(arrow->label, "TCP ZeroWindow");
    EXPECT_TRUE(arrow->from_client);
}

TEST(LessonBuilder, AFileThatIsNotACaptureIsNamed) {
    const std::string missing = "/nonexistent/ftpsim-explain.pcap";
    try {
        explain::build_lesson(missing, "", {});
        FAIL() << "no error";
    } catch (const capture::CaptureError& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace ftpsim::testsupport
