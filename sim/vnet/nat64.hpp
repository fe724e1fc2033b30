// What a stateful NAT64 (RFC 6146) does to addresses and IP headers, apart from the connection
// tracking it shares with the other NATs (nat.hpp): the IPv4 address a client names inside an
// IPv6 prefix (RFC 6052 §2.2, the /96 form only, e.g. 64:ff9b::203.0.113.10), and the header
// translation of RFC 7915 (§4 IPv4 -> IPv6, §5 IPv6 -> IPv4) for a TCP segment. The TCP header
// is carried as it is; its checksum covers the new pseudo-header, which the frame encoder
// computes from the segment's addresses anyway.
#pragma once

#include <cstdint>

#include "net/endpoint.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::vnet {

// The /96 prefix 64:ff9b::/96, RFC 6052 §2.1's Well-Known Prefix.
net::IpAddress nat64_well_known_prefix();

// Whether the IPv6 address `a` lies in the /96 `prefix`.
bool in_nat64_prefix(const net::IpAddress& a, const net::IpAddress& prefix);
// `v4` embedded in the /96 `prefix` (its last 32 bits), and back.
net::IpAddress embed_ipv4(const net::IpAddress& prefix, const net::IpAddress& v4);
net::IpAddress extract_ipv4(const net::IpAddress& embedded);

// RFC 7915 §5.1: the IPv6 segment `s`, its addresses already IPv4, becomes an IPv4 packet: TTL
// = hop limit (the router decrements it once, as for any forwarded packet), no options, DF set
// only when the IPv4 packet is larger than 1260 bytes (a smaller one may be fragmented on the
// IPv4 side and still fit the IPv6 minimum MTU of 1280 on the way back), and an Identification
// from `next_id` when DF is clear (RFC 6864 §4.1: an atomic datagram's ID carries nothing: 0).
void translate_to_ipv4(Segment& s, std::uint16_t& next_id);
// RFC 7915 §4.1: the IPv4 segment `s`, its addresses already IPv6: hop limit = TTL, traffic
// class and flow label 0 (as the frame encoder writes them), no Fragment header.
void translate_to_ipv6(Segment& s);

}  // namespace ftpsim::sim::vnet
