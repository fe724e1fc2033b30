// The kernel backend gives each interface the MAC the virtual network gives it, so that both
// backends' captures of one scenario show the same Ethernet addresses: a host its one MAC on
// every link, each interface of a router its own (derived from "router/peer").
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "sim/run/network_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {
namespace {

std::string text(const std::array<std::uint8_t, 6>& m) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return buf;
}

const netns::HostSpec& spec(const NetworkPlan& p, const std::string& name) {
    for (const auto& h : p.hosts)
        if (h.name == name) return h;
    throw std::out_of_range(name);
}

TEST(NetworkPlanMac, EveryRouterInterfaceHasItsOwnAndAHostKeepsOne) {
    const auto s = scenario::load_scenario_text(
        "topology:\n"
        "  hosts:\n"
        "    - {name: client, addresses: [192.168.1.5/24], mac: \"02:00:00:00:00:05\"}\n"
        "    - {name: server, addresses: [203.0.113.10/24]}\n"
        "  router: {name: nat, addresses: [192.168.1.1/24, 203.0.113.1/24], nat: {type: masquerade, helper: ftp}}\n"
        "  links: [{between: [client, nat]}, {between: [nat, server]}]\n"
        "  capture: [{point: inside, host: nat, interface: client}]\n"
        "server: {host: server}\n"
        "client: {host: client, steps: [login]}\n",
        "t.yaml");
    const NetworkPlan p = plan_network(s);
    const auto& nat = spec(p, "nat");
    ASSERT_EQ(nat.mac_by_peer.size(), 2u);
    EXPECT_EQ(nat.mac_by_peer.at("client"), text(derived_mac("nat/client")));
    EXPECT_EQ(nat.mac_by_peer.at("server"), text(derived_mac("nat/server")));
    EXPECT_NE(nat.mac_by_peer.at("client"), nat.mac_by_peer.at("server"));
    EXPECT_EQ(spec(p, "client").mac_by_peer.at("nat"), "02:00:00:00:00:05");  // the scenario's own
    EXPECT_EQ(spec(p, "server").mac_by_peer.at("nat"), text(derived_mac("server")));
}

}  // namespace
}  // namespace ftpsim::sim::run
