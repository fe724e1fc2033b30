// What the kernel backend builds for a scenario, worked out before anything is created: the
// namespaces' host and link specs (routers with forwarding, per-interface addresses and routes),
// each router's nftables NAT, the interface of every capture point, where the server listens
// and the client connects, and the ports the golden form keeps. Pure: no I/O, so a scenario the
// kernel backend cannot run is refused before a single namespace exists.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/netns/topology.hpp"
#include "sim/run/fault_plan.hpp"
#include "sim/run/router_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// The scenario uses something this backend cannot do (yet): bad input, exit 2.
class UnsupportedScenario : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PlannedCapture {
    std::string point;
    std::string host;  // netns host name (a host or a router)
    std::string peer;  // the link's other end, whose interface on `host` is captured
};

struct PlannedShaping {
    std::string host, peer;  // egress of host's interface towards peer
    double latency_ms = 0;
    double jitter_ms = 0;
    double bandwidth_mbps = 0;
};

struct NetworkPlan {
    std::vector<netns::HostSpec> hosts;  // hosts and routers, names made safe for netns (netns_host_name)
    std::vector<netns::LinkSpec> links;
    std::vector<PlannedNat> nats;        // one per router with a Linux netfilter NAT
    std::vector<PlannedCapture> captures;
    std::vector<PlannedShaping> shaping;          // links with latency or a bandwidth cap
    std::vector<std::string> windows_hosts;       // hosts whose initial TTL / hop limit is 128
    std::string server_host, client_host;         // netns host names
    net::Endpoint server;                         // the server listens here
    net::Endpoint connect_to;                     // the client connects here: server_address()
    std::set<std::uint16_t> keep_ports;           // expect.keep_ports plus the ports the scenario fixed
    FaultPlan faults;                       // the client's ops and the TCP faults as injected
};

// The netns layer takes [A-Za-z0-9_.]+; scenario names may also hold '-', which becomes '_'.
std::string netns_host_name(const std::string& scenario_host);

// A locally administered MAC derived from the host name, so that unset MACs are the same on
// every run (docs/scenario-format.md: "derived from the name").
std::array<std::uint8_t, 6> derived_mac(const std::string& host);

// The server's own address: its first one in a family the client host also has (throws
// UnsupportedScenario otherwise).
net::IpAddress server_listen_address(const scenario::Scenario& s);
// Shared by both network backends. The server address the client connects to: with a dnat
// router in front of the server, the address that NAT publishes (router_plan.hpp), else the
// server's own (server_listen_address).
net::IpAddress server_address(const scenario::Scenario& s);
// The ports the golden form keeps because the scenario chose them (the server's, the active
// source port, a single passive port, the client's fixed ports, expect.keep_ports); every other
// port is ephemeral and normalised.
std::set<std::uint16_t> fixed_ports(const scenario::Scenario& s);

// Throws UnsupportedScenario for what the kernel backend cannot run: an external server, TCP
// faults it cannot inject (fault_plan.hpp), link loss or reorder, a simulated ALG, a NAT setting
// netfilter does not have (plan_nats), client and server on the same host, a server the client
// cannot reach through links and routers in its own address family.
NetworkPlan plan_network(const scenario::Scenario& s);

}  // namespace ftpsim::sim::run
