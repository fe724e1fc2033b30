#include "sim/vnet/nat64.hpp"

#include <algorithm>

namespace ftpsim::sim::vnet {

net::IpAddress nat64_well_known_prefix() {
    net::IpAddress p;
    p.v6 = true;
    p.bytes[1] = 0x64;  // 64:ff9b::/96
    p.bytes[2] = 0xff;
    p.bytes[3] = 0x9b;
    return p;
}

bool in_nat64_prefix(const net::IpAddress& a, const net::IpAddress& prefix) {
    return a.v6 && prefix.v6 && std::equal(a.bytes.begin(), a.bytes.begin() + 12, prefix.bytes.begin());
}

net::IpAddress embed_ipv4(const net::IpAddress& prefix, const net::IpAddress& v4) {
    // RFC 6052 §2.2: with a /96 prefix the IPv4 address is bits 96..127, no "u" octet.
    net::IpAddress a = prefix;
    a.v6 = true;
    std::copy(v4.bytes.begin(), v4.bytes.begin() + 4, a.bytes.begin() + 12);
    return a;
}

net::IpAddress extract_ipv4(const net::IpAddress& embedded) {
    return net::IpAddress::from_v4_bytes(embedded.bytes.data() + 12);
}

void translate_to_ipv4(Segment& s, std::uint16_t& next_id) {
    // Measured with the IPv4 header: the segment's addresses are IPv4 already.
    s.df = ip_packet_length(s) > 1260;
    s.ip_id = s.df ? std::uint16_t{0} : next_id++;
}

void translate_to_ipv6(Segment& s) {
    s.ip_id.reset();
    s.df = true;  // no meaning in IPv6; the default, so the segment compares as any other
}

}  // namespace ftpsim::sim::vnet
