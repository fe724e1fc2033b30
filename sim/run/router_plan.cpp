#include "sim/run/router_plan.hpp"

#include <algorithm>
#include <set>

#include "sim/run/network_plan.hpp"
#include "sim/scenario/topology_paths.hpp"

namespace ftpsim::sim::run {

namespace sc = scenario;

namespace {

// nf_conntrack_ftp's expectation policy, fixed in the module (`ftp_exp_policy`).
constexpr std::uint64_t kLinuxExpectTimeoutMs = 300000;
constexpr std::uint32_t kLinuxMaxExpected = 1;

// The host-length form of an address, for a local address nobody else has a subnet route to.
std::string host_cidr(const net::IpAddress& a) { return a.str() + (a.v6 ? "/128" : "/32"); }

bool on_link(const sc::Topology& t, const std::string& router, const std::string& peer, const net::IpAddress& a) {
    for (const auto& c : sc::interface_addresses(t, router, peer))
        if (sc::same_subnet(c, a)) return true;
    return false;
}

}  // namespace

sc::Cidr subnet_of(const sc::Cidr& c) {
    sc::Cidr n = c;
    const unsigned size = c.addr.v6 ? 16 : 4;
    for (unsigned i = 0; i < size; ++i) {
        const unsigned keep = c.prefix > i * 8 ? std::min(8u, c.prefix - i * 8) : 0;
        n.addr.bytes[i] &= static_cast<std::uint8_t>(0xff00u >> keep);
    }
    return n;
}

std::map<std::string, std::vector<std::string>> addresses_by_peer(const sc::Topology& t, const std::string& node) {
    std::map<std::string, std::vector<std::string>> out;
    const auto peers = sc::link_peers(t, node);
    if (peers.size() < 2) return out;
    std::set<std::string> placed;
    for (const auto& p : peers) {
        auto& list = out[p];
        for (const auto& c : sc::interface_addresses(t, node, p)) {
            list.push_back(c.str());
            placed.insert(c.str());
        }
    }
    for (const auto& c : sc::node_addresses(t, node))
        if (!placed.count(c.str())) out[peers.front()].push_back(c.str());
    return out;
}

std::vector<netns::RouteSpec> routes_of(const sc::Topology& t, const std::string& node) {
    // Every subnet once, with an address in it to find the way by.
    std::vector<std::pair<sc::Cidr, net::IpAddress>> subnets;
    auto collect = [&](const std::vector<sc::Cidr>& addresses) {
        for (const auto& a : addresses) {
            const sc::Cidr net = subnet_of(a);
            const bool known = std::any_of(subnets.begin(), subnets.end(), [&](const auto& s) {
                return s.first.addr == net.addr && s.first.prefix == net.prefix;
            });
            if (!known) subnets.emplace_back(net, a.addr);
        }
    };
    for (const auto& h : t.hosts) collect(h.addresses);
    for (const auto& r : t.routers) collect(r.addresses);
    std::vector<netns::RouteSpec> routes;
    const auto& mine = sc::node_addresses(t, node);
    for (const auto& [net, member] : subnets) {
        const bool attached = std::any_of(mine.begin(), mine.end(), [&](const sc::Cidr& c) { return sc::same_subnet(net, c.addr); });
        if (attached) continue;
        const std::string hop = sc::next_hop(t, node, member);
        if (hop.empty()) continue;
        const auto via = sc::interface_address(t, hop, node, net.addr.v6);
        // A gateway must be on-link: in a subnet of the node's own addresses on that link.
        if (!via) continue;
        const auto near = sc::interface_addresses(t, node, hop);
        if (std::none_of(near.begin(), near.end(), [&](const sc::Cidr& c) { return sc::same_subnet(c, *via); })) continue;
        routes.push_back({net.str(), via->str()});
    }
    return routes;
}

std::optional<net::IpAddress> published_address(const sc::Scenario& s, bool v6) {
    const sc::Topology& t = s.topology;
    for (const auto& r : t.routers) {
        if (!r.nat || r.nat->type != sc::Nat::Type::kDnat) continue;
        const sc::Nat& nat = *r.nat;
        // The inside address the NAT leads to must be the server's.
        if (!nat.to.empty() && (nat.to[0].v6 != v6 || sc::owner_of(t, nat.to[0]) != s.server->host)) continue;
        const std::string outside = sc::nat_outside(t, r, s.client.host, s.server->host);
        if (nat.address) {
            if (nat.address->v6 == v6) return nat.address;
            continue;
        }
        if (auto a = sc::interface_address(t, r.name, outside, v6)) return a;
    }
    return std::nullopt;
}

std::vector<PlannedNat> plan_nats(const sc::Scenario& s) {
    const sc::Topology& t = s.topology;
    std::vector<PlannedNat> out;
    for (const auto& r : t.routers) {
        if (!r.nat || !r.nat->netfilter) continue;
        const sc::Nat& nat = *r.nat;
        auto refuse = [&](const std::string& why) {
            throw UnsupportedScenario(s.file + ": router '" + r.name + "': " + why);
        };
        if (!nat.paired) refuse("paired: false: Linux netfilter picks a pool address per pair of addresses, always paired");
        if (nat.expect_timeout_ms != kLinuxExpectTimeoutMs || nat.max_expected != kLinuxMaxExpected)
            refuse("expect_timeout_ms and max_expected are fixed in Linux's nf_conntrack_ftp (300000 ms, 1)");
        const std::string outside = sc::nat_outside(t, r, s.client.host, s.server->host);
        if (outside.empty()) refuse("no outside interface: the way to the " + std::string(nat.type == sc::Nat::Type::kDnat ? "client" : "server") + " does not cross it");
        PlannedNat p;
        p.router = netns_host_name(r.name);
        p.rules.type = nat.type;
        p.rules.outside = netns_host_name(outside);
        for (const auto& peer : sc::link_peers(t, r.name))
            if (peer != outside) p.rules.inside.push_back(netns_host_name(peer));
        if (nat.alg == sc::Nat::Alg::kLinux || nat.helper_as_match) p.rules.helper_ports = nat.ports;
        p.rules.helper_as_match = nat.helper_as_match;
        p.rules.outbound_drop = !nat.outbound_allowed;
        auto answer_for = [&](const net::IpAddress& a) {
            if (!sc::owner_of(t, a).empty()) return;
            if (!on_link(t, r.name, outside, a))
                refuse(a.str() + " is not in the subnet of the outside link (towards '" + outside + "'): nothing could route it");
            p.extra_addresses.push_back(host_cidr(a));
        };
        if (nat.type == sc::Nat::Type::kSnat) {
            p.rules.snat_to = nat.to;
            for (const auto& a : nat.to) answer_for(a);
        } else if (nat.type == sc::Nat::Type::kDnat) {
            p.rules.dnat_port = s.server->port;
            for (bool v6 : {false, true}) {
                std::optional<net::IpAddress> published =
                    nat.address ? (nat.address->v6 == v6 ? nat.address : std::nullopt) : sc::interface_address(t, r.name, outside, v6);
                std::optional<net::IpAddress> to;
                if (!nat.to.empty()) {
                    if (nat.to[0].v6 == v6) to = nat.to[0];
                } else if (const sc::Host* server = t.find_host(s.server->host)) {
                    for (const auto& a : server->addresses)
                        if (!to && a.addr.v6 == v6) to = a.addr;
                }
                if (!published || !to) continue;
                p.rules.dnat.push_back({*published, *to});
                answer_for(*published);
            }
            if (p.rules.dnat.empty()) refuse("dnat: no published address and inside address in one family");
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace ftpsim::sim::run
