#include "sim/run/virtual_runner.hpp"

#include <filesystem>
#include <sstream>

#include "golden/atomic_file.hpp"
#include "sim/config/memory_tree.hpp"
#include "sim/run/fault_plan.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/run/run_log.hpp"
#include "sim/run/unhappened_faults.hpp"
#include "sim/scenario/topology_paths.hpp"
#include "sim/vnet/nat64.hpp"

namespace ftpsim::sim::run {

namespace {

namespace sc = scenario;
namespace fs = std::filesystem;

// An unlimited link still serialises frames: 10 Gbit/s, as a veth pair is effectively.
constexpr std::uint64_t kUnlimitedBitsPerSecond = 10'000'000'000ULL;

vnet::HostConfig host_config(const sc::Host& h) {
    vnet::HostConfig c;
    c.name = h.name;
    bool have_v4 = false, have_v6 = false;
    for (const auto& a : h.addresses) {  // the first address of each family
        bool& have = a.addr.v6 ? have_v6 : have_v4;
        if (!have) (a.addr.v6 ? c.ipv6 : c.ipv4) = a.addr;
        have = true;
    }
    c.mac = h.mac ? *h.mac : derived_mac(h.name);
    if (h.os == sc::HostOs::kWindows) c.tcp = vnet::windows_profile();
    return c;
}

vnet::Impairment::Kind vnet_kind(sc::Impairment::Kind k) {
    using V = vnet::Impairment::Kind;
    switch (k) {
        case sc::Impairment::Kind::kDrop: return V::kDrop;
        case sc::Impairment::Kind::kDuplicate: return V::kDuplicate;
        case sc::Impairment::Kind::kSplit: return V::kSplit;
        case sc::Impairment::Kind::kReorder: return V::kReorder;
        case sc::Impairment::Kind::kDelay: return V::kDelay;
    }
    return V::kDrop;
}

vnet::LinkConfig link_config(const sc::Link& link) {
    vnet::LinkConfig c;
    c.mtu = link.mtu;
    c.latency = static_cast<Nanos>(link.latency_ms * static_cast<double>(kMillisecond));
    c.jitter = static_cast<Nanos>(link.jitter_ms * static_cast<double>(kMillisecond));
    c.bits_per_second = link.bandwidth_mbps > 0 ? static_cast<std::uint64_t>(link.bandwidth_mbps * 1e6) : kUnlimitedBitsPerSecond;
    return c;
}

const sc::Link& direct_link(const sc::Scenario& s) {
    const std::string& a = s.client.host;
    const std::string& b = s.server->host;
    for (const auto& l : s.topology.links)
        if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return l;
    throw UnsupportedScenario(s.file + ": the virtual network needs the client and the server on one direct link "
                                       "or routers between them");
}

vnet::AlgVariant vnet_alg(sc::Nat::Alg a) {
    using A = sc::Nat::Alg;
    using V = vnet::AlgVariant;
    switch (a) {
        case A::kCorrect: return V::kCorrect;
        case A::kNone: return V::kNone;
        case A::kLinux: return V::kLinux;
        case A::kNoSeqFixup: return V::kNoSeqFixup;
        case A::kFirstCommandOnly: return V::kFirstCommandOnly;
        case A::kDropSplitCommand: return V::kDropSplitCommand;
        case A::kWrongPort: return V::kWrongPort;
    }
    return V::kNone;
}

// The network's node of a scenario host or router: 0 the client, 1 the server, 2 + i router i.
int node_of(const sc::Scenario& s, const std::string& name) {
    if (name == s.client.host) return 0;
    if (name == s.server->host) return 1;
    for (std::size_t i = 0; i < s.topology.routers.size(); ++i)
        if (s.topology.routers[i].name == name) return static_cast<int>(2 + i);
    throw UnsupportedScenario(s.file + ": host '" + name + "' is neither the client's nor the server's: the virtual "
                                       "network runs only those two and routers");
}

std::size_t link_index(const sc::Scenario& s, const std::string& a, const std::string& b) {
    for (std::size_t i = 0; i < s.topology.links.size(); ++i) {
        const auto& l = s.topology.links[i];
        if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return i;
    }
    throw UnsupportedScenario(s.file + ": no link between '" + a + "' and '" + b + "'");
}

// Every subnet of the topology, as a route from `node`: on-link where the node has an address
// in it, else towards the next hop (topology_paths.hpp). The kernel backend installs the same.
std::vector<vnet::Route> routes_of(const sc::Scenario& s, const std::string& node) {
    std::vector<vnet::Route> routes;
    std::vector<sc::Cidr> subnets;
    auto add_subnets = [&](const std::vector<sc::Cidr>& addresses) {
        for (const auto& a : addresses) {
            sc::Cidr net = a;
            for (unsigned i = 0; i < 16; ++i) {
                const unsigned bits = a.prefix > 8 * i ? std::min(8u, a.prefix - 8 * i) : 0;
                net.addr.bytes[i] &= static_cast<std::uint8_t>(0xff00u >> bits);
            }
            bool known = false;
            for (const auto& n : subnets) known = known || (n.addr == net.addr && n.prefix == net.prefix);
            if (!known) subnets.push_back(net);
        }
    };
    for (const auto& h : s.topology.hosts) add_subnets(h.addresses);
    for (const auto& r : s.topology.routers) add_subnets(r.addresses);
    for (const auto& net : subnets) {
        std::string peer;
        for (const auto& p : sc::link_peers(s.topology, node))
            for (const auto& a : sc::interface_addresses(s.topology, node, p))
                if (peer.empty() && sc::same_subnet(net, a.addr)) {
                    // On this link: the peer sharing the subnet.
                    for (const auto& pa : sc::node_addresses(s.topology, p))
                        if (sc::same_subnet(net, pa.addr)) peer = p;
                }
        if (peer.empty()) {
            for (const auto& n : s.topology.hosts)
                for (const auto& a : n.addresses)
                    if (peer.empty() && sc::same_subnet(net, a.addr)) peer = sc::next_hop(s.topology, node, a.addr);
            for (const auto& n : s.topology.routers)
                for (const auto& a : n.addresses)
                    if (peer.empty() && sc::same_subnet(net, a.addr)) peer = sc::next_hop(s.topology, node, a.addr);
        }
        if (!peer.empty()) routes.push_back({net.addr, net.prefix, link_index(s, node, peer)});
    }
    return routes;
}

vnet::NatConfig nat_config(const sc::Scenario& s, const sc::Router& router, const net::IpAddress& server) {
    const sc::Nat& nat = *router.nat;
    const std::string outside = sc::nat_outside(s.topology, router, s.client.host, s.server->host);
    if (outside.empty()) throw UnsupportedScenario(s.file + ": router '" + router.name + "': no outside interface");
    vnet::NatConfig c;
    c.outside_link = link_index(s, router.name, outside);
    c.type = nat.type == sc::Nat::Type::kMasquerade ? vnet::NatConfig::Type::kMasquerade
             : nat.type == sc::Nat::Type::kSnat     ? vnet::NatConfig::Type::kSnat
             : nat.type == sc::Nat::Type::kNat64    ? vnet::NatConfig::Type::kNat64
                                                    : vnet::NatConfig::Type::kDnat;
    const auto outside_v4 = sc::interface_address(s.topology, router.name, outside, false);
    const auto outside_v6 = sc::interface_address(s.topology, router.name, outside, true);
    if (nat.type == sc::Nat::Type::kNat64) {
        // RFC 6146 §3.5.2.1: the IPv4 transport addresses come from the device's pool, here its
        // outside interface's IPv4 address.
        if (!outside_v4) throw UnsupportedScenario(s.file + ": router '" + router.name + "': a nat64 needs an IPv4 address on its outside interface");
        c.pool = {*outside_v4};
        c.nat64_prefix = nat.prefix.addr;
    } else if (nat.type == sc::Nat::Type::kMasquerade) {
        if (outside_v4) c.pool.push_back(*outside_v4);
        if (outside_v6) c.pool.push_back(*outside_v6);
    } else if (nat.type == sc::Nat::Type::kSnat) {
        c.pool = nat.to;
    } else {
        const auto published = nat.address ? nat.address : server.v6 ? outside_v6 : outside_v4;
        if (!published) throw UnsupportedScenario(s.file + ": router '" + router.name + "': no address to publish");
        c.published = *published;
        c.inside = nat.to.empty() ? server : nat.to.front();
        c.dnat_ports = {s.server->port};
    }
    c.control_ports = nat.ports;
    c.alg = vnet_alg(nat.alg);
    c.paired = nat.paired;
    c.expect_timeout_ns = static_cast<std::int64_t>(nat.expect_timeout_ms) * 1'000'000;
    c.max_expected = nat.max_expected;
    c.outbound_allowed = nat.outbound_allowed;
    return c;
}

// The NAT64 router the client reaches an IPv4-only server through, if any.
const sc::Router* nat64_router(const sc::Scenario& s) {
    for (const auto& r : s.topology.routers)
        if (r.nat && r.nat->type == sc::Nat::Type::kNat64) return &r;
    return nullptr;
}

// Whether the client and the server hosts have an address family in common.
bool share_a_family(const sc::Scenario& s) {
    for (const auto& sa : s.topology.find_host(s.server->host)->addresses)
        for (const auto& ca : s.topology.find_host(s.client.host)->addresses)
            if (sa.addr.v6 == ca.addr.v6) return true;
    return false;
}

// Every node but the NAT64 itself sends to its prefix (RFC 6052) towards it: the client, and
// routers between (the server's side is IPv4 and sees only the device's IPv4 address).
void add_nat64_routes(const sc::Scenario& s, const sc::Router& nat64, vnet::NetworkConfig& n) {
    const net::IpAddress via = nat64.addresses.front().addr;
    auto route_from = [&](const std::string& node) -> std::optional<vnet::Route> {
        const std::string hop = sc::next_hop(s.topology, node, via);
        if (hop.empty()) return std::nullopt;
        return vnet::Route{nat64.nat->prefix.addr, nat64.nat->prefix.prefix, link_index(s, node, hop)};
    };
    if (auto r = route_from(s.client.host)) n.host_routes[0].push_back(*r);
    for (std::size_t i = 0; i < s.topology.routers.size(); ++i)
        if (&s.topology.routers[i] != &nat64)
            if (auto r = route_from(s.topology.routers[i].name)) n.routers[i].routes.push_back(*r);
}

void plan_routed(const sc::Scenario& s, const net::IpAddress& server, VirtualPlan& plan) {
    vnet::NetworkConfig& n = plan.network.network;
    for (const auto& l : s.topology.links) {
        if (l.reorder > 0)
            throw UnsupportedScenario(s.file + ": link reorder with routers is not supported by the virtual network");
        vnet::LinkSpec spec;
        spec.a = node_of(s, l.a);
        spec.b = node_of(s, l.b);
        auto mac = [&](const std::string& node, const std::string& peer) {
            const sc::Host* h = s.topology.find_host(node);
            if (h) return h->mac ? *h->mac : derived_mac(h->name);
            return derived_mac(node + "/" + peer);  // one per router interface
        };
        spec.mac_a = mac(l.a, l.b);
        spec.mac_b = mac(l.b, l.a);
        spec.config = link_config(l);
        spec.loss_probability = l.loss;
        n.links.push_back(spec);
    }
    n.host_routes[0] = routes_of(s, s.client.host);
    n.host_routes[1] = routes_of(s, s.server->host);
    for (const auto& r : s.topology.routers) {
        vnet::RouterConfig rc;
        rc.name = r.name;
        rc.routes = routes_of(s, r.name);
        for (const auto& a : r.addresses) rc.addresses.push_back(a.addr);
        if (r.nat) {
            rc.nat = nat_config(s, r, server);
            // The kernel backend puts pool and published addresses on the outside interface.
            for (const auto& a : rc.nat->pool) rc.addresses.push_back(a);
            if (rc.nat->type == vnet::NatConfig::Type::kDnat) rc.addresses.push_back(rc.nat->published);
        }
        n.routers.push_back(std::move(rc));
    }
    if (const sc::Router* nat64 = nat64_router(s)) add_nat64_routes(s, *nat64, n);
}

// The IPv4 server's address a NAT64 leads to.
net::IpAddress nat64_server_address(const sc::Scenario& s) {
    for (const auto& a : s.topology.find_host(s.server->host)->addresses)
        if (!a.addr.v6) return a.addr;
    throw UnsupportedScenario(s.file + ": the server is behind a nat64 but has no IPv4 address");
}

}  // namespace

VirtualPlan plan_virtual(const sc::Scenario& s) {
    auto refuse = [&](const std::string& what) {
        throw UnsupportedScenario(s.file + ": " + what + " is not supported by the virtual network yet");
    };
    if (s.topology.external_server || !s.server) refuse("an external server");
    if (s.server->host == s.client.host) refuse("client and server on the same host");
    const bool routed = !s.topology.routers.empty();

    VirtualPlan plan;
    vnet::NetworkConfig& n = plan.network.network;
    n.seed = s.seed;
    n.hosts[0] = host_config(*s.topology.find_host(s.client.host));
    n.hosts[1] = host_config(*s.topology.find_host(s.server->host));
    n.start_time_ns = s.start_time * 1'000'000'000LL + s.start_time_ns;
    // The server listens on its own address; the client connects to server_address(), a DNAT's
    // published address when one fronts the server.
    const sc::Router* nat64 = nat64_router(s);
    const bool through_nat64 = nat64 && !share_a_family(s);
    // Through a NAT64 the IPv6-only client connects to the IPv4 server's address embedded in
    // the prefix (RFC 6052 §2.2: 64:ff9b::203.0.113.10), as DNS64 would have told it.
    const net::IpAddress server = through_nat64 ? nat64_server_address(s) : server_listen_address(s);
    if (through_nat64) plan.network.connect_to = vnet::embed_ipv4(nat64->nat->prefix.addr, server);
    else if (const net::IpAddress connect = server_address(s); connect != server) plan.network.connect_to = connect;
    if (routed) {
        plan_routed(s, server, plan);
    } else {
        // Two hosts on one link: the network's own two-host form.
        const sc::Link& link = direct_link(s);
        n.link = link_config(link);
        n.loss_probability = link.loss;
        n.reorder_probability = link.reorder;
    }
    for (const auto& c : s.topology.captures) {
        std::string peer = c.interface;
        if (peer == "auto") {
            const auto peers = sc::link_peers(s.topology, c.host);
            if (peers.size() != 1)
                throw UnsupportedScenario(s.file + ": capture point '" + c.name + "': name the interface");
            peer = peers.front();
        }
        vnet::CaptureSpec spec;
        spec.node = node_of(s, c.host);
        spec.link = routed ? link_index(s, c.host, peer) : 0;
        if (!routed && !((c.host == s.client.host && peer == s.server->host) || (c.host == s.server->host && peer == s.client.host)))
            throw UnsupportedScenario(s.file + ": capture point '" + c.name + "' is off the client-server link");
        plan.capture_points.push_back(c.name);
        plan.captures.push_back(spec);
    }
    if (plan.capture_points.empty()) throw UnsupportedScenario(s.file + ": no capture point: nothing to check");
    for (const auto& i : s.impairments) {
        vnet::Impairment v;
        v.kind = vnet_kind(i.kind);
        v.segment = {i.connection, i.segment, i.any_segment};
        v.split_at = i.at_byte;
        v.delay = static_cast<Nanos>(i.ms) * kMillisecond;
        n.impairments.push_back(v);
    }
    plan.network.ipv6 = server.v6;
    plan.network.server_port = s.server->port;

    FaultPlan faults = plan_faults(s);
    plan.ops = std::move(faults.ops);
    plan.network.syn_drops = faults.syn_drops;
    plan.server = s.server->loaded.config;
    plan.server.faults.insert(plan.server.faults.end(), faults.server_faults.begin(), faults.server_faults.end());
    plan.keep_ports = fixed_ports(s);
    return plan;
}

std::string virtual_capture_path(const sc::Scenario& s, const std::string& out_dir, const std::string& point) {
    return (fs::path(out_dir) / (s.name + "." + point + ".pcap")).string();
}

VirtualRunResult run_on_virtual(const sc::Scenario& s, const VirtualPlan& plan, const std::string& out_dir,
                                const std::vector<vnet::FrameTap*>& taps, vnet::SessionLedger* ledger) {
    VirtualRunResult result;
    std::vector<vnet::CaptureSpec> captures = plan.captures;
    for (std::size_t i = 0; i < captures.size(); ++i) {
        captures[i].pcap_path = virtual_capture_path(s, out_dir, plan.capture_points[i]);
        std::error_code ec;
        fs::remove(captures[i].pcap_path, ec);  // a stale file must not pass
        if (i < taps.size()) captures[i].tap = taps[i];
    }
    auto tree = config::build_memory_tree(s.server->loaded.tree);
    vnet::VnetScenario network = plan.network;
    network.ledger = ledger;
    vnet::VnetResult run = vnet::run_ftp_session(network, plan.server, *tree, s.client.config, plan.ops, captures);
    if (!run.capture_ok) throw EnvironmentError(out_dir + ": cannot write the captures");
    for (std::size_t i = 0; i < plan.capture_points.size(); ++i)
        result.captures.push_back({plan.capture_points[i], captures[i].pcap_path, run.frames, run.dropped});
    result.log_path = (fs::path(out_dir) / (s.name + ".log")).string();
    std::vector<std::string> client_lines;
    for (const auto& r : run.results) append_client_log(r, client_lines);
    std::ostringstream header;
    header << "# virtual network: " << run.frames << " frames, " << run.dropped << " dropped, ended at "
           << static_cast<double>(run.end_time) / static_cast<double>(kSecond) << " s virtual time\n";
    write_run_log(result.log_path, header.str(), client_lines);
    result.missed_impairments = impairments_that_did_not_happen(s, run);
    result.results = std::move(run.results);
    if (!run.client_finished)
        throw RunFailure("the client did not finish within the virtual deadline (" +
                         std::to_string(plan.network.deadline / kSecond) + " s of virtual time)");
    return result;
}

}  // namespace ftpsim::sim::run
