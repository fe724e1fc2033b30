// How connections end over the virtual network: an upload closed by the client (FIN from the
// data client first), ABOR (the server resets the data connection: RST), a reset fault, a
// refused connection, and several sessions' worth of connections on one capture.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "sim/vnet/tcp_stack.hpp"
#include "vnet/vnet_support.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

bool has_event(const EventCollector& sink, tcp::TcpEvent want) {
    const auto ev = sink.tcp_analysis();
    return std::any_of(ev.begin(), ev.end(), [&](const auto& p) { return p.second == want; });
}

TEST(VnetClose, UploadIsClosedByTheClientFirst) {
    for (const auto mode : {DataMode::kPassive, DataMode::kActive}) {
        Fixture fx;
        fx.fs.add_dir("/upload");
        fx.server.users = {{"alice", "secret"}};
        fx.client.mode = mode;
        fx.client.user = "alice";
        fx.client.password = "secret";
        std::string bytes(300 * 1024, '\0');
        for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + i / 251);
        ClientOp stor = op(Kind::kStor, "/upload/new.bin");
        stor.upload = std::make_shared<const std::string>(bytes);
        const auto pcap = temp_path(mode == DataMode::kActive ? "stor_active" : "stor_passive");
        const auto r = fx.run(pcap, {op(Kind::kLogin), op(Kind::kType), stor, op(Kind::kQuit)});
        ASSERT_TRUE(r.client_finished);
        for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
        EXPECT_EQ(fx.fs.content("/upload/new.bin"), bytes);
        EventCollector sink;
        analyzer::analyze_file(pcap, sink);
        const auto data = sink.data();
        ASSERT_EQ(data.size(), 1u);
        EXPECT_EQ(data[0].direction, "upload");
        EXPECT_EQ(data[0].sha256, sha_of(bytes));
        EXPECT_EQ(data[0].completion, 226);
        // Every connection ends with FINs, none with RST.
        EXPECT_FALSE(has_event(sink, tcp::TcpEvent::kRst));
        for (const auto& e : sink.events) {
            if (const auto* c = std::get_if<analyzer::ConnClose>(&e.body)) {
                EXPECT_EQ(c->reason, tcp::CloseReason::kFin) << "conn " << e.conn;
            }
        }
        if (!keep()) std::remove(pcap.c_str());
    }
}

TEST(VnetClose, AborResetsTheDataConnection) {
    Fixture fx(2 * 1024 * 1024);
    ClientOp retr = op(Kind::kRetr, "/pub/file.bin");
    retr.abort_after = 100'000;
    const auto pcap = temp_path("abor");
    const auto r = fx.run(pcap, {op(Kind::kLogin), op(Kind::kType), retr, op(Kind::kPwd), op(Kind::kQuit)});
    ASSERT_TRUE(r.client_finished);
    ASSERT_EQ(r.results.size(), 5u);
    EXPECT_TRUE(r.results[2].aborted);
    EXPECT_EQ(r.results[3].replies.back().code, 257);  // the session stayed in step
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    EXPECT_TRUE(has_event(sink, tcp::TcpEvent::kRst));
    const auto replies = sink.replies();
    EXPECT_NE(std::find(replies.begin(), replies.end(), 426), replies.end());
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetClose, ResetFaultEndsTheTransferWithRst) {
    Fixture fx(256 * 1024);
    Fault f;
    f.verb = "RETR";
    f.kind = Fault::Kind::kResetData;
    f.bytes = 50'000;
    fx.server.faults.push_back(f);
    const auto pcap = temp_path("reset_fault");
    const auto r = fx.run(pcap, {op(Kind::kLogin), op(Kind::kType), op(Kind::kRetr, "/pub/file.bin"),
                                 op(Kind::kQuit)});
    ASSERT_TRUE(r.client_finished);
    EXPECT_FALSE(r.results[2].ok);
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    EXPECT_TRUE(has_event(sink, tcp::TcpEvent::kRst));
    if (!keep()) std::remove(pcap.c_str());
}

TEST(VnetClose, NoListenerMeansRefused) {
    const auto pcap = temp_path("refused");
    // The stack alone: a SYN to a port nobody listens on is answered RST-ACK (RFC 9293
    // §3.10.7.1), and the connector reports the refusal.
    Network net(VnetScenario::default_network(), pcap);
    auto& client = net.stack(0);
    bool failed = false;
    std::string why;
    TcpSocket& s = client.connect({net.config().hosts[0].ipv4, 0}, {net.config().hosts[1].ipv4, 2121}, 0);
    s.callbacks.failed = [&](const std::string& w) {
        failed = true;
        why = w;
    };
    while (net.queue().run_one()) {}
    ASSERT_TRUE(net.finish_capture());
    EXPECT_TRUE(failed);
    EXPECT_EQ(why, "connection refused");
    EXPECT_EQ(net.frames(), 2u);  // SYN, RST-ACK
    if (!keep()) std::remove(pcap.c_str());
}

// A lost SYN is sent again after the initial RTO of 1 s (RFC 6298 §2.1), a lost SYN-ACK too.
TEST(VnetClose, LostSynAndSynAckAreRetransmitted) {
    Fixture fx;
    VnetScenario sc;
    sc.network.losses.push_back(LossRule{1, 0, 1});  // the control connection's SYN
    sc.network.losses.push_back(LossRule{2, 0, 2});  // LIST's data connection: the SYN-ACK
    const auto pcap = temp_path("syn_loss");
    const auto r = fx.run(pcap, standard_ops(), sc);
    ASSERT_TRUE(r.client_finished);
    EXPECT_EQ(r.dropped, 2u);
    for (const auto& res : r.results) EXPECT_TRUE(res.ok) << res.error;
    EXPECT_GE(r.end_time, 2 * kSecond);
    EventCollector sink;
    analyzer::analyze_file(pcap, sink);
    EXPECT_TRUE(has_event(sink, tcp::TcpEvent::kRetransmission));
    EXPECT_EQ(sink.data().size(), 2u);
    if (!keep()) std::remove(pcap.c_str());
}

// A server host with no IPv6 told by EPRT |2| to connect to an IPv6 address (as behind a NAT64
// with no ALG, if it accepted the foreign address): connect(2) fails with ENETUNREACH at once,
// and the transfer ends 425 instead of the network being handed a segment of mixed families.
TEST(VnetClose, ConnectWithoutAnAddressOfThatFamilyFailsAsUnreachable) {
    Fixture f;
    f.server.allow_foreign_port = true;
    VnetScenario sc;
    sc.network.hosts[1].ipv6 = {};  // IPv4 only
    const auto pcap = temp_path("unreachable");
    const auto r = f.run(pcap, {op(Kind::kLogin), op(Kind::kRaw, "EPRT |2|fd00::2|50000|"),
                                op(Kind::kRaw, "RETR /pub/file.bin"), op(Kind::kQuit)}, sc);
    ASSERT_EQ(r.results.size(), 4u);
    ASSERT_FALSE(r.results[1].replies.empty());
    EXPECT_EQ(r.results[1].replies.back().code, 200);
    ASSERT_FALSE(r.results[2].replies.empty());
    EXPECT_EQ(r.results[2].replies.back().code, 425);
    EXPECT_TRUE(r.client_finished);
    if (!keep()) std::remove(pcap.c_str());
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
