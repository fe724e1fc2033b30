// A control line whose copies differ, as past a device that drops the first part of a split
// PORT and rewrites the retransmission of the whole line: the decode holds the line the server
// read, and the inconsistent_retransmission event says where the copies differed, in the golden
// form and in JSON.
#include <gtest/gtest.h>

#include <sstream>

#include "golden/golden_check.hpp"
#include "render/renderers.hpp"
#include "support/capture_test.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

using P = std::pair<std::string, std::string>;

class InconsistentRetransmissionTest : public CaptureTest {
protected:
    // USER (16 bytes from relative seq 1), then the PORT line: its tail `held` first, out of
    // order, then `line` whole from the same start.
    Capture& build(const std::string& held, std::size_t held_at, const std::string& line) {
        Connection& ctrl = open_connection(cap_, kClientCtrl, kServerCtrl);
        reply_acked(ctrl, "220 ready");
        exchange(ctrl, "USER anonymous", "331 Password please");
        const std::uint32_t line_start = ctrl.next_seq(kFromClient);
        ctrl.skip(kFromClient, static_cast<std::uint32_t>(held_at));
        ctrl.send(held, kFromClient);
        ctrl.ack_at(kFromServer, line_start);  // a duplicate ACK: the start of the line is missing
        ctrl.skip(kFromClient, static_cast<std::uint32_t>(-(held_at + held.size())));
        ctrl.send(line, kFromClient);
        reply(ctrl, "200 PORT ok");
        ctrl.ack(kFromClient);
        quit(ctrl);
        return cap_;
    }

private:
    Capture cap_;
};

TEST_F(InconsistentRetransmissionTest, TheRewrittenLineIsDecodedAndTheOverlapReported) {
    // The client behind the device sent "PORT 10,0,0,7,8,155" in two parts; this side sees the
    // second part, then the whole line rewritten to the device's address.
    Capture& cap = build("0,7,8,155\r\n", 10, "PORT 192,168,1,5,8,155\r\n");
    const EventCollector ev = analyze_frames(cap);
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PORT", "192,168,1,5,8,155"}, {"QUIT", ""}}))
        << ev.dump();
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();

    std::ostringstream warnings;
    const std::string golden = golden::golden_text(write(cap).string(), {}, warnings);
    // PORT starts at relative seq 17, the held copy at 27: all its 11 bytes differ.
    const std::string event =
        "c1 tcp inconsistent_retransmission 192.168.1.5:<p1> -> 192.168.1.10:21 seq=27 len=11 kept=later\n"
        "c1 command PORT 192,168,1,5,<p2>\n";
    EXPECT_NE(golden.find(event), std::string::npos) << golden;

    const analyzer::Event* found = nullptr;
    for (const auto& e : ev.events) {
        auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body);
        if (t != nullptr && t->event == tcp::TcpEvent::kInconsistentRetransmission) found = &e;
    }
    ASSERT_NE(found, nullptr) << ev.dump();
    const auto j = render::event_json(*found, false);
    EXPECT_EQ(j["kind"], "tcp");
    EXPECT_EQ(j["event"], "inconsistent_retransmission");
    EXPECT_EQ(j["seq"], 27);
    EXPECT_EQ(j["len"], 11);
    EXPECT_EQ(j["kept"], "later");
    EXPECT_EQ(j["src"]["port"], kClientCtrl.port);
}

TEST_F(InconsistentRetransmissionTest, AnIdenticalRetransmissionIsNoEvent) {
    const EventCollector ev = analyze_frames(build("68,1,5,8,155\r\n", 10, "PORT 192,168,1,5,8,155\r\n"));
    EXPECT_EQ(ev.commands(), (std::vector<P>{{"USER", "anonymous"}, {"PORT", "192,168,1,5,8,155"}, {"QUIT", ""}}))
        << ev.dump();
    for (const auto& [conn, kind] : ev.tcp_analysis())
        EXPECT_NE(kind, tcp::TcpEvent::kInconsistentRetransmission) << ev.dump();
}

}  // namespace
}  // namespace ftpsim::testsupport
