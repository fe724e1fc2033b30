// Builds the topology with iproute2 and ethtool (argv arrays, no shell). Every veth is created
// directly inside its namespaces (`ip -n A link add ... peer ... netns B`), so nothing is ever
// created in, or moved through, the host's own namespace.
#include "sim/netns/topology.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <thread>
#include <algorithm>
#include <set>
#include <stdexcept>

#include "sim/netns/command.hpp"
#include "sim/netns/in_namespace.hpp"
#include "sim/netns/privileges.hpp"
#include "sim/netns/registry.hpp"

namespace ftpsim::sim::netns {
namespace {

std::atomic<unsigned> g_topology_counter{0};
constexpr std::size_t kIfNameMax = 15;  // IFNAMSIZ - 1

bool valid_name(const std::string& s, std::size_t max) {
    return !s.empty() && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '_' || c == '.';
           });
}

std::vector<std::string> ip_n(const std::string& ns, std::vector<std::string> rest) {
    std::vector<std::string> argv{"ip", "-n", ns};
    argv.insert(argv.end(), rest.begin(), rest.end());
    return argv;
}

// Offloads would let the kernel hand pcap super-frames above the MTU (TSO/GSO/GRO) and frames
// with checksums left for hardware that does not exist (tx checksumming on veth). Features a
// driver cannot change are reported by ethtool and ignored; we then check the ones that matter.
void disable_offloads(const std::string& ns, const std::string& ifname) {
    run_command({"ethtool", "-K", ifname, "tx", "off", "rx", "off", "tso", "off", "gso", "off",
                 "gro", "off", "lro", "off"},
                {std::chrono::milliseconds(5000), ns});
    const auto shown = run_checked({"ethtool", "-k", ifname}, {std::chrono::milliseconds(5000), ns});
    for (const char* feature : {"tx-checksumming: on", "tcp-segmentation-offload: on",
                                "generic-segmentation-offload: on", "generic-receive-offload: on"}) {
        if (shown.output.find(feature) != std::string::npos)
            throw std::runtime_error("cannot disable offload on " + ifname + " in " + ns + ": " + feature);
    }
}

}  // namespace

std::string interface_name_for(const std::string& peer, const std::vector<std::string>& taken) {
    const std::string base = ("to-" + peer).substr(0, kIfNameMax);
    auto free = [&](const std::string& n) { return std::find(taken.begin(), taken.end(), n) == taken.end(); };
    if (free(base)) return base;
    for (int i = 2; i < 1000; ++i) {  // bounded: a host has far fewer links
        const std::string suffix = "-" + std::to_string(i);
        const std::string n = base.substr(0, kIfNameMax - suffix.size()) + suffix;
        if (free(n)) return n;
    }
    throw std::invalid_argument("too many links towards " + peer);
}

// ---- OwnedNamespace ----

Topology::OwnedNamespace::OwnedNamespace(std::string h, std::string n)
    : host(std::move(h)), name(std::move(n)) {
    // Registered first: a signal arriving right after `ip netns add` still finds it.
    if (!register_namespace(name)) throw std::runtime_error("too many namespaces registered");
    try {
        run_checked({"ip", "netns", "add", name});
    } catch (...) {
        delete_namespace(name);  // in case ip created it and then failed
        unregister_namespace(name);
        throw;
    }
    owned_ = true;
}

Topology::OwnedNamespace::OwnedNamespace(OwnedNamespace&& o) noexcept
    : host(std::move(o.host)), name(std::move(o.name)), owned_(o.owned_) {
    o.owned_ = false;
}

Topology::OwnedNamespace::~OwnedNamespace() { release(); }

bool Topology::OwnedNamespace::release() noexcept {
    if (!owned_) return true;
    if (!delete_namespace(name)) return false;  // stays registered for cleanup_registered()
    unregister_namespace(name);
    owned_ = false;
    return true;
}

// ---- Topology ----

Topology::Topology(std::vector<HostSpec> hosts, std::vector<LinkSpec> links, TopologyOptions options)
    : hosts_(std::move(hosts)) {
    // Validate the whole spec before creating anything.
    if (!valid_name(options.prefix, 32)) throw std::invalid_argument("bad namespace prefix '" + options.prefix + "'");
    std::set<std::string> names;
    for (const auto& h : hosts_) {
        if (!valid_name(h.name, 64)) throw std::invalid_argument("bad host name '" + h.name + "'");
        if (!names.insert(h.name).second) throw std::invalid_argument("duplicate host '" + h.name + "'");
    }
    for (const auto& l : links) {
        if (!names.count(l.a) || !names.count(l.b) || l.a == l.b)
            throw std::invalid_argument("link " + l.a + "<->" + l.b + " needs two distinct known hosts");
        if (l.mtu < 68 || l.mtu > 65535) throw std::invalid_argument("link MTU out of range [68, 65535]");
    }
    require_netns_privilege();

    const std::string stem = options.prefix + "-" + std::to_string(::getpid()) + "-" +
                             std::to_string(g_topology_counter.fetch_add(1)) + "-";
    namespaces_.reserve(hosts_.size());  // no reallocation: elements own namespaces
    for (const auto& h : hosts_) {
        namespaces_.emplace_back(h.name, stem + h.name);
        run_checked(ip_n(namespaces_.back().name, {"link", "set", "lo", "up"}));
    }
    for (const auto& l : links) add_link(l);
    for (const auto& i : interfaces_) wait_ready(i);
    for (const auto& h : hosts_) {
        if (h.forwarding) enable_forwarding(h);
        add_routes(h);
    }
}

Topology::~Topology() { destroy(); }

bool Topology::destroy() noexcept {
    bool ok = true;
    for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) ok = it->release() && ok;
    return ok;
}

const std::string& Topology::netns(const std::string& host) const {
    for (const auto& n : namespaces_)
        if (n.host == host) return n.name;
    throw std::out_of_range("no host '" + host + "' in topology");
}

const Interface& Topology::interface(const std::string& host, const std::string& peer) const {
    for (const auto& i : interfaces_)
        if (i.host == host && i.peer_host == peer) return i;
    throw std::out_of_range("no link " + host + "->" + peer + " in topology");
}

std::vector<std::string> Topology::namespaces() const {
    std::vector<std::string> out;
    for (const auto& n : namespaces_) out.push_back(n.name);
    return out;
}

void Topology::add_link(const LinkSpec& link) {
    auto taken_on = [this](const std::string& host) {
        std::vector<std::string> out;
        for (const auto& i : interfaces_)
            if (i.host == host) out.push_back(i.name);
        return out;
    };
    auto first_link_of = [this](const std::string& host) {
        return std::none_of(interfaces_.begin(), interfaces_.end(),
                            [&](const Interface& i) { return i.host == host; });
    };
    Interface a{link.a, netns(link.a), interface_name_for(link.b, taken_on(link.a)), link.b, link.mtu};
    Interface b{link.b, netns(link.b), interface_name_for(link.a, taken_on(link.b)), link.a, link.mtu};
    const bool a_first = first_link_of(link.a), b_first = first_link_of(link.b);
    const std::string mtu = std::to_string(link.mtu);
    run_checked(ip_n(a.netns, {"link", "add", a.name, "mtu", mtu, "type", "veth", "peer", "name",
                               b.name, "mtu", mtu, "netns", b.netns}));
    interfaces_.push_back(a);
    interfaces_.push_back(b);
    auto host_spec = [this](const std::string& name) -> const HostSpec& {
        for (const auto& h : hosts_)
            if (h.name == name) return h;
        throw std::out_of_range("no host '" + name + "'");  // validated in the constructor
    };
    configure_interface(a, host_spec(a.host), a_first);
    configure_interface(b, host_spec(b.host), b_first);
}

// /proc/sys/net is resolved in the namespace of the thread that opens it, hence in_namespace:
// only this namespace forwards. Set after the interfaces exist, since "all" is copied to each.
void Topology::enable_forwarding(const HostSpec& host) {
    in_namespace(netns(host.name), [&] {
        for (const char* path : {"/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding"}) {
            std::ofstream f(path);
            f << "1\n";
            f.flush();
            if (!f) throw std::runtime_error(std::string("cannot enable forwarding: ") + path + " in " + host.name);
        }
        return 0;
    });
}

void Topology::add_routes(const HostSpec& host) {
    for (const auto& r : host.routes) run_checked(ip_n(netns(host.name), {"route", "add", r.destination, "via", r.via}));
}

// Waits (bounded) until the kernel reports the interface's carrier up and no IPv6 address still
// tentative: the carrier is propagated asynchronously (linkwatch), and packets sent before it
// (a first neighbour solicitation, say) are lost and retried only a second later.
void Topology::wait_ready(const Interface& itf) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (int round = 0; round < 500; ++round) {
        const auto link = run_checked(ip_n(itf.netns, {"-o", "link", "show", "dev", itf.name}));
        const auto tentative = run_checked(ip_n(itf.netns, {"-6", "-o", "addr", "show", "dev", itf.name, "tentative"}));
        if (link.output.find("state UP") != std::string::npos && tentative.output.empty()) return;
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("interface " + itf.name + " in " + itf.netns + " did not come up within 5 s");
}

void Topology::configure_interface(const Interface& itf, const HostSpec& host, bool first_link) {
    std::vector<std::string> addresses;
    if (!host.addresses_by_peer.empty()) {
        if (auto it = host.addresses_by_peer.find(itf.peer_host); it != host.addresses_by_peer.end()) addresses = it->second;
    } else if (first_link) {
        addresses = host.addresses;
    }
    if (auto it = host.mac_by_peer.find(itf.peer_host); it != host.mac_by_peer.end())
        run_checked(ip_n(itf.netns, {"link", "set", itf.name, "address", it->second}));
    else if (first_link && host.mac)
        run_checked(ip_n(itf.netns, {"link", "set", itf.name, "address", *host.mac}));
    disable_offloads(itf.netns, itf.name);
    // No duplicate address detection on this interface at all, so the link-local address is
    // usable at once too (per-address nodad below covers only ours). /proc/sys/net is resolved in
    // the namespace of the thread that opens it, hence in_namespace.
    // An interface without IPv6 addresses gets no IPv6 at all: otherwise its link-local address
    // sends MLD reports and router solicitations at random moments into the capture. (A host's
    // further links, without addresses of their own, keep IPv6 as before.)
    bool ipv6 = !first_link && host.addresses_by_peer.empty();
    for (const auto& addr : addresses) ipv6 = ipv6 || addr.find(':') != std::string::npos;
    in_namespace(itf.netns, [&] {
        const std::string conf = "/proc/sys/net/ipv6/conf/" + itf.name;
        std::ofstream(conf + "/accept_dad") << "0\n";
        if (!ipv6) std::ofstream(conf + "/disable_ipv6") << "1\n";
        return 0;
    });
    for (const auto& addr : addresses) {
        std::vector<std::string> args{"addr", "add", addr, "dev", itf.name};
        // No duplicate address detection: the address is usable at once, not after ~1 s.
        if (addr.find(':') != std::string::npos) args.push_back("nodad");
        run_checked(ip_n(itf.netns, args));
    }
    run_checked(ip_n(itf.netns, {"link", "set", itf.name, "up"}));
}

}  // namespace ftpsim::sim::netns
