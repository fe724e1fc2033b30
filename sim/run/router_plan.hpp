// The kernel backend's plan for a topology with routers: which addresses go on which interface,
// the routes every namespace gets (one per subnet it is not on, via the next hop: no default
// route, so traffic goes nowhere but between our namespaces), and each Linux netfilter NAT as
// nftables rules. Pure functions of the scenario, on top of sim/scenario/topology_paths.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/netns/topology.hpp"
#include "sim/run/nft_ruleset.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// A netfilter NAT router: its rules (interface fields hold the peers' namespace host names until
// host setup puts the interface names in), and the addresses the NAT answers for that no node
// owns (an snat pool, a dnat published address), added to the outside interface with a
// host-length prefix so the router answers ARP / neighbour solicitation for them.
struct PlannedNat {
    std::string router;  // netns host name
    NatRules rules;
    std::vector<std::string> extra_addresses;  // "203.0.113.50/32"
};

// The subnet a CIDR lies in, host bits cleared ("203.0.113.10/24" -> 203.0.113.0/24).
scenario::Cidr subnet_of(const scenario::Cidr& c);

// A node's addresses per link, keyed by the peer's scenario name, for a node with two or more
// links (each address on the link whose peer shares its subnet; one sharing no subnet goes on
// the first link). Empty for a node with one link: all its addresses go there.
std::map<std::string, std::vector<std::string>> addresses_by_peer(const scenario::Topology& t, const std::string& node);

// One route per subnet of the topology the node has no address in and can reach: via the next
// hop's address (in the subnet's family) on the link they share.
std::vector<netns::RouteSpec> routes_of(const scenario::Topology& t, const std::string& node);

// The address a dnat router in front of the server publishes for it in the family `v6`, if the
// client's way to the server crosses one: `nat.address`, else the router's outside address.
std::optional<net::IpAddress> published_address(const scenario::Scenario& s, bool v6);

// Every router's netfilter NAT. Throws UnsupportedScenario for what netfilter does not do
// (paired: false, an expectation policy other than nf_conntrack_ftp's) or cannot be routed.
std::vector<PlannedNat> plan_nats(const scenario::Scenario& s);

}  // namespace ftpsim::sim::run
