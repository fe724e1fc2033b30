// A router between two hosts (HostSpec::addresses_by_peer, forwarding, routes): each address on
// the interface of its subnet's link, forwarding in the router's namespace only, a route per
// foreign subnet and still no default route, TCP through the router, and everything removed
// afterwards, also when a route cannot be installed.
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "netns/netns_test_support.hpp"
#include "sim/netns/command.hpp"
#include "sim/netns/in_namespace.hpp"
#include "sim/netns/registry.hpp"
#include "sim/netns/topology.hpp"

namespace ftpsim::netns_test {
namespace {

using namespace ftpsim::sim::netns;

std::vector<HostSpec> routed_hosts() {
    HostSpec client{"client", {"192.168.1.5/24"}, std::nullopt};
    client.routes = {{"203.0.113.0/24", "192.168.1.1"}};
    HostSpec server{"server", {"203.0.113.10/24"}, std::nullopt};
    server.routes = {{"192.168.1.0/24", "203.0.113.1"}};
    HostSpec router{"nat", {}, std::nullopt};
    router.addresses_by_peer = {{"client", {"192.168.1.1/24"}}, {"server", {"203.0.113.1/24"}}};
    router.forwarding = true;
    return {client, server, router};
}

std::string read_sysctl(const std::string& ns, const std::string& path) {
    return in_namespace(ns, [&] {
        std::string v;
        std::ifstream(path) >> v;
        return v;
    });
}

std::size_t ours() {
    std::size_t n = 0;
    const std::string stem = std::string("ftpsimtest-") + std::to_string(::getpid()) + "-";
    for (const auto& name : list_namespaces("ftpsimtest")) n += name.rfind(stem, 0) == 0;
    return n;
}

TEST(NetnsRouter, ForwardsBetweenItsLinksWithRoutesAndNoDefault) {
    FTPSIM_REQUIRE_NETNS();
    {
        Topology topo(routed_hosts(), {{"client", "nat", 1500}, {"nat", "server", 1500}}, {"ftpsimtest"});
        const auto on = [&](const std::string& host, const std::string& peer) {
            return run_checked({"ip", "-n", topo.netns(host), "-o", "-4", "addr", "show", "dev",
                                topo.interface(host, peer).name})
                .output;
        };
        EXPECT_NE(on("nat", "client").find("192.168.1.1/24"), std::string::npos);
        EXPECT_EQ(on("nat", "client").find("203.0.113.1"), std::string::npos);
        EXPECT_NE(on("nat", "server").find("203.0.113.1/24"), std::string::npos);
        EXPECT_EQ(read_sysctl(topo.netns("nat"), "/proc/sys/net/ipv4/ip_forward"), "1");
        EXPECT_EQ(read_sysctl(topo.netns("nat"), "/proc/sys/net/ipv6/conf/all/forwarding"), "1");
        EXPECT_EQ(read_sysctl(topo.netns("client"), "/proc/sys/net/ipv4/ip_forward"), "0");
        const auto routes = run_checked({"ip", "-n", topo.netns("client"), "-4", "route", "show"}).output;
        EXPECT_NE(routes.find("203.0.113.0/24 via 192.168.1.1"), std::string::npos) << routes;
        EXPECT_EQ(routes.find("default"), std::string::npos) << routes;

        // TCP from the client to the server, through the router.
        NamespaceThread server(topo.netns("server")), client(topo.netns("client"));
        Fd listener = server.run([] { return listen_on("203.0.113.10", 2121); });
        auto accepted = server.submit([&] {
            Fd s = accept_one(listener);
            // The peer's address as the server sees it: the client's, not translated.
            sockaddr_storage peer{};
            socklen_t plen = sizeof peer;
            ::getpeername(s.get(), reinterpret_cast<sockaddr*>(&peer), &plen);
            char text[INET_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&peer)->sin_addr, text, sizeof text);
            return std::string(text) + " " + recv_n(s, 5);
        });
        client.run([] {
            Fd s = connect_to("203.0.113.10", 2121);
            send_all(s, "hello");
            return 0;
        });
        EXPECT_EQ(accepted.get(), "192.168.1.5 hello");
    }
    EXPECT_EQ(ours(), 0u);
}

TEST(NetnsRouter, ARouteThatCannotBeInstalledRemovesEverything) {
    FTPSIM_REQUIRE_NETNS();
    auto hosts = routed_hosts();
    hosts[0].routes.push_back({"198.51.100.0/24", "10.9.9.9"});  // no link reaches this gateway
    EXPECT_THROW(Topology(hosts, {{"client", "nat", 1500}, {"nat", "server", 1500}}, {"ftpsimtest"}), std::runtime_error);
    EXPECT_EQ(ours(), 0u);
}

}  // namespace
}  // namespace ftpsim::netns_test
