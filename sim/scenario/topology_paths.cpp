#include "sim/scenario/topology_paths.hpp"

#include <deque>
#include <map>

namespace ftpsim::sim::scenario {

bool same_subnet(const Cidr& net, const net::IpAddress& addr) {
    if (net.addr.v6 != addr.v6) return false;
    const unsigned bits = net.prefix;
    const auto& x = net.addr.bytes;
    const auto& y = addr.bytes;
    for (unsigned i = 0; i < bits / 8; ++i)
        if (x[i] != y[i]) return false;
    if (bits % 8 == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff00u >> (bits % 8));
    return (x[bits / 8] & mask) == (y[bits / 8] & mask);
}

const std::vector<Cidr>& node_addresses(const Topology& t, const std::string& node) {
    static const std::vector<Cidr> kNone;
    if (const Host* h = t.find_host(node)) return h->addresses;
    if (const Router* r = t.find_router(node)) return r->addresses;
    return kNone;
}

std::vector<std::string> link_peers(const Topology& t, const std::string& node) {
    std::vector<std::string> peers;
    for (const auto& l : t.links) {
        if (l.a == node) peers.push_back(l.b);
        if (l.b == node) peers.push_back(l.a);
    }
    return peers;
}

std::vector<Cidr> interface_addresses(const Topology& t, const std::string& node, const std::string& peer) {
    const auto& mine = node_addresses(t, node);
    if (link_peers(t, node).size() == 1) return mine;
    std::vector<Cidr> out;
    for (const auto& a : mine) {
        bool shared = false;
        for (const auto& p : node_addresses(t, peer)) shared = shared || same_subnet(a, p.addr) || same_subnet(p, a.addr);
        if (shared) out.push_back(a);
    }
    return out;
}

std::optional<net::IpAddress> interface_address(const Topology& t, const std::string& node, const std::string& peer,
                                                bool v6) {
    for (const auto& a : interface_addresses(t, node, peer))
        if (a.addr.v6 == v6) return a.addr;
    return std::nullopt;
}

std::string owner_of(const Topology& t, const net::IpAddress& addr) {
    for (const auto& h : t.hosts)
        for (const auto& a : h.addresses)
            if (a.addr == addr) return h.name;
    for (const auto& r : t.routers)
        for (const auto& a : r.addresses)
            if (a.addr == addr) return r.name;
    return "";
}

std::string next_hop(const Topology& t, const std::string& node, const net::IpAddress& addr) {
    const std::string target = owner_of(t, addr);
    if (target.empty() || target == node) return "";
    // Breadth-first from the node, remembering each reached node's first hop.
    std::map<std::string, std::string> first_hop;
    std::deque<std::string> todo;
    for (const auto& p : link_peers(t, node)) {
        if (first_hop.emplace(p, p).second) todo.push_back(p);
    }
    while (!todo.empty()) {
        const std::string at = todo.front();
        todo.pop_front();
        if (at == target) return first_hop[at];
        // Hosts do not forward: only routers carry traffic on.
        if (!t.find_router(at)) continue;
        for (const auto& p : link_peers(t, at))
            if (p != node && first_hop.emplace(p, first_hop[at]).second) todo.push_back(p);
    }
    return "";
}

std::string nat_outside(const Topology& t, const Router& router, const std::string& client_host,
                        const std::string& server_host) {
    if (router.nat && !router.nat->outside.empty()) return router.nat->outside;
    const bool dnat = router.nat && router.nat->type == Nat::Type::kDnat;
    const std::string& far = dnat ? client_host : server_host;
    const auto& addresses = node_addresses(t, far);
    for (const auto& a : addresses)
        if (std::string hop = next_hop(t, router.name, a.addr); !hop.empty()) return hop;
    return "";
}

}  // namespace ftpsim::sim::scenario
