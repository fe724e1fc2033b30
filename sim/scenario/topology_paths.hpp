// Facts both network backends derive from a topology the same way: which of a node's addresses
// sit on which of its links, where a packet for an address goes next, and which interface of a
// NAT router is its outside. Pure functions of the scenario: the virtual network builds its
// forwarding tables from them, the kernel backend its `ip route` and nftables commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::scenario {

// `addr` lies in the subnet of `net` (same family, same first net.prefix bits).
bool same_subnet(const Cidr& net, const net::IpAddress& addr);

// The addresses of a node (host or router).
const std::vector<Cidr>& node_addresses(const Topology& t, const std::string& node);
// The peers a node has a link to, in the order the links are written.
std::vector<std::string> link_peers(const Topology& t, const std::string& node);
// The node's addresses on its link to `peer`: those sharing a subnet with one of the peer's
// addresses; for a node with a single link, all of them.
std::vector<Cidr> interface_addresses(const Topology& t, const std::string& node, const std::string& peer);
// The node that owns `addr`, or "".
std::string owner_of(const Topology& t, const net::IpAddress& addr);
// The peer a packet from `node` to `addr` is sent to next (shortest path in links, ties broken
// by the order links are written), or "" when `addr` is the node's own or unreachable.
std::string next_hop(const Topology& t, const std::string& node, const net::IpAddress& addr);
// A NAT router's outside interface, by its peer: nat.outside, or the link on the way to the
// server's host (masquerade, snat) or to the client's host (dnat).
std::string nat_outside(const Topology& t, const Router& router, const std::string& client_host,
                        const std::string& server_host);
// The node's first address in the family of `v6` on its link to `peer`, if any.
std::optional<net::IpAddress> interface_address(const Topology& t, const std::string& node, const std::string& peer,
                                                bool v6);

}  // namespace ftpsim::sim::scenario
