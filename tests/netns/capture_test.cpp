// Live capture across a veth pair: an FTP-looking exchange on port 21 between two namespaces is
// captured on the client's interface, the analyzer reads it back, and every frame fits the MTU.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "decode/analyzer.hpp"
#include "netns/frame_check.hpp"
#include "netns/netns_test_support.hpp"
#include "sim/capture/live_capture.hpp"
#include "sim/netns/in_namespace.hpp"
#include "sim/netns/topology.hpp"
#include "support/event_collector.hpp"

namespace ftpsim::netns_test {
namespace {

using namespace ftpsim::sim::netns;
using ftpsim::sim::capture::CaptureOptions;
using ftpsim::sim::capture::LiveCapture;

// A per-test scratch directory, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path = std::filesystem::temp_directory_path() /
               ("ftpsim-netns-" + std::to_string(::getpid()) + "-" + info->name());
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

Topology make_topology(int mtu) {
    return Topology({{"client", {"192.168.1.5/24", "2001:db8::5/64"}, {}},
                     {"server", {"192.168.1.10/24", "2001:db8::10/64"}, {}}},
                    {{"client", "server", mtu}}, {"ftpsimtest"});
}

CaptureOptions client_capture(const Topology& topo, const std::string& file, std::chrono::milliseconds bound) {
    CaptureOptions opt;
    opt.netns = topo.netns("client");
    opt.interface = topo.interface("client", "server").name;
    opt.output = file;
    opt.max_duration = bound;
    return opt;
}

// Server greets, client sends QUIT, server replies 221, both close. Every socket is created
// inside its namespace; the I/O runs from this thread.
void ftp_exchange(const Topology& topo, const std::string& server_ip) {
    Fd listener = in_namespace(topo.netns("server"), [&] { return listen_on(server_ip, 21); });
    Fd client = in_namespace(topo.netns("client"), [&] { return connect_to(server_ip, 21); });
    Fd server = accept_one(listener);
    send_all(server, "220 hi\r\n");
    EXPECT_EQ(recv_n(client, 8), "220 hi\r\n");
    send_all(client, "QUIT\r\n");
    EXPECT_EQ(recv_n(server, 6), "QUIT\r\n");
    send_all(server, "221 bye\r\n");
    EXPECT_EQ(recv_n(client, 9), "221 bye\r\n");
    client.reset();
    EXPECT_EQ(recv_n(server, 0), "");  // EOF: the client's FIN arrived
}

// `bytes` from server to client on a plain TCP connection (port 5001, not FTP), to fill
// segments up to the MSS.
void bulk_transfer(const Topology& topo, const std::string& server_ip, std::size_t bytes) {
    Fd listener = in_namespace(topo.netns("server"), [&] { return listen_on(server_ip, 5001); });
    Fd client = in_namespace(topo.netns("client"), [&] { return connect_to(server_ip, 5001); });
    Fd server = accept_one(listener);
    // Sent from a second thread so neither side's buffer can stall the other.
    std::thread writer([&] { send_all(server, std::string(bytes, 'x')); });
    const std::string got = recv_n(client, bytes);
    writer.join();
    EXPECT_EQ(got.size(), bytes);
    server.reset();
    EXPECT_EQ(recv_n(client, 0), "");
}

void expect_ftp_control(const std::string& file) {
    testsupport::EventCollector events;
    analyzer::analyze_file(file, events);
    const auto opens = events.bodies<analyzer::ConnOpen>();
    ASSERT_GE(opens.size(), 1u) << events.dump();
    EXPECT_EQ(opens[0].role, analyzer::ConnRole::kFtpControl) << events.dump();
    for (const auto& o : opens) EXPECT_TRUE(o.handshake) << events.dump();
    EXPECT_EQ(events.commands(), (std::vector<std::pair<std::string, std::string>>{{"QUIT", ""}}))
        << events.dump();
    EXPECT_EQ(events.replies(), (std::vector<int>{220, 221})) << events.dump();
    EXPECT_EQ(events.bodies<analyzer::ConnClose>().size(), opens.size()) << events.dump();
    EXPECT_TRUE(events.anomaly_names().empty()) << events.dump();
}

void run_captured(int mtu, const std::string& server_ip, std::size_t bulk, const std::string& filter = "") {
    TempDir dir;
    const std::string file = (dir.path / "client.pcap").string();
    Topology topo = make_topology(mtu);
    CaptureOptions opt = client_capture(topo, file, std::chrono::seconds(30));
    opt.filter = filter;
    LiveCapture cap(opt);
    EXPECT_TRUE(std::filesystem::exists(cap.partial_path()));
    EXPECT_FALSE(std::filesystem::exists(file));
    ftp_exchange(topo, server_ip);
    if (bulk > 0) bulk_transfer(topo, server_ip, bulk);
    // Let the last ACKs cross the veth before the capture stops.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto stats = cap.stop();
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_FALSE(std::filesystem::exists(cap.partial_path()));
    EXPECT_EQ(stats.dropped, 0u);

    const auto sizes = check_capture(file);
    EXPECT_EQ(sizes.linktype, DLT_EN10MB);
    EXPECT_EQ(sizes.frames, stats.packets);
    EXPECT_LE(sizes.max_len, static_cast<std::size_t>(mtu + 14));
    EXPECT_GE(sizes.tcp_frames, 10u);
    EXPECT_EQ(sizes.bad_checksums, 0u);
    if (bulk > 0) {
        EXPECT_GT(sizes.max_len, static_cast<std::size_t>(mtu - 100)) << "segments should fill the MTU";
    }
    expect_ftp_control(file);
}

TEST(NetnsCapture, FtpControlOverIpv4) {
    FTPSIM_REQUIRE_NETNS();
    run_captured(1500, "192.168.1.10", 0, "tcp port 21");
}

// The checksum check itself must be able to fail: corrupt one byte of a captured TCP frame.
TEST(NetnsCapture, ChecksumCheckDetectsCorruption) {
    FTPSIM_REQUIRE_NETNS();
    TempDir dir;
    const std::string file = (dir.path / "c.pcap").string();
    Topology topo = make_topology(1500);
    LiveCapture cap(client_capture(topo, file, std::chrono::seconds(30)));
    ftp_exchange(topo, "192.168.1.10");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cap.stop();
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline(file.c_str(), err);
    ASSERT_NE(p, nullptr) << err;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    std::string frame;
    while (frame.empty() && pcap_next_ex(p, &h, &data) == 1)
        if (h->caplen > 60 && data[12] == 0x08 && data[13] == 0x00 && data[23] == 6)
            frame.assign(reinterpret_cast<const char*>(data), h->caplen);
    pcap_close(p);
    ASSERT_FALSE(frame.empty());
    FrameCheck good, bad;
    check_frame(reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size(), good);
    frame.back() = static_cast<char>(frame.back() ^ 0x5a);
    check_frame(reinterpret_cast<const std::uint8_t*>(frame.data()), frame.size(), bad);
    EXPECT_EQ(good.bad_checksums, 0u);
    EXPECT_EQ(bad.bad_checksums, 1u);
}

TEST(NetnsCapture, BulkFramesFitMtu1500) {
    FTPSIM_REQUIRE_NETNS();
    run_captured(1500, "192.168.1.10", 300000);
}

TEST(NetnsCapture, BulkFramesFitMtu1400) {
    FTPSIM_REQUIRE_NETNS();
    run_captured(1400, "192.168.1.10", 300000);
}

TEST(NetnsCapture, FtpControlOverIpv6) {
    FTPSIM_REQUIRE_NETNS();
    run_captured(1500, "2001:db8::10", 100000);
}

TEST(NetnsCapture, DestroyedWithoutStopLeavesNoFile) {
    FTPSIM_REQUIRE_NETNS();
    TempDir dir;
    const std::string file = (dir.path / "abandoned.pcap").string();
    Topology topo = make_topology(1500);
    std::string partial;
    {
        LiveCapture cap(client_capture(topo, file, std::chrono::seconds(10)));
        partial = cap.partial_path();
        EXPECT_TRUE(std::filesystem::exists(partial));
    }
    EXPECT_FALSE(std::filesystem::exists(partial));
    EXPECT_FALSE(std::filesystem::exists(file));
    EXPECT_TRUE(std::filesystem::is_empty(dir.path));
}

TEST(NetnsCapture, TimeBoundLeavesPartialFile) {
    FTPSIM_REQUIRE_NETNS();
    TempDir dir;
    const std::string file = (dir.path / "bounded.pcap").string();
    Topology topo = make_topology(1500);
    LiveCapture cap(client_capture(topo, file, std::chrono::milliseconds(100)));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_THROW(cap.stop(), sim::capture::CaptureError);
    EXPECT_TRUE(std::filesystem::exists(cap.partial_path()));
    EXPECT_FALSE(std::filesystem::exists(file));
}

// The kernel backend's way: FILE is written from the finished temporary by the caller (retimed),
// so it never holds the capture before that; the temporary goes once FILE is written.
TEST(NetnsCapture, PublishWritesTheFileFromTheFinishedTemporary) {
    FTPSIM_REQUIRE_NETNS();
    TempDir dir;
    const std::string file = (dir.path / "published.pcap").string();
    Topology topo = make_topology(1500);
    LiveCapture cap(client_capture(topo, file, std::chrono::seconds(30)));
    ftp_exchange(topo, "192.168.1.10");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    bool called = false;
    const auto stats = cap.stop([&](const std::string& finished, const std::string& output) {
        called = true;
        EXPECT_EQ(finished, cap.partial_path());
        EXPECT_EQ(output, file);
        EXPECT_FALSE(std::filesystem::exists(file)) << "published before the publisher wrote it";
        std::filesystem::copy_file(finished, output);
    });
    EXPECT_TRUE(called);
    EXPECT_FALSE(std::filesystem::exists(cap.partial_path()));
    EXPECT_EQ(check_capture(file).frames, stats.packets);
    expect_ftp_control(file);
}

TEST(NetnsCapture, FailedPublishLeavesNoFileAndKeepsTheTemporary) {
    FTPSIM_REQUIRE_NETNS();
    TempDir dir;
    const std::string file = (dir.path / "unpublished.pcap").string();
    Topology topo = make_topology(1500);
    LiveCapture cap(client_capture(topo, file, std::chrono::seconds(30)));
    EXPECT_THROW(cap.stop([](const std::string&, const std::string&) { throw std::runtime_error("cannot retime"); }),
                 sim::capture::CaptureError);
    EXPECT_FALSE(std::filesystem::exists(file));
    EXPECT_TRUE(std::filesystem::exists(cap.partial_path()));
}

TEST(NetnsCapture, MissingInterfaceFailsClearly) {
    FTPSIM_REQUIRE_NETNS();
    TempDir dir;
    Topology topo = make_topology(1500);
    auto opt = client_capture(topo, (dir.path / "x.pcap").string(), std::chrono::seconds(5));
    opt.interface = "nonexistent0";
    EXPECT_THROW(LiveCapture{opt}, sim::capture::CaptureError);
}

}  // namespace
}  // namespace ftpsim::netns_test
