// Topology lifecycle: namespaces and veths exist while the Topology lives, are gone after it
// (also when setup throws half way), interface names fit IFNAMSIZ, no default route exists.
#include <net/if.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
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

std::vector<HostSpec> two_hosts() {
    return {{"client", {"192.168.1.5/24", "2001:db8::5/64"}, "02:00:00:00:00:05"},
            {"server", {"192.168.1.10/24", "2001:db8::10/64"}, std::nullopt}};
}

// Namespaces of this process with the test prefix.
std::vector<std::string> ours(const std::string& prefix) {
    std::vector<std::string> out;
    const std::string stem = prefix + "-" + std::to_string(::getpid()) + "-";
    for (const auto& n : list_namespaces(prefix))
        if (n.rfind(stem, 0) == 0) out.push_back(n);
    return out;
}

bool exists(const std::string& ns) { return std::filesystem::exists("/var/run/netns/" + ns); }

TEST(NetnsInterfaceName, BoundedAndDistinct) {
    const std::string a = interface_name_for("a-very-long-host-name-indeed", {});
    EXPECT_LE(a.size(), 15u);
    const std::string b = interface_name_for("a-very-long-host-name-indeed", {a});
    EXPECT_LE(b.size(), 15u);
    EXPECT_NE(a, b);
    EXPECT_EQ(interface_name_for("server", {}), "to-server");
}

TEST(NetnsTopology, CreatesConfiguredNamespacesAndRemovesThem) {
    FTPSIM_REQUIRE_NETNS();
    std::vector<std::string> names;
    {
        Topology topo(two_hosts(), {{"client", "server", 1500}}, {"ftpsimtest"});
        names = topo.namespaces();
        ASSERT_EQ(names.size(), 2u);
        for (const auto& n : names) EXPECT_TRUE(exists(n)) << n;
        EXPECT_EQ(topo.interface("client", "server").name, "to-server");
        EXPECT_EQ(topo.interface("server", "client").name, "to-client");

        const auto link = run_checked({"ip", "-n", topo.netns("client"), "-o", "link", "show", "to-server"});
        EXPECT_NE(link.output.find("mtu 1500"), std::string::npos) << link.output;
        EXPECT_NE(link.output.find("02:00:00:00:00:05"), std::string::npos) << link.output;
        EXPECT_NE(link.output.find("state UP"), std::string::npos) << link.output;
        const auto addrs = run_checked({"ip", "-n", topo.netns("server"), "-o", "addr", "show", "to-client"});
        EXPECT_NE(addrs.output.find("192.168.1.10/24"), std::string::npos) << addrs.output;
        EXPECT_NE(addrs.output.find("2001:db8::10/64"), std::string::npos) << addrs.output;
        // No way out: no default route in either family.
        for (const char* fam : {"-4", "-6"}) {
            const auto routes = run_checked({"ip", "-n", topo.netns("client"), fam, "route", "show", "default"});
            EXPECT_EQ(routes.output, "") << fam;
        }
        // Inside the namespace only lo and the veth are visible.
        const auto seen = in_namespace(topo.netns("client"), [] {
            std::vector<std::string> out;
            if (struct if_nameindex* list = ::if_nameindex()) {
                for (struct if_nameindex* i = list; i->if_index != 0; ++i) out.emplace_back(i->if_name);
                ::if_freenameindex(list);
            }
            std::sort(out.begin(), out.end());
            return out;
        });
        EXPECT_EQ(seen, (std::vector<std::string>{"lo", "to-server"}));
        NamespaceThread server_thread(topo.netns("server"));
        EXPECT_EQ(server_thread.run([] { return static_cast<int>(::if_nametoindex("to-client")) > 0; }), true);
    }
    for (const auto& n : names) EXPECT_FALSE(exists(n)) << n;
    EXPECT_TRUE(ours("ftpsimtest").empty());
}

TEST(NetnsTopology, FailureMidSetupRemovesWhatWasCreated) {
    FTPSIM_REQUIRE_NETNS();
    auto hosts = two_hosts();
    hosts[1].addresses.push_back("not-an-address/24");  // ip rejects it after the veth exists
    EXPECT_THROW(Topology(hosts, {{"client", "server", 1500}}, {"ftpsimtest"}), std::runtime_error);
    EXPECT_TRUE(ours("ftpsimtest").empty());
}

TEST(NetnsTopology, ExceptionWhileInUseRemovesNamespaces) {
    FTPSIM_REQUIRE_NETNS();
    std::vector<std::string> names;
    try {
        Topology topo(two_hosts(), {{"client", "server", 1500}}, {"ftpsimtest"});
        names = topo.namespaces();
        throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    ASSERT_EQ(names.size(), 2u);
    for (const auto& n : names) EXPECT_FALSE(exists(n)) << n;
}

TEST(NetnsTopology, BadSpecCreatesNothing) {
    EXPECT_THROW(Topology(two_hosts(), {{"client", "nobody", 1500}}, {"ftpsimtest"}), std::invalid_argument);
    EXPECT_THROW(Topology(two_hosts(), {{"client", "server", 10}}, {"ftpsimtest"}), std::invalid_argument);
    EXPECT_THROW(Topology({{"a/b", {}, {}}}, {}, {"ftpsimtest"}), std::invalid_argument);
    EXPECT_TRUE(ours("ftpsimtest").empty());
}

}  // namespace
}  // namespace ftpsim::netns_test
