#include "sim/run/network_plan.hpp"

#include <cstdio>

#include "sim/engine/client_op_table.hpp"
#include "sim/scenario/topology_paths.hpp"

namespace ftpsim::sim::run {

namespace sc = scenario;

std::string netns_host_name(const std::string& scenario_host) {
    std::string out = scenario_host;
    for (char& c : out)
        if (c == '-') c = '_';
    return out;
}

std::array<std::uint8_t, 6> derived_mac(const std::string& host) {
    // FNV-1a: stable across runs and builds (std::hash is not promised to be).
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : host) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    // 0x02: locally administered, unicast.
    return {0x02, static_cast<std::uint8_t>(h), static_cast<std::uint8_t>(h >> 8), static_cast<std::uint8_t>(h >> 16),
            static_cast<std::uint8_t>(h >> 24), static_cast<std::uint8_t>(h >> 32)};
}

namespace {

std::string mac_text(const std::array<std::uint8_t, 6>& m) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return buf;
}

void refuse_unsupported(const sc::Scenario& s) {
    const auto& t = s.topology;
    auto refuse = [&](const std::string& what) {
        throw UnsupportedScenario(s.file + ": " + what + " is not supported by the kernel network backend yet");
    };
    if (t.external_server || !s.server) refuse("an external server");
    if (const std::string why = sc::virtual_network_only(s); !why.empty())
        throw UnsupportedScenario(s.file + ": " + why + ": only the virtual network can do that (--net virtual)");
    if (s.server->host == s.client.host) refuse("client and server on the same host");
    // Hosts do not forward: the way from client to server is links and routers only.
    if (sc::next_hop(t, s.client.host, server_listen_address(s)).empty())
        refuse("a client that reaches the server only through other hosts");
    std::vector<std::string> nodes;
    for (const auto& h : t.hosts) nodes.push_back(h.name);
    for (const auto& r : t.routers) nodes.push_back(r.name);
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (std::size_t j = i + 1; j < nodes.size(); ++j)
            if (netns_host_name(nodes[i]) == netns_host_name(nodes[j]))
                throw UnsupportedScenario(s.file + ": hosts '" + nodes[i] + "' and '" + nodes[j] +
                                          "' map to the same namespace name; rename one");
}

// A host or router as a namespace: its addresses (per interface when it has several links),
// its routes, forwarding for a router.
netns::HostSpec node_spec(const sc::Topology& t, const std::string& name, const std::vector<sc::Cidr>& addresses,
                          const std::array<std::uint8_t, 6>& mac, bool router) {
    netns::HostSpec spec;
    spec.name = netns_host_name(name);
    for (const auto& a : addresses) spec.addresses.push_back(a.str());
    spec.mac = mac_text(mac);
    for (const auto& l : t.links) {
        if (l.a != name && l.b != name) continue;
        const std::string& peer = l.a == name ? l.b : l.a;
        // As the virtual network does (virtual_runner): a host keeps its one MAC on every link,
        // each interface of a router has its own.
        spec.mac_by_peer[netns_host_name(peer)] = router ? mac_text(derived_mac(name + "/" + peer)) : spec.mac.value();
    }
    for (auto& [peer, list] : addresses_by_peer(t, name)) spec.addresses_by_peer[netns_host_name(peer)] = list;
    spec.forwarding = router;
    spec.routes = routes_of(t, name);
    return spec;
}

// The peer of `host` on its only link, for capture interface "auto".
std::string only_peer(const sc::Scenario& s, const sc::CapturePoint& c) {
    std::vector<std::string> peers;
    for (const auto& l : s.topology.links) {
        if (l.a == c.host) peers.push_back(l.b);
        if (l.b == c.host) peers.push_back(l.a);
    }
    if (peers.size() != 1)
        throw UnsupportedScenario(s.file + ": capture point '" + c.name + "': host '" + c.host + "' has " +
                                  std::to_string(peers.size()) + " links; name the interface (the peer host)");
    return peers.front();
}

}  // namespace

net::IpAddress server_address(const sc::Scenario& s) {
    const net::IpAddress own = server_listen_address(s);
    if (auto published = published_address(s, own.v6)) return *published;
    return own;
}

net::IpAddress server_listen_address(const sc::Scenario& s) {
    const sc::Host* server = s.topology.find_host(s.server->host);
    const sc::Host* client = s.topology.find_host(s.client.host);
    for (const auto& sa : server->addresses)
        for (const auto& ca : client->addresses)
            if (sa.addr.v6 == ca.addr.v6) return sa.addr;
    throw UnsupportedScenario(s.file + ": the server host has no address in the client host's address family");
}

std::set<std::uint16_t> fixed_ports(const sc::Scenario& s) {
    std::set<std::uint16_t> ports(s.expect.keep_ports.begin(), s.expect.keep_ports.end());
    ports.insert(s.server->port);
    if (s.client.config.control_port != 0) ports.insert(s.client.config.control_port);
    const ServerConfig& cfg = s.server->loaded.config;
    if (cfg.active_source_port != 0) ports.insert(cfg.active_source_port);
    if (cfg.pasv_port_min != 0 && cfg.pasv_port_min == cfg.pasv_port_max) ports.insert(cfg.pasv_port_min);
    for (const auto& step : s.client.steps) {
        if (step.op.active_port != 0) ports.insert(step.op.active_port);
        ports.insert(step.local_ports.begin(), step.local_ports.end());
    }
    // Active modes take active_first_port, then the next port per transfer (client_session.hpp).
    if (std::uint32_t next = s.client.config.active_first_port; next != 0)
        for (const ClientOp& op : sc::expand_steps(s.client))
            if (client::is_transfer(op.kind) && op.active_port == 0 && next <= 65535) ports.insert(static_cast<std::uint16_t>(next++));
    return ports;
}

NetworkPlan plan_network(const sc::Scenario& s) {
    refuse_unsupported(s);
    NetworkPlan plan;
    const sc::Topology& t = s.topology;
    for (const auto& h : t.hosts) {
        plan.hosts.push_back(node_spec(t, h.name, h.addresses, h.mac ? *h.mac : derived_mac(h.name), false));
        if (h.os == sc::HostOs::kWindows) plan.windows_hosts.push_back(netns_host_name(h.name));
    }
    for (const auto& r : t.routers) plan.hosts.push_back(node_spec(t, r.name, r.addresses, derived_mac(r.name), true));
    plan.nats = plan_nats(s);
    for (const auto& l : s.topology.links) {
        plan.links.push_back({netns_host_name(l.a), netns_host_name(l.b), static_cast<int>(l.mtu)});
        if (l.latency_ms > 0 || l.bandwidth_mbps > 0) {
            plan.shaping.push_back({netns_host_name(l.a), netns_host_name(l.b), l.latency_ms, l.jitter_ms, l.bandwidth_mbps});
            plan.shaping.push_back({netns_host_name(l.b), netns_host_name(l.a), l.latency_ms, l.jitter_ms, l.bandwidth_mbps});
        }
    }
    for (const auto& c : s.topology.captures) {
        std::string peer = c.interface == "auto" ? only_peer(s, c) : c.interface;
        plan.captures.push_back({c.name, netns_host_name(c.host), netns_host_name(peer)});
    }
    if (plan.captures.empty()) throw UnsupportedScenario(s.file + ": no capture point: nothing to check");
    plan.server_host = netns_host_name(s.server->host);
    plan.client_host = netns_host_name(s.client.host);
    plan.server = {server_listen_address(s), s.server->port};
    plan.connect_to = {server_address(s), s.server->port};
    plan.keep_ports = fixed_ports(s);
    plan.faults = plan_faults(s);
    return plan;
}

}  // namespace ftpsim::sim::run
