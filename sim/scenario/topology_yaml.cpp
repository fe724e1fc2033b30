// The `topology` section: hosts, the links between them, the optional router, the capture points
// and the external server. Every name used is checked against the hosts defined, so that a typo
// fails here with a suggestion instead of as an unreachable host in the virtual network.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>

#include "sim/config/config_values.hpp"
#include "sim/config/suggest.hpp"
#include "sim/scenario/link_profiles.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "sim/scenario/topology_paths.hpp"

namespace ftpsim::sim::scenario {

namespace {

const std::vector<std::string> kTopologyKeys = {"hosts", "links", "router", "routers", "capture", "external_server"};
const std::vector<std::string> kHostKeys = {"name", "addresses", "mac", "os"};
const std::vector<std::string> kLinkKeys = {"between",   "mtu",  "latency_ms", "bandwidth_mbps", "loss",
                                            "reorder",   "profile", "jitter_ms"};
const std::vector<std::string> kCaptureKeys = {"point", "host", "interface"};

// The names of every node of the network (hosts and routers), to check references.
std::vector<std::string> node_names(const Topology& t) {
    std::vector<std::string> n;
    for (const auto& h : t.hosts) n.push_back(h.name);
    for (const auto& r : t.routers) n.push_back(r.name);
    return n;
}

std::string ref(const YamlReader& r, const YAML::Node& node, const std::string& key,
                const std::vector<std::string>& names, const char* what) {
    const std::string name = r.text(node, key);
    if (std::find(names.begin(), names.end(), name) == names.end())
        r.fail(node, key, "no " + std::string(what) + " named '" + name + "'" + config::did_you_mean(name, names));
    return name;
}

Host read_host(const YamlReader& r, const YAML::Node& node, const std::string& key, std::set<net::IpAddress>& taken) {
    Host h;
    bool named = false, addressed = false;
    for (const auto& [k, v] : r.entries(node, key, kHostKeys)) {
        const std::string& name = k.Scalar();
        const std::string where = config::key_path(key, name);
        if (name == "name") {
            h.name = read_name(r, v, where);
            named = true;
        } else if (name == "addresses") {
            h.addresses = read_addresses(r, v, where, taken);
            addressed = true;
        } else if (name == "mac") {
            h.mac = read_mac(r, v, where);
        } else if (name == "os") {
            const std::string os = r.text(v, where);
            if (os == "linux") h.os = HostOs::kLinux;
            else if (os == "windows") h.os = HostOs::kWindows;
            else r.fail(v, where, "unknown os '" + os + "' (linux or windows)" + config::did_you_mean(os, {"linux", "windows"}));
        }
    }
    if (!named) r.fail(node, key, "'name' is missing");
    if (!addressed) r.fail(node, key, "'addresses' is missing");
    return h;
}

Link read_link(const YamlReader& r, const YAML::Node& node, const std::string& key, const Topology& t) {
    Link l;
    bool between = false;
    const auto entries = r.entries(node, key, kLinkKeys);
    // The profile first, whatever the order: the other keys override its values.
    for (const auto& [k, v] : entries) {
        if (k.Scalar() != "profile") continue;
        const std::string where = config::key_path(key, "profile");
        const std::string name = r.text(v, where);
        const LinkProfile* p = find_link_profile(name);
        if (!p)
            r.fail(v, where, "unknown profile '" + name + "' (lan, wifi, dsl or wan)" +
                                 config::did_you_mean(name, link_profile_names()));
        l.profile = name;
        l.latency_ms = p->latency_ms;
        l.jitter_ms = p->jitter_ms;
        l.bandwidth_mbps = p->bandwidth_mbps;
    }
    for (const auto& [k, v] : entries) {
        const std::string& name = k.Scalar();
        const std::string where = config::key_path(key, name);
        if (name == "between") {
            const auto& ends = read_list(r, v, where);
            if (ends.size() != 2) r.fail(v, where, "expected two names: [hostA, hostB]");
            l.a = ref(r, ends[0], item_key(where, 0), node_names(t), "host or router");
            l.b = ref(r, ends[1], item_key(where, 1), node_names(t), "host or router");
            if (l.a == l.b) r.fail(ends[1], item_key(where, 1), "a link joins two different hosts");
            between = true;
        } else if (name == "mtu") {
            l.mtu = static_cast<std::uint32_t>(r.uint(v, where, 576, 65535));  // IPv4's minimum datagram
        } else if (name == "latency_ms") {
            l.latency_ms = read_number(r, v, where, 0, 60000);
        } else if (name == "jitter_ms") {
            l.jitter_ms = read_number(r, v, where, 0, 60000);
        } else if (name == "bandwidth_mbps") {
            l.bandwidth_mbps = read_number(r, v, where, 0, 1e6);
        } else if (name == "loss") {
            l.loss = read_number(r, v, where, 0, 1);
        } else if (name == "reorder") {
            l.reorder = read_number(r, v, where, 0, 1);
        }
    }
    if (!between) r.fail(node, key, "'between' is missing");
    if (l.jitter_ms > l.latency_ms) {
        const char* k = node["jitter_ms"].IsDefined() ? "jitter_ms" : "latency_ms";
        char msg[160];
        std::snprintf(msg, sizeof msg, "jitter (%g ms) cannot exceed the latency (%g ms): a frame cannot arrive before it left",
                      l.jitter_ms, l.latency_ms);
        r.fail(node[k], config::key_path(key, k), msg);
    }
    return l;
}

CapturePoint read_capture(const YamlReader& r, const YAML::Node& node, const std::string& key, const Topology& t) {
    CapturePoint c;
    bool named = false, hosted = false;
    std::optional<YAML::Node> iface;
    for (const auto& [k, v] : r.entries(node, key, kCaptureKeys)) {
        const std::string where = config::key_path(key, k.Scalar());
        if (k.Scalar() == "point") {
            c.name = read_name(r, v, where);
            named = true;
        } else if (k.Scalar() == "host") {
            c.host = ref(r, v, where, node_names(t), "host or router");
            hosted = true;
        } else {
            c.interface = r.text(v, where);
            iface = v;
        }
    }
    if (!named) r.fail(node, key, "'point' (the capture's name) is missing");
    if (!hosted) r.fail(node, key, "'host' is missing");
    // The interface is named by the peer at its other end; "auto" needs exactly one link.
    std::vector<std::string> peers;
    for (const auto& l : t.links) {
        if (l.a == c.host) peers.push_back(l.b);
        if (l.b == c.host) peers.push_back(l.a);
    }
    if (c.interface == "auto") {
        if (peers.size() != 1)
            r.fail(iface ? *iface : node, key, "'" + c.host + "' has " + std::to_string(peers.size()) +
                                                          " links: name the interface by its peer");
    } else if (std::find(peers.begin(), peers.end(), c.interface) == peers.end()) {
        r.fail(*iface, config::key_path(key, "interface"),
               "'" + c.host + "' has no link to '" + c.interface + "'" + config::did_you_mean(c.interface, peers));
    }
    return c;
}

// A router forwards between subnets: on every link it must have an address in its peer's
// subnet (the peer's gateway), else nothing could be routed through it. And a NAT's
// `outside` names one of its links.
void check_router_links(const YamlReader& r, const YAML::Node& node, const Topology& t) {
    for (const auto& router : t.routers) {
        for (const auto& l : t.links) {
            if (l.a != router.name && l.b != router.name) continue;
            const std::string& peer = l.a == router.name ? l.b : l.a;
            std::vector<Cidr> peer_addresses;
            if (const Host* h = t.find_host(peer)) peer_addresses = h->addresses;
            else if (const Router* p = t.find_router(peer)) peer_addresses = p->addresses;
            bool shared = false;
            for (const auto& mine : router.addresses)
                for (const auto& theirs : peer_addresses) shared = shared || same_subnet(mine, theirs.addr);
            if (!shared)
                r.fail(node, "topology", "router '" + router.name + "' has no address in the subnet of '" + peer +
                                              "' (" + (peer_addresses.empty() ? std::string("none") : peer_addresses[0].str()) +
                                              "): give it one, the address '" + peer + "' routes through");
        }
        if (router.nat && !router.nat->outside.empty()) {
            std::vector<std::string> peers;
            for (const auto& l : t.links) {
                if (l.a == router.name) peers.push_back(l.b);
                if (l.b == router.name) peers.push_back(l.a);
            }
            if (std::find(peers.begin(), peers.end(), router.nat->outside) == peers.end())
                r.fail(node, "topology", "router '" + router.name + "': nat.outside '" + router.nat->outside +
                                              "' is not one of its links' peers" + config::did_you_mean(router.nat->outside, peers));
        }
    }
}

ExternalServer read_external(const YamlReader& r, const YAML::Node& node) {
    const std::string key = "topology.external_server";
    const std::string t = r.text(node, key);
    const auto colon = t.rfind(':');
    ExternalServer e;
    if (colon == std::string::npos || colon == 0) r.fail(node, key, "'" + t + "': expected HOST:PORT ([IPv6]:PORT)");
    e.host = t.substr(0, colon);
    if (e.host.front() == '[') {
        net::IpAddress a;
        if (e.host.back() != ']' || !net::IpAddress::parse(e.host.substr(1, e.host.size() - 2), a))
            r.fail(node, key, "'" + e.host + "' is not a bracketed IPv6 address");
        e.host = e.host.substr(1, e.host.size() - 2);
    } else if (e.host.find(':') != std::string::npos) {
        r.fail(node, key, "'" + t + "': an IPv6 address needs brackets ([2001:db8::1]:21)");
    }
    std::uint64_t port = 0;
    std::string error;
    if (!config::parse_uint(t.substr(colon + 1), 1, 65535, port, error)) r.fail(node, key, "port: " + error);
    e.port = static_cast<std::uint16_t>(port);
    return e;
}

}  // namespace

std::vector<Cidr> read_addresses(const YamlReader& r, const YAML::Node& node, const std::string& key,
                                 std::set<net::IpAddress>& taken) {
    std::vector<Cidr> out;
    const auto& list = read_list(r, node, key);
    for (std::size_t i = 0; i < list.size(); ++i) {
        Cidr c = read_cidr(r, list[i], item_key(key, i));
        if (!taken.insert(c.addr).second)
            r.fail(list[i], item_key(key, i), "address " + c.addr.str() + " is given twice in the topology");
        out.push_back(c);
    }
    if (out.empty()) r.fail(node, key, "at least one address is needed");
    return out;
}

const Host* Topology::find_host(const std::string& name) const {
    for (const auto& h : hosts)
        if (h.name == name) return &h;
    return nullptr;
}

const Router* Topology::find_router(const std::string& name) const {
    for (const auto& r : routers)
        if (r.name == name) return &r;
    return nullptr;
}

std::string read_name(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    const std::string n = r.text(node, key);
    const bool ok = !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
    if (!ok) r.fail(node, key, "'" + n + "': a name is 1 to 64 letters, digits, '-', '_' or '.'");
    return n;
}

void check_host_ref(const YamlReader& r, const Topology& topo, const YAML::Node& node, const std::string& key) {
    std::vector<std::string> names;
    for (const auto& h : topo.hosts) names.push_back(h.name);
    ref(r, node, key, names, "host");
}

Topology read_topology(const YamlReader& r, const YAML::Node& node) {
    Topology t;
    std::set<net::IpAddress> taken;
    // Hosts and routers first, whatever the order written: links and captures name them.
    std::optional<YAML::Node> links, captures, hosts_node;  // unset: absent
    std::optional<std::pair<YAML::Node, YAML::Node>> one_router, router_list;
    for (const auto& [k, v] : r.entries(node, "topology", kTopologyKeys)) {
        const std::string& name = k.Scalar();
        if (name == "hosts") hosts_node = v;
        else if (name == "links") links = v;
        else if (name == "capture") captures = v;
        else if (name == "router") one_router = {k, v};
        else if (name == "routers") router_list = {k, v};
        else t.external_server = read_external(r, v);
    }
    if (one_router && router_list) r.fail(one_router->first, "topology.router", "give 'router' (one) or 'routers' (a list), not both");
    if (one_router) t.routers.push_back(read_router(r, one_router->second, "topology.router", taken));
    if (router_list) {
        const auto& list = read_list(r, router_list->second, "topology.routers");
        for (std::size_t i = 0; i < list.size(); ++i)
            t.routers.push_back(read_router(r, list[i], item_key("topology.routers", i), taken));
    }
    if (!hosts_node) r.fail(node, "topology", "'hosts' is missing");
    const YAML::Node& hosts = *hosts_node;
    read_list(r, hosts, "topology.hosts");
    std::set<std::string> names;
    for (const auto& router : t.routers)
        if (!names.insert(router.name).second) r.fail(node, "topology.routers", "router '" + router.name + "' is defined twice");
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const std::string key = item_key("topology.hosts", i);
        t.hosts.push_back(read_host(r, hosts[i], key, taken));
        if (!names.insert(t.hosts.back().name).second)
            r.fail(hosts[i]["name"], config::key_path(key, "name"), "'" + t.hosts.back().name + "' is defined twice");
    }
    if (t.hosts.empty()) r.fail(hosts, "topology.hosts", "at least one host is needed");
    if (links) {
        read_list(r, *links, "topology.links");
        std::set<std::pair<std::string, std::string>> joined;
        for (std::size_t i = 0; i < links->size(); ++i) {
            t.links.push_back(read_link(r, (*links)[i], item_key("topology.links", i), t));
            const auto& l = t.links.back();
            if (!joined.insert(std::minmax(l.a, l.b)).second)
                r.fail((*links)[i], item_key("topology.links", i), "'" + l.a + "' and '" + l.b + "' are already linked");
        }
    }
    check_router_links(r, node, t);
    if (captures) {
        read_list(r, *captures, "topology.capture");
        std::set<std::string> points;
        for (std::size_t i = 0; i < captures->size(); ++i) {
            t.captures.push_back(read_capture(r, (*captures)[i], item_key("topology.capture", i), t));
            if (!points.insert(t.captures.back().name).second)
                r.fail((*captures)[i], item_key("topology.capture", i), "capture point '" + t.captures.back().name +
                                                                       "' is defined twice");
        }
    }
    return t;
}

}  // namespace ftpsim::sim::scenario
