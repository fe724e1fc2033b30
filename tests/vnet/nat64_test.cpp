// The virtual NAT64 (RFC 6146) at segment level: the IPv6 client's connection to the prefix
// (RFC 6052) leaves as IPv4 from the device's address and comes back as IPv6, the headers
// translated as RFC 7915 says; nothing from the IPv4 side gets in unasked; and, with no FTP
// ALG (failure 8 of nat-alg.md), an EPRT naming the client's IPv6 address crosses unchanged.
#include <gtest/gtest.h>

#include "sim/vnet/nat.hpp"
#include "vnet/segment_builders.hpp"
#include "sim/vnet/nat64.hpp"

namespace ftpsim::sim::vnet::test {
namespace {

const net::Endpoint kClient{ip("2001:db8:1::5"), 40000};
const net::Endpoint kServerV6{ip("64:ff9b::203.0.113.10"), 21};  // as DNS64 gives it
const net::Endpoint kServer{ip("203.0.113.10"), 21};
const net::IpAddress kOutside = ip("203.0.113.1");


NatConfig nat64() {
    NatConfig c;
    c.type = NatConfig::Type::kNat64;
    c.outside_link = 1;
    c.pool = {kOutside};
    c.nat64_prefix = nat64_well_known_prefix();
    c.alg = AlgVariant::kNone;
    return c;
}

struct Translator {
    NatDevice nat{nat64()};
    std::vector<Segment> inside(Segment s) { return through(std::move(s), false); }
    std::vector<Segment> outside(Segment s) { return through(std::move(s), true); }
    std::vector<Segment> through(Segment s, bool from_outside) {
        std::vector<Segment> out;
        nat.process(std::move(s), from_outside, 0, out);
        return out;
    }
};

TEST(Nat64Address, WellKnownPrefixEmbedsTheIpv4AddressInTheLast32Bits) {
    const net::IpAddress p = nat64_well_known_prefix();
    EXPECT_EQ(p.str(), "64:ff9b::");
    EXPECT_EQ(embed_ipv4(p, kServer.addr), kServerV6.addr);  // RFC 6052 §2.4's example form
    EXPECT_EQ(extract_ipv4(kServerV6.addr), kServer.addr);
    EXPECT_TRUE(in_nat64_prefix(kServerV6.addr, p));
    EXPECT_FALSE(in_nat64_prefix(ip("2001:db8:2::10"), p));
    EXPECT_FALSE(in_nat64_prefix(kServer.addr, p));
}

TEST(Nat64, Ipv6ConnectionToThePrefixLeavesAsIpv4AndRepliesComeBackAsIpv6) {
    Translator t;
    Segment syn = seg(kClient, kServerV6, 999, 0, kSyn);
    syn.mss = 1440;
    syn.ttl = 63;
    auto out = t.inside(syn);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].src, (net::Endpoint{kOutside, kClient.port}));  // port kept, as masquerade
    EXPECT_EQ(out[0].dst, kServer);
    EXPECT_EQ(out[0].ttl, 63);  // RFC 7915 §5.1: TTL from the hop limit
    ASSERT_TRUE(out[0].mss);
    EXPECT_EQ(*out[0].mss, 1440);  // the IPv6 client's MSS keeps the server's segments small enough
    // A small packet: DF clear and an Identification (RFC 7915 §5.1).
    EXPECT_FALSE(out[0].df);
    ASSERT_TRUE(out[0].ip_id);

    Segment synack = seg(kServer, {kOutside, kClient.port}, 4999, 1000, kSyn | kAck);
    synack.ip_id = 77;
    out = t.outside(synack);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].src, kServerV6);
    EXPECT_EQ(out[0].dst, kClient);
    EXPECT_FALSE(out[0].ip_id);  // IPv6 has none
    // The frames carry each side's family, with checksums over its own pseudo-header.
    const auto v6 = encode_frame(out[0], {});
    EXPECT_EQ(v6[12], 0x86);
    EXPECT_EQ(v6.size(), 14u + 40 + 20);
}

TEST(Nat64, LargeTranslatedPacketsKeepDontFragment) {
    Translator t;
    t.inside(seg(kClient, kServerV6, 999, 0, kSyn));
    t.outside(seg(kServer, {kOutside, kClient.port}, 4999, 1000, kSyn | kAck));
    // 1400 payload bytes: 1440 as IPv4, above RFC 7915's 1260.
    auto out = t.inside(seg(kClient, kServerV6, 1000, 5000, kAck, std::string(1400, 'x')));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(out[0].df);
    EXPECT_EQ(ip_packet_length(out[0]), 20u + 20 + 1400);
    const auto frame = encode_frame(out[0], {});
    EXPECT_EQ(frame[14 + 6] & 0x40, 0x40);
}

TEST(Nat64, TheIpv4SideCannotOpenConnectionsAndOtherIpv6DestinationsAreNotTranslated) {
    Translator t;
    EXPECT_TRUE(t.outside(seg({kServer.addr, 20}, {kOutside, 50100}, 1, 0, kSyn)).empty());
    EXPECT_TRUE(t.inside(seg(kClient, {ip("2001:db8:2::10"), 21}, 1, 0, kSyn)).empty());
    EXPECT_EQ(t.nat.dropped(), 2u);
}

TEST(Nat64, WithoutAnAlgEprtCrossesUnchangedAndNoDataConnectionIsExpected) {
    Translator t;
    t.inside(seg(kClient, kServerV6, 999, 0, kSyn));
    t.outside(seg(kServer, {kOutside, kClient.port}, 4999, 1000, kSyn | kAck));
    auto out = t.inside(seg(kClient, kServerV6, 1000, 5000, kAck | kPsh, "EPRT |2|2001:db8:1::5|50100|\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "EPRT |2|2001:db8:1::5|50100|\r\n");  // RFC 6384 §3 would rewrite it
    EXPECT_EQ(out[0].src.addr, kOutside);
    // The 229 of an EPSV has no address: it needs no ALG, and the client's connection to the
    // control connection's address and that port is a new IPv6 connection to the prefix.
    out = t.outside(seg(kServer, {kOutside, kClient.port}, 5000, 1031, kAck | kPsh,
                        "229 Entering Extended Passive Mode (|||40000|)\r\n"));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].payload, "229 Entering Extended Passive Mode (|||40000|)\r\n");
    out = t.inside(seg({kClient.addr, 40001}, {kServerV6.addr, 40000}, 1, 0, kSyn));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].dst, (net::Endpoint{kServer.addr, 40000}));
}

}  // namespace
}  // namespace ftpsim::sim::vnet::test
