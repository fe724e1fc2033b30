// A set of hosts, each in its own network namespace, joined only by veth pairs. No interface
// ever touches the host's namespace and no default route is installed (only the routes a host
// spec lists, each via a neighbour on one of its links), so traffic can only go between the
// namespaces created here. The destructor deletes every namespace (veths go with them).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ftpsim::sim::netns {

// A route `destination` (a network: "203.0.113.0/24", host bits zero) via `via`, an address
// on one of the host's links.
struct RouteSpec {
    std::string destination, via;
};

struct HostSpec {
    std::string name;                    // [A-Za-z0-9_.]+, unique in the topology
    std::vector<std::string> addresses;  // "192.168.1.5/24", "2001:db8::5/64"
    std::optional<std::string> mac;      // "02:00:00:00:00:05", on its first link's interface
    // The MAC of each link's interface by the peer's name, when given (a router has one per
    // interface, as the virtual network gives it); otherwise `mac` on the first link.
    std::map<std::string, std::string> mac_by_peer{};
    // When not empty, the addresses of each link's interface, by the peer's name (a router has
    // one subnet per link); `addresses` is then not used. A link missing here gets none.
    std::map<std::string, std::vector<std::string>> addresses_by_peer{};
    // A router: net.ipv4.ip_forward and net.ipv6.conf.all.forwarding set to 1 in its namespace.
    bool forwarding = false;
    std::vector<RouteSpec> routes{};     // installed once every link is up
};

struct LinkSpec {
    std::string a, b;  // host names
    int mtu = 1500;
};

struct TopologyOptions {
    std::string prefix = "ftpsim";  // namespaces are "<prefix>-<pid>-<n>-<host>"
};

// One end of a link as created: which namespace, which interface.
struct Interface {
    std::string host, netns, name, peer_host;
    int mtu = 0;
};

class Topology {
public:
    // Creates everything or, on any failure, removes what it created and throws
    // (PrivilegeError when not permitted, std::invalid_argument for a bad spec,
    // std::runtime_error when a tool fails). Bounded: every tool call has a timeout.
    //
    // A host's MAC goes on the interface of its first link (in `links` order), and so do its
    // `addresses`, unless it lists addresses_by_peer: then each interface gets its own.
    Topology(std::vector<HostSpec> hosts, std::vector<LinkSpec> links, TopologyOptions options = {});
    ~Topology();
    Topology(const Topology&) = delete;
    Topology& operator=(const Topology&) = delete;

    // The namespace name of a host (for in_namespace / NamespaceThread); throws if unknown.
    const std::string& netns(const std::string& host) const;
    // The interface of `host` on its link to `peer`; throws if there is none.
    const Interface& interface(const std::string& host, const std::string& peer) const;
    const std::vector<Interface>& interfaces() const { return interfaces_; }
    // Every namespace name, in host order.
    std::vector<std::string> namespaces() const;

    // Deletes every namespace now (the destructor does the same). Returns false when some could
    // not be deleted (they stay registered for cleanup_registered()).
    bool destroy() noexcept;

private:
    // Owns one namespace: registered for signal-time cleanup before creation, deleted on
    // destruction. Being a member element, it is cleaned up even when the constructor throws.
    class OwnedNamespace {
    public:
        OwnedNamespace(std::string host, std::string name);
        ~OwnedNamespace();
        OwnedNamespace(OwnedNamespace&& o) noexcept;
        OwnedNamespace& operator=(OwnedNamespace&&) = delete;
        bool release() noexcept;  // delete now; idempotent
        std::string host, name;

    private:
        bool owned_ = false;
    };

    void add_link(const LinkSpec& link);
    void configure_interface(const Interface& itf, const HostSpec& host, bool first_link);
    void enable_forwarding(const HostSpec& host);
    void add_routes(const HostSpec& host);
    void wait_ready(const Interface& itf);

    std::vector<HostSpec> hosts_;
    std::vector<OwnedNamespace> namespaces_;
    std::vector<Interface> interfaces_;
};

// An interface name for the link towards `peer`, at most 15 characters (IFNAMSIZ-1), distinct
// from every name in `taken`.
std::string interface_name_for(const std::string& peer, const std::vector<std::string>& taken);

}  // namespace ftpsim::sim::netns
