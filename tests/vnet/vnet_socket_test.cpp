// The virtual TCP below the FTP driver: two sockets on a Network, stepped on the virtual clock.
// Simultaneous close (RFC 9293 §3.6, figure 13): both FINs cross, both ends pass through CLOSING
// to TIME-WAIT, and the capture holds FIN, FIN, ACK, ACK.
#include <gtest/gtest.h>

#include "sim/vnet/network.hpp"
#include "sim/vnet/tcp_stack.hpp"
#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

TEST(VnetSocket, SimultaneousCloseGoesThroughClosingToTimeWait) {
    const auto pcap = temp_path("simultaneous_close");
    NetworkConfig config = VnetScenario::default_network();
    config.link.latency = 5 * kMillisecond;  // the FINs are on the wire at once and cross
    std::vector<std::uint8_t> flags;
    {
        Network net(config, pcap);
        TcpSocket* server = nullptr;
        const net::Endpoint listen{config.hosts[1].ipv4, 2121};
        ASSERT_TRUE(net.stack(1).listen(listen, [&](TcpSocket& s) { server = &s; }, 0));
        TcpSocket& client = net.stack(0).connect({config.hosts[0].ipv4, 0}, listen, 0);
        while (server == nullptr && net.queue().run_one()) {
        }
        ASSERT_NE(server, nullptr);
        while (net.queue().run_one() && client.state() != TcpSocket::State::kEstablished) {
        }
        ASSERT_EQ(client.state(), TcpSocket::State::kEstablished);
        client.close();
        server->close();
        EXPECT_EQ(client.state(), TcpSocket::State::kFinWait1);
        EXPECT_EQ(server->state(), TcpSocket::State::kFinWait1);
        bool saw_closing = false;
        for (int i = 0; i < 1000 && net.queue().run_one(); ++i) {
            saw_closing = saw_closing || client.state() == TcpSocket::State::kClosing ||
                          server->state() == TcpSocket::State::kClosing;
            if (client.closed() && server->closed()) break;
        }
        EXPECT_TRUE(saw_closing);
        EXPECT_EQ(client.state(), TcpSocket::State::kTimeWait);
        EXPECT_EQ(server->state(), TcpSocket::State::kTimeWait);
        ASSERT_TRUE(net.finish_capture());
    }
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    // The tracker sees a graceful close from both sides, no reset, no retransmission.
    for (const auto& [conn, ev] : sink.tcp_analysis()) {
        EXPECT_NE(ev, tcp::TcpEvent::kRst);
        EXPECT_NE(ev, tcp::TcpEvent::kRetransmission);
    }
    const std::string file = read_file(pcap);
    // 3 handshake segments, then two FIN+ACK crossing and their two ACKs.
    std::size_t frames = 0;
    for (std::size_t at = 24; at + 16 <= file.size(); ++frames) {
        const std::uint32_t len = static_cast<std::uint8_t>(file[at + 8]) | static_cast<std::uint8_t>(file[at + 9]) << 8;
        flags.push_back(static_cast<std::uint8_t>(file[at + 16 + 14 + 20 + 13]));
        at += 16 + len;
    }
    ASSERT_EQ(frames, 7u);
    EXPECT_EQ(flags[3], kFin | kAck);
    EXPECT_EQ(flags[4], kFin | kAck);
    EXPECT_EQ(flags[5], kAck);
    EXPECT_EQ(flags[6], kAck);
    if (!keep()) std::remove(pcap.c_str());
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
