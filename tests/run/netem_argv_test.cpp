// The kernel backend's link shaping: a scenario's link profile becomes one tc netem command per
// link end (egress), with the values docs/scenario-format.md lists. This machine's kernel may lack
// sch_netem, so the command itself is what is checked here; the run warns when tc refuses it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/netns/command.hpp"
#include "sim/run/host_setup.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {
namespace {

NetworkPlan plan_with_link(const std::string& link) {
    return plan_network(scenario::load_scenario_text(
        "topology:\n"
        "  hosts:\n"
        "    - {name: pc, addresses: [192.168.1.5/24]}\n"
        "    - {name: ftpserver, addresses: [192.168.1.10/24]}\n"
        "  links: [" + link + "]\n"
        "  capture: [{point: client, host: pc}]\n"
        "server: {host: ftpserver}\n"
        "client: {host: pc, steps: [login]}\n",
        "t.yaml"));
}

TEST(NetemArgv, AProfileShapesBothEndsWithItsDelayJitterAndRate) {
    const NetworkPlan p = plan_with_link("{between: [pc, ftpserver], profile: dsl}");
    ASSERT_EQ(p.shaping.size(), 2u);
    EXPECT_EQ(p.shaping[0].host, "pc");
    EXPECT_EQ(p.shaping[1].host, "ftpserver");
    EXPECT_EQ(netns::join_argv(netem_argv("veth0", p.shaping[0])),
              "tc qdisc replace dev veth0 root netem delay 15ms 2ms rate 16mbit");
}

TEST(NetemArgv, AKeyBesideTheProfileOverridesIt) {
    const NetworkPlan p = plan_with_link("{between: [pc, ftpserver], profile: wan, bandwidth_mbps: 10}");
    ASSERT_EQ(p.shaping.size(), 2u);
    EXPECT_EQ(netns::join_argv(netem_argv("v", p.shaping[1])), "tc qdisc replace dev v root netem delay 35ms 4ms rate 10mbit");
}

// netem reorders jittered packets unless a rate is set, so jitter alone brings a rate far above
// any scenario's traffic.
TEST(NetemArgv, JitterWithoutBandwidthKeepsPacketsInOrderWithAHighRate) {
    const NetworkPlan p = plan_with_link("{between: [pc, ftpserver], latency_ms: 5, jitter_ms: 1}");
    ASSERT_EQ(p.shaping.size(), 2u);
    EXPECT_EQ(netns::join_argv(netem_argv("v", p.shaping[0])), "tc qdisc replace dev v root netem delay 5ms 1ms rate 10gbit");
}

TEST(NetemArgv, AnUnshapedLinkIsNotShaped) {
    EXPECT_TRUE(plan_with_link("{between: [pc, ftpserver]}").shaping.empty());
}

}  // namespace
}  // namespace ftpsim::sim::run
