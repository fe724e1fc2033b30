// Addresses that must not appear on the public side of a NAT.
#pragma once

#include "net/endpoint.hpp"

namespace ftpsim::natcheck {

// RFC 1918 (10/8, 172.16/12, 192.168/16), IPv4 link-local (RFC 3927: 169.254/16), unique local
// IPv6 (RFC 4193: fc00::/7) and IPv6 link-local (RFC 4291 §2.5.6: fe80::/10).
bool is_private(const net::IpAddress& a);

}  // namespace ftpsim::natcheck
