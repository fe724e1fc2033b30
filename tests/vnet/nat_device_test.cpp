// The virtual NAT at segment level: translation and the forward policy (conntrack), and the FTP
// ALG's variants, each planted failure checked on the bytes and sequence numbers it emits.
#include <gtest/gtest.h>

#include "sim/vnet/ftp_alg.hpp"
#include "sim/vnet/nat.hpp"
#include "vnet/segment_builders.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

const net::Endpoint kClient{ip("192.168.1.5"), 40000};
const net::Endpoint kServer{ip("203.0.113.10"), 21};
const net::IpAddress kOutside = ip("203.0.113.1");


NatConfig masquerade(AlgVariant alg) {
    NatConfig c;
    c.type = NatConfig::Type::kMasquerade;
    c.outside_link = 1;
    c.pool = {kOutside};
    c.alg = alg;
    return c;
}

// A NAT with an established control connection: client seq from 1000, server from 5000.
struct Session {
    explicit Session(NatConfig c) : nat(std::move(c)) {
        inside(seg(kClient, kServer, 999, 0, kSyn));
        outside(seg(kServer, {kOutside, kClient.port}, 4999, 1000, kSyn | kAck));
    }
    // What leaves the device for one segment in; empty when dropped or held.
    std::vector<Segment> inside(Segment s) { return through(std::move(s), false); }
    std::vector<Segment> outside(Segment s) { return through(std::move(s), true); }
    std::vector<Segment> through(Segment s, bool from_outside) {
        std::vector<Segment> out;
        nat.process(std::move(s), from_outside, now, out);
        return out;
    }
    NatDevice nat;
    std::int64_t now = 0;
};

TEST(NatDevice, MasqueradeKeepsThePortAndTranslatesBack) {
    Session s(masquerade(AlgVariant::kNone));
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "USER a\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].src, (net::Endpoint{kOutside, kClient.port}));
    EXPECT_EQ(out[0].dst, kServer);
    out = s.outside(seg(kServer, {kOutside, kClient.port}, 5000, 1008, kAck, "331 ok\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].dst, kClient);
}

TEST(NatDevice, NewConnectionsFromOutsideDieAtTheDevice) {
    Session s(masquerade(AlgVariant::kNone));
    EXPECT_TRUE(s.outside(seg({kServer.addr, 20}, {kOutside, 50100}, 1, 0, kSyn)).empty());
    EXPECT_TRUE(s.outside(seg({kServer.addr, 20}, kClient, 1, 0, kSyn)).empty());
    EXPECT_EQ(s.nat.dropped(), 2u);
}

TEST(NatDevice, CorrectAlgRewritesPortAndLetsTheDataConnectionIn) {
    Session s(masquerade(AlgVariant::kCorrect));
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "PORT 192,168,1,5,195,180\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,1,195,180\r\n");
    out = s.outside(seg({kServer.addr, 20}, {kOutside, 50100}, 1, 0, kSyn));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].dst, (net::Endpoint{kClient.addr, 50100}));
    EXPECT_EQ(out[0].src, (net::Endpoint{kServer.addr, 20}));
}

TEST(NatDevice, ALengthChangeShiftsLaterSeqAndTheAcksBack) {
    NatConfig c = masquerade(AlgVariant::kCorrect);
    c.pool = {ip("203.0.113.100")};  // "203,0,113,100" is 2 longer than "192,168,1,5"
    Session s(c);
    const std::string port = "PORT 192,168,1,5,195,180\r\n";
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, port));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload.size(), port.size() + 2);
    EXPECT_EQ(out[0].seq, 1000u);  // the rewritten segment itself keeps its seq
    out = s.inside(seg(kClient, kServer, 1000 + 26, 5000, kAck | kPsh, "RETR x\r\n"));
    EXPECT_EQ(out[0].seq, 1000u + 26 + 2);
    // The server acknowledges the shifted stream; the client must see its own numbers.
    out = s.outside(seg(kServer, {c.pool[0], kClient.port}, 5000, 1000 + 26 + 2 + 8, kAck));
    EXPECT_EQ(out[0].ack, 1000u + 26 + 8);
    // A retransmission of the rewritten segment is rewritten the same, with no new shift.
    out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, port));
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,100,195,180\r\n");
    EXPECT_EQ(out[0].seq, 1000u);
}

TEST(NatDevice, NoSeqFixupLeavesLaterSegmentsUnshifted) {
    NatConfig c = masquerade(AlgVariant::kNoSeqFixup);
    c.pool = {ip("203.0.113.100")};
    Session s(c);
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "PORT 192,168,1,5,195,180\r\n"));
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,100,195,180\r\n");
    out = s.inside(seg(kClient, kServer, 1026, 5000, kAck | kPsh, "RETR x\r\n"));
    EXPECT_EQ(out[0].seq, 1026u);  // overlaps the 2 bytes the rewrite added
    out = s.outside(seg(kServer, {c.pool[0], kClient.port}, 5000, 1036, kAck));
    EXPECT_EQ(out[0].ack, 1036u);  // acknowledges 2 bytes the client never sent
}

TEST(NatDevice, LinuxAlgSeesOneCommandPerSegmentAndDropsASplitOne) {
    Session s(masquerade(AlgVariant::kLinux));
    // Pipelined behind another command: nf_conntrack_ftp looks at the segment's start only.
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "TYPE I\r\nPORT 192,168,1,5,195,180\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "TYPE I\r\nPORT 192,168,1,5,195,180\r\n");
    // A command cut by the segment's end is dropped.
    out = s.inside(seg(kClient, kServer, 1034, 5000, kAck | kPsh, "PORT 192,1"));
    EXPECT_TRUE(out.empty());
    // The coalesced retransmission is rewritten (even an unchanged value, as nf_nat_ftp does).
    out = s.inside(seg(kClient, kServer, 1034, 5000, kAck | kPsh, "PORT 192,168,1,5,195,181\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,1,195,181\r\n");
}

TEST(NatDevice, CorrectAlgJoinsACommandSplitAcrossSegments) {
    Session s(masquerade(AlgVariant::kCorrect));
    EXPECT_TRUE(s.inside(seg(kClient, kServer, 1000, 5000, kAck, "PORT 192,1")).empty());  // held
    auto out = s.inside(seg(kClient, kServer, 1010, 5000, kAck | kPsh, "68,1,5,195,180\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].seq, 1000u);
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,1,195,180\r\n");
}

TEST(NatDevice, LinuxAlgWritesIpv6EprtUncompressed) {
    NatConfig c = masquerade(AlgVariant::kLinux);
    c.pool = {ip("2001:db8:2::1")};
    NatDevice nat(c);
    const net::Endpoint client{ip("2001:db8:1::5"), 40000}, server{ip("2001:db8:2::10"), 21};
    std::vector<Segment> out;
    nat.process(seg(client, server, 999, 0, kSyn), false, 0, out);
    out.clear();
    nat.process(seg(client, server, 1000, 1, kAck | kPsh, "EPRT |2|2001:db8:1::5|50100|\r\n"), false, 0, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "EPRT |2|2001:0db8:0002:0000:0000:0000:0000:0001|50100|\r\n");
}

TEST(NatDevice, WrongPortAnnouncesAPortThatIsNotForwarded) {
    Session s(masquerade(AlgVariant::kWrongPort));
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "PORT 192,168,1,5,195,180\r\n"));
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,1,195,181\r\n");
    EXPECT_TRUE(s.outside(seg({kServer.addr, 20}, {kOutside, 50101}, 1, 0, kSyn)).empty());
}

TEST(NatDevice, FirstCommandOnlyLeavesTheSecondAlone) {
    Session s(masquerade(AlgVariant::kFirstCommandOnly));
    auto out = s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "PORT 192,168,1,5,195,180\r\n"));
    EXPECT_EQ(out[0].payload, "PORT 203,0,113,1,195,180\r\n");
    out = s.inside(seg(kClient, kServer, 1026, 5000, kAck | kPsh, "PORT 192,168,1,5,195,181\r\n"));
    EXPECT_EQ(out[0].payload, "PORT 192,168,1,5,195,181\r\n");
}

TEST(NatDevice, ExpectationsExpireAndAreEvictedBeyondMaxExpected) {
    NatConfig c = masquerade(AlgVariant::kCorrect);
    c.expect_timeout_ns = 1'000'000'000;
    Session s(c);
    s.inside(seg(kClient, kServer, 1000, 5000, kAck | kPsh, "PORT 192,168,1,5,195,180\r\n"));
    s.inside(seg(kClient, kServer, 1026, 5000, kAck | kPsh, "PORT 192,168,1,5,195,181\r\n"));
    // max_expected 1: the second PORT evicted the first one's expectation.
    EXPECT_TRUE(s.outside(seg({kServer.addr, 20}, {kOutside, 50100}, 1, 0, kSyn)).empty());
    s.now = 2'000'000'000;  // past the timeout
    EXPECT_TRUE(s.outside(seg({kServer.addr, 20}, {kOutside, 50101}, 1, 0, kSyn)).empty());
}

TEST(NatDevice, UnpairedPoolSendsDataFromAnotherAddress) {
    NatConfig c;
    c.type = NatConfig::Type::kSnat;
    c.outside_link = 1;
    c.pool = {ip("203.0.113.50"), ip("203.0.113.51")};
    c.paired = false;
    c.alg = AlgVariant::kCorrect;
    NatDevice nat(c);
    std::vector<Segment> out;
    nat.process(seg(kClient, kServer, 999, 0, kSyn), false, 0, out);
    nat.process(seg(kClient, {kServer.addr, 40000}, 1, 0, kSyn), false, 0, out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_NE(out[0].src.addr, out[1].src.addr);
}

TEST(NatDevice, OutboundDropLetsOnlyOutsideStartsAndExpectedConnectionsThrough) {
    // An ingress publishing 10.0.0.10:21 as 203.0.113.1:21 (moby/moby#31787).
    const net::Endpoint client{ip("203.0.113.20"), 40000}, published{kOutside, 21}, server{ip("10.0.0.10"), 21};
    for (const AlgVariant alg : {AlgVariant::kNone, AlgVariant::kLinux}) {
        NatConfig c;
        c.type = NatConfig::Type::kDnat;
        c.outside_link = 0;
        c.published = kOutside;
        c.inside = server.addr;
        c.dnat_ports = {21};
        c.alg = alg;
        c.outbound_allowed = false;
        NatDevice nat(c);
        std::vector<Segment> out;
        nat.process(seg(client, published, 999, 0, kSyn), true, 0, out);
        nat.process(seg(server, client, 4999, 1000, kSyn | kAck), false, 0, out);  // a reply passes
        ASSERT_EQ(out.size(), 2u);
        EXPECT_EQ(out[1].src, published);
        out.clear();
        nat.process(seg(client, published, 1000, 5000, kAck | kPsh, "PORT 203,0,113,20,195,180\r\n"), true, 0, out);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].dst, server);
        out.clear();
        // The server's active-mode SYN from port 20 is new from the inside: only the helper's
        // expectation (a related connection) lets it out, from the published address.
        nat.process(seg({server.addr, 20}, {client.addr, 50100}, 1, 0, kSyn), false, 0, out);
        if (alg == AlgVariant::kNone) {
            EXPECT_TRUE(out.empty());
            EXPECT_EQ(nat.dropped(), 1u);
        } else {
            ASSERT_EQ(out.size(), 1u);
            EXPECT_EQ(out[0].src, (net::Endpoint{kOutside, 20}));
            EXPECT_EQ(out[0].dst, (net::Endpoint{client.addr, 50100}));
        }
    }
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
