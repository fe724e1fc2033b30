// The kernel backend's plan for routers (router_plan.hpp, network_plan.hpp): each address on the
// interface of its subnet's link, one route per foreign subnet via the next hop (no default
// route), forwarding for routers only, the address the client connects to behind a dnat, and
// what a NAT section resolves to (the rules' inputs) or is refused for.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/run/network_plan.hpp"
#include "sim/run/router_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {
namespace {

using scenario::load_scenario_text;

// client — nat — server, both families, and a second subnet behind the server's router.
std::string topology(const std::string& nat) {
    return "topology:\n"
           "  hosts:\n"
           "    - {name: client, addresses: [192.168.1.5/24, \"2001:db8:1::5/64\"]}\n"
           "    - {name: server, addresses: [203.0.113.10/24, \"2001:db8:2::10/64\"]}\n"
           "  router:\n"
           "    name: nat\n"
           "    addresses: [192.168.1.1/24, 203.0.113.1/24, \"2001:db8:1::1/64\", \"2001:db8:2::1/64\"]\n" +
           nat +
           "  links: [{between: [client, nat]}, {between: [nat, server]}]\n"
           "  capture:\n"
           "    - {point: inside, host: nat, interface: client}\n"
           "    - {point: outside, host: nat, interface: server}\n"
           "server: {host: server}\n"
           "client: {host: client, steps: [login]}\n";
}

const netns::HostSpec& spec(const NetworkPlan& p, const std::string& name) {
    for (const auto& h : p.hosts)
        if (h.name == name) return h;
    throw std::out_of_range(name);
}

std::vector<std::string> routes(const netns::HostSpec& h) {
    std::vector<std::string> out;
    for (const auto& r : h.routes) out.push_back(r.destination + " via " + r.via);
    return out;
}

TEST(RouterPlan, SubnetClearsHostBits) {
    scenario::Cidr c;
    ASSERT_TRUE(net::IpAddress::parse("203.0.113.10", c.addr));
    c.prefix = 24;
    EXPECT_EQ(subnet_of(c).str(), "203.0.113.0/24");
    c.prefix = 29;
    EXPECT_EQ(subnet_of(c).str(), "203.0.113.8/29");
    ASSERT_TRUE(net::IpAddress::parse("2001:db8:2::10", c.addr));
    c.prefix = 64;
    EXPECT_EQ(subnet_of(c).str(), "2001:db8:2::/64");
}

TEST(RouterPlan, RouterAddressesGoOnTheirSubnetsLink) {
    const NetworkPlan p = plan_network(load_scenario_text(topology("    nat: {type: masquerade, helper: ftp}\n"), "t.yaml"));
    const auto& nat = spec(p, "nat");
    EXPECT_TRUE(nat.forwarding);
    ASSERT_EQ(nat.addresses_by_peer.size(), 2u);
    EXPECT_EQ(nat.addresses_by_peer.at("client"), (std::vector<std::string>{"192.168.1.1/24", "2001:db8:1::1/64"}));
    EXPECT_EQ(nat.addresses_by_peer.at("server"), (std::vector<std::string>{"203.0.113.1/24", "2001:db8:2::1/64"}));
    // A host with one link: everything on it, as before routers existed.
    EXPECT_FALSE(spec(p, "client").forwarding);
    EXPECT_TRUE(spec(p, "client").addresses_by_peer.empty());
    EXPECT_EQ(spec(p, "client").addresses, (std::vector<std::string>{"192.168.1.5/24", "2001:db8:1::5/64"}));
}

TEST(RouterPlan, EveryForeignSubnetRoutedViaTheNextHopAndNoDefault) {
    const NetworkPlan p = plan_network(load_scenario_text(topology("    nat: {type: masquerade, helper: ftp}\n"), "t.yaml"));
    EXPECT_EQ(routes(spec(p, "client")),
              (std::vector<std::string>{"203.0.113.0/24 via 192.168.1.1", "2001:db8:2::/64 via 2001:db8:1::1"}));
    EXPECT_EQ(routes(spec(p, "server")),
              (std::vector<std::string>{"192.168.1.0/24 via 203.0.113.1", "2001:db8:1::/64 via 2001:db8:2::1"}));
    EXPECT_TRUE(spec(p, "nat").routes.empty());  // on every subnet itself
}

TEST(RouterPlan, NoRouteViaAGatewayThatIsNotOnLink) {
    // Directly linked, in two subnets: neither can be the other's gateway.
    const auto s = load_scenario_text(
        "topology:\n"
        "  hosts: [{name: c, addresses: [10.1.0.5/24]}, {name: s, addresses: [10.2.0.5/24]}]\n"
        "  links: [{between: [c, s]}]\n"
        "  capture: [{point: c, host: c}]\n"
        "server: {host: s}\n"
        "client: {host: c, steps: [login]}\n",
        "t.yaml");
    const auto& t = s.topology;
    EXPECT_TRUE(routes_of(t, "c").empty());
    EXPECT_TRUE(routes_of(t, "s").empty());
}

TEST(RouterPlan, TwoRoutersInARowRouteThroughEachOther) {
    const std::string text =
        "topology:\n"
        "  hosts:\n"
        "    - {name: client, addresses: [192.168.1.5/24]}\n"
        "    - {name: server, addresses: [10.0.0.10/24]}\n"
        "  routers:\n"
        "    - {name: home, addresses: [192.168.1.1/24, 198.51.100.1/24], nat: {type: masquerade, helper: ftp}}\n"
        "    - {name: dc, addresses: [198.51.100.2/24, 10.0.0.1/24], nat: {type: dnat, helper: ftp}}\n"
        "  links: [{between: [client, home]}, {between: [home, dc]}, {between: [dc, server]}]\n"
        "  capture: [{point: c, host: client}]\n"
        "server: {host: server}\n"
        "client: {host: client, steps: [login]}\n";
    const auto s = load_scenario_text(text, "t.yaml");
    const NetworkPlan p = plan_network(s);
    EXPECT_EQ(routes(spec(p, "client")),
              (std::vector<std::string>{"10.0.0.0/24 via 192.168.1.1", "198.51.100.0/24 via 192.168.1.1"}));
    EXPECT_EQ(routes(spec(p, "home")), (std::vector<std::string>{"10.0.0.0/24 via 198.51.100.2"}));
    EXPECT_EQ(routes(spec(p, "dc")), (std::vector<std::string>{"192.168.1.0/24 via 198.51.100.1"}));
    // The client connects to what the server's dnat router publishes on its outside (towards home).
    EXPECT_EQ(p.connect_to.str(), "198.51.100.2:21");
    EXPECT_EQ(p.server.str(), "10.0.0.10:21");
    ASSERT_EQ(p.nats.size(), 2u);
    EXPECT_EQ(p.nats[0].rules.outside, "dc");
    EXPECT_EQ(p.nats[1].rules.outside, "home");
    EXPECT_EQ(p.nats[1].rules.inside, (std::vector<std::string>{"server"}));
}

TEST(RouterPlan, ServerAddressIsThePublishedOneBehindADnat) {
    const auto plain = load_scenario_text(topology("    nat: {type: masquerade, helper: ftp}\n"), "t.yaml");
    EXPECT_EQ(server_address(plain).str(), "203.0.113.10");
    // dnat towards the client: published on the router's address on the client's link.
    const auto dnat = load_scenario_text(topology("    nat: {type: dnat, helper: ftp, outside: client}\n"), "t.yaml");
    EXPECT_EQ(server_address(dnat).str(), "192.168.1.1");
    EXPECT_EQ(server_listen_address(dnat).str(), "203.0.113.10");
    const auto given = load_scenario_text(
        topology("    nat: {type: dnat, helper: ftp, outside: client, address: 192.168.1.80}\n"), "t.yaml");
    EXPECT_EQ(server_address(given).str(), "192.168.1.80");
}

TEST(RouterPlan, NatResolvesInterfacesPortsAndAddresses) {
    const auto masq = plan_nats(load_scenario_text(topology("    nat: {type: masquerade, helper: ftp, ports: [21, 2121]}\n"), "t.yaml"));
    ASSERT_EQ(masq.size(), 1u);
    EXPECT_EQ(masq[0].router, "nat");
    EXPECT_EQ(masq[0].rules.outside, "server");
    EXPECT_EQ(masq[0].rules.inside, (std::vector<std::string>{"client"}));
    EXPECT_EQ(masq[0].rules.helper_ports, (std::vector<std::uint16_t>{21, 2121}));
    EXPECT_TRUE(masq[0].extra_addresses.empty());

    const auto none = plan_nats(load_scenario_text(topology("    nat: {type: masquerade, helper: none}\n"), "t.yaml"));
    EXPECT_TRUE(none[0].rules.helper_ports.empty());

    // An snat pool nobody owns: the router answers ARP for it on the outside.
    const auto snat = plan_nats(load_scenario_text(
        topology("    nat: {type: snat, helper: ftp, to: [203.0.113.50, 203.0.113.1]}\n"), "t.yaml"));
    EXPECT_EQ(snat[0].extra_addresses, (std::vector<std::string>{"203.0.113.50/32"}));

    const auto dnat = plan_nats(load_scenario_text(
        topology("    nat: {type: dnat, helper: ftp, outside: client, address: 192.168.1.80}\n"), "t.yaml"));
    ASSERT_EQ(dnat[0].rules.dnat.size(), 1u);  // the published address is IPv4 only
    EXPECT_EQ(dnat[0].rules.dnat[0].published.str(), "192.168.1.80");
    EXPECT_EQ(dnat[0].rules.dnat[0].to.str(), "203.0.113.10");
    EXPECT_EQ(dnat[0].rules.dnat_port, 21);
    EXPECT_EQ(dnat[0].extra_addresses, (std::vector<std::string>{"192.168.1.80/32"}));
}

TEST(RouterPlan, RefusesWhatNetfilterDoesNotDo) {
    auto refused = [](const std::string& nat) {
        try {
            plan_network(load_scenario_text(topology(nat), "t.yaml"));
        } catch (const UnsupportedScenario& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    // Settings Linux has fixed make the scenario one for the virtual network only (skipped).
    EXPECT_NE(refused("    nat: {type: snat, helper: ftp, to: [203.0.113.50, 203.0.113.51], paired: false}\n")
                  .find("which Linux has fixed: only the virtual network"),
              std::string::npos);
    EXPECT_NE(refused("    nat: {type: masquerade, helper: ftp, max_expected: 2}\n").find("which Linux has fixed"),
              std::string::npos);
    EXPECT_NE(refused("    nat: {type: snat, helper: ftp, to: 198.51.100.7}\n").find("not in the subnet"),
              std::string::npos);
    EXPECT_EQ(refused("    nat: {type: masquerade, helper: ftp}\n"), "");
}

}  // namespace
}  // namespace ftpsim::sim::run
