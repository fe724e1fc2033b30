// Whole FTP sessions over the virtual network, decoded back by the analyzer from the pcap the
// network wrote: commands, replies, the download's SHA-256, determinism, loss and stalls.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

// `want` appears in `got` in this order (other items may come between).
template <typename T>
bool subsequence(const std::vector<T>& want, const std::vector<T>& got) {
    std::size_t i = 0;
    for (const auto& g : got) {
        if (i < want.size() && g == want[i]) ++i;
    }
    return i == want.size();
}

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += x + " ";
    return s;
}

void check_standard(const std::string& pcap, const Fixture& fx, const std::string& data_verb) {
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    EXPECT_TRUE(sink.warnings.empty()) << sink.warnings.front();
    const auto commands = sink.verbs();
    EXPECT_TRUE(subsequence<std::string>({"USER", "PASS", "PWD", "TYPE", data_verb, "LIST", data_verb, "RETR", "QUIT"},
                                         commands))
        << join(commands);
    const auto replies = sink.replies();
    EXPECT_TRUE(subsequence<int>({220, 230, 257, 200, 150, 226, 150, 226, 221}, replies));
    const auto data = sink.data();
    const auto retr = std::find_if(data.begin(), data.end(), [](const auto& d) { return d.command == "RETR"; });
    ASSERT_NE(retr, data.end());
    EXPECT_EQ(retr->bytes, fx.file.size());
    EXPECT_EQ(retr->sha256, sha_of(fx.file));
    EXPECT_EQ(retr->completion, 226);
    EXPECT_EQ(retr->mode, data_verb == "PORT" ? "active" : "passive");
    for (const auto& [conn, ev] : sink.tcp_analysis()) {
        EXPECT_NE(ev, tcp::TcpEvent::kRetransmission) << "conn " << conn;
        EXPECT_NE(ev, tcp::TcpEvent::kLostSegment) << "conn " << conn;
    }
}

TEST(VnetSession, PassiveStandardSession) {
    Fixture fx;
    const auto pcap = temp_path("passive");
    const auto r = fx.run(pcap, standard_ops());
    ASSERT_TRUE(r.client_finished);
    ASSERT_TRUE(r.capture_ok);
    ASSERT_EQ(r.results.size(), 6u);
    for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
    EXPECT_EQ(r.results[4].sha256, sha_of(fx.file));
    check_standard(pcap, fx, "PASV");
    EXPECT_FALSE(partial_left_of(pcap));
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetSession, ActiveStandardSession) {
    Fixture fx;
    fx.client.mode = DataMode::kActive;
    const auto pcap = temp_path("active");
    const auto r = fx.run(pcap, standard_ops());
    ASSERT_TRUE(r.client_finished);
    for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
    check_standard(pcap, fx, "PORT");
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetSession, ExtendedPassiveOverIpv6) {
    Fixture fx;
    fx.client.mode = DataMode::kExtendedPassive;
    VnetScenario sc;
    sc.ipv6 = true;
    const auto pcap = temp_path("ipv6");
    const auto r = fx.run(pcap, standard_ops(), sc);
    ASSERT_TRUE(r.client_finished);
    for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
    check_standard(pcap, fx, "EPSV");
    if (!keep()) std::remove(pcap.c_str());
}

// A reader that stops for `stall_for` after 64 KiB: its buffer fills, it advertises a zero
// window, the sender probes, and reading again opens the window with a window update.
void check_stall(std::uint32_t receive_buffer, std::uint64_t size, const std::string& name) {
    Fixture fx(size);
    const auto pcap = temp_path(name);
    const auto r = fx.run(pcap, standard_ops(64 * 1024, 2 * kSecond, receive_buffer));
    ASSERT_TRUE(r.client_finished);
    for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
    EXPECT_EQ(r.results[4].sha256, sha_of(fx.file));
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    const auto data = sink.data();
    const auto retr = std::find_if(data.begin(), data.end(), [](const auto& d) { return d.command == "RETR"; });
    ASSERT_NE(retr, data.end());
    EXPECT_EQ(retr->sha256, sha_of(fx.file));
    // The RETR data connection is the analyzer's connection of the data event.
    std::uint64_t retr_conn = 0;
    for (const auto& e : sink.events) {
        if (const auto* d = std::get_if<analyzer::DataEvent>(&e.body); d && d->command == "RETR") retr_conn = e.conn;
    }
    ASSERT_NE(retr_conn, 0u);
    std::vector<tcp::TcpEvent> on_data;
    for (const auto& [conn, ev] : sink.tcp_analysis()) {
        if (conn == retr_conn) on_data.push_back(ev);
    }
    const auto zw = std::find(on_data.begin(), on_data.end(), tcp::TcpEvent::kZeroWindow);
    ASSERT_NE(zw, on_data.end());
    EXPECT_NE(std::find(zw, on_data.end(), tcp::TcpEvent::kWindowUpdate), on_data.end());
    EXPECT_EQ(std::count(on_data.begin(), on_data.end(), tcp::TcpEvent::kRetransmission), 0);
    EXPECT_GE(r.end_time, 2 * kSecond);
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetSession, StalledReaderShowsZeroWindowThenWindowUpdate) {
    check_stall(32 * 1024, 512 * 1024, "stall");
}

TEST(VnetSession, StalledReaderWithTheDefaultBuffer) {
    check_stall(0, 1024 * 1024, "stall_default");
}

TEST(VnetSession, DeadlineStopsARunThatWouldTakeLonger) {
    Fixture fx(512 * 1024);
    VnetScenario sc;
    sc.deadline = 5 * kSecond;
    const auto pcap = temp_path("deadline");
    const auto r = fx.run(pcap, standard_ops(64 * 1024, 60 * kSecond, 32 * 1024), sc);
    EXPECT_FALSE(r.client_finished);
    EXPECT_LE(r.end_time, 5 * kSecond);
    EXPECT_TRUE(r.capture_ok);
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);  // a capture cut mid-transfer still reads
    EXPECT_FALSE(sink.verbs().empty());
    if (!keep()) std::remove(pcap.c_str());
}


TEST(VnetSession, DroppedSegmentIsRetransmitted) {
    Fixture fx;
    VnetScenario sc;
    // Connection 1 is the control connection, 2 LIST's data, 3 RETR's data: drop its 5th
    // segment with payload.
    sc.network.losses.push_back(LossRule{3, 5});
    const auto pcap = temp_path("loss");
    const auto r = fx.run(pcap, standard_ops(), sc);
    ASSERT_TRUE(r.client_finished);
    EXPECT_EQ(r.dropped, 1u);
    for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
    EXPECT_EQ(r.results[4].sha256, sha_of(fx.file));
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    const auto events = sink.tcp_analysis();
    EXPECT_NE(std::find_if(events.begin(), events.end(),
                           [](const auto& p) { return p.second == tcp::TcpEvent::kRetransmission; }),
              events.end());
    const auto data = sink.data();
    const auto retr = std::find_if(data.begin(), data.end(), [](const auto& d) { return d.command == "RETR"; });
    ASSERT_NE(retr, data.end());
    EXPECT_EQ(retr->sha256, sha_of(fx.file));
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetSession, DroppedLastSegmentIsRetransmittedAfterTimeout) {
    Fixture fx(3000);  // three segments: the last one has no followers to cause dup ACKs
    VnetScenario sc;
    sc.network.losses.push_back(LossRule{3, 3});
    const auto pcap = temp_path("loss_tail");
    const auto r = fx.run(pcap, standard_ops(), sc);
    ASSERT_TRUE(r.client_finished);
    EXPECT_EQ(r.dropped, 1u);
    EXPECT_EQ(r.results[4].sha256, sha_of(fx.file));
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    const auto events = sink.tcp_analysis();
    EXPECT_NE(std::find_if(events.begin(), events.end(),
                           [](const auto& p) { return p.second == tcp::TcpEvent::kRetransmission; }),
              events.end());
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetSession, ManyLossesInBothDirectionsStillDeliverEveryByte) {
    for (const auto mode : {DataMode::kPassive, DataMode::kActive}) {
        Fixture fx(3 * 1024 * 1024 + 17);
        fx.client.mode = mode;
        VnetScenario sc;
        for (const std::uint32_t n : {5u, 6u, 50u, 51u, 52u, 300u, 1000u, 2000u, 2174u}) {
            sc.network.losses.push_back(LossRule{3, n});
        }
        sc.network.losses.push_back(LossRule{1, 4});  // a control-connection segment too
        const auto pcap = temp_path(mode == DataMode::kActive ? "losses_active" : "losses_passive");
        const auto r = fx.run(pcap, standard_ops(), sc);
        ASSERT_TRUE(r.client_finished);
        EXPECT_GE(r.dropped, 9u);
        for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
        EXPECT_EQ(r.results[4].sha256, sha_of(fx.file));
        EventCollector sink;
        analyzer::analyze_file(pcap, sink);
        const auto data = sink.data();
        const auto retr = std::find_if(data.begin(), data.end(), [](const auto& d) { return d.command == "RETR"; });
        ASSERT_NE(retr, data.end());
        EXPECT_EQ(retr->sha256, sha_of(fx.file));
        if (!keep()) std::remove(pcap.c_str());
    }
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
