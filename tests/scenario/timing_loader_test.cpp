// The timing keys of a scenario: link `profile`, `jitter_ms`, the server's `think_ms` and
// `failed_login_delay_ms`, the client's `think_ms` and a step's `gap_ms`.
#include <gtest/gtest.h>

#include "sim/scenario/link_profiles.hpp"
#include "sim/scenario/scenario.hpp"

using namespace ftpsim::sim;
using namespace ftpsim::sim::scenario;

namespace {

std::string scenario_text(const std::string& link, const std::string& server = "", const std::string& client = "",
                          const std::string& steps = "[login, quit]") {
    return "topology:\n"
           "  hosts:\n"
           "    - {name: c, addresses: [192.0.2.1/24]}\n"
           "    - {name: s, addresses: [192.0.2.2/24]}\n"
           "  links: [{between: [c, s]" + link + "}]\n"
           "server: {host: s" + server + "}\n"
           "client: {host: c" + client + ", steps: " + steps + "}\n";
}

std::string error_of(const std::string& text) {
    try {
        load_scenario_text(text, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(loaded)";
}

TEST(TimingLoader, AProfileSetsLatencyJitterAndBandwidth) {
    const Scenario s = load_scenario_text(scenario_text(", profile: wan"), "t.yaml");
    const Link& l = s.topology.links[0];
    const LinkProfile* wan = find_link_profile("wan");
    ASSERT_NE(wan, nullptr);
    EXPECT_EQ(l.profile, "wan");
    EXPECT_EQ(l.latency_ms, wan->latency_ms);
    EXPECT_EQ(l.jitter_ms, wan->jitter_ms);
    EXPECT_EQ(l.bandwidth_mbps, wan->bandwidth_mbps);
}

TEST(TimingLoader, KeysBesideAProfileOverrideItInAnyOrder) {
    const Scenario s = load_scenario_text(scenario_text(", latency_ms: 80, profile: dsl, bandwidth_mbps: 2"), "t.yaml");
    const Link& l = s.topology.links[0];
    EXPECT_EQ(l.latency_ms, 80);
    EXPECT_EQ(l.bandwidth_mbps, 2);
    EXPECT_EQ(l.jitter_ms, find_link_profile("dsl")->jitter_ms);
}

TEST(TimingLoader, EveryProfileIsSane) {
    for (const std::string& name : link_profile_names()) {
        const LinkProfile* p = find_link_profile(name);
        ASSERT_NE(p, nullptr) << name;
        EXPECT_GT(p->latency_ms, 0) << name;
        EXPECT_LE(p->jitter_ms, p->latency_ms) << name;
        EXPECT_GT(p->bandwidth_mbps, 0) << name;
    }
}

TEST(TimingLoader, UnknownProfileIsNamedWithTheChoices) {
    EXPECT_EQ(error_of(scenario_text(", profile: wlan")),
              "t.yaml:5:38: topology.links[0].profile: unknown profile 'wlan' (lan, wifi, dsl or wan); did you mean 'lan'?");
}

TEST(TimingLoader, JitterAboveTheLatencyIsRejected) {
    EXPECT_EQ(error_of(scenario_text(", latency_ms: 2, jitter_ms: 3")),
              "t.yaml:5:55: topology.links[0].jitter_ms: jitter (3 ms) cannot exceed the latency (2 ms): a frame "
              "cannot arrive before it left");
}

TEST(TimingLoader, ThinkTimesAndFailedLoginDelay) {
    const Scenario s = load_scenario_text(
        scenario_text("", ", think_ms: [2, 9], failed_login_delay_ms: 1000", ", think_ms: 750"), "t.yaml");
    const ServerConfig& server = s.server->loaded.config;
    EXPECT_EQ(server.think.min, 2 * kMillisecond);
    EXPECT_EQ(server.think.max, 9 * kMillisecond);
    EXPECT_EQ(server.failed_login_delay, kSecond);
    EXPECT_EQ(s.client.config.think.min, 750 * kMillisecond);
    EXPECT_EQ(s.client.config.think.max, 750 * kMillisecond);
    EXPECT_NE(server.think_seed, s.client.config.think_seed);  // two streams
}

TEST(TimingLoader, ThinkRangeMustBeOrdered) {
    EXPECT_EQ(error_of(scenario_text("", "", ", think_ms: [900, 100]")),
              "t.yaml:7:29: client.think_ms: [MIN, MAX]: MAX (100) is below MIN (900)");
    EXPECT_EQ(error_of(scenario_text("", ", think_ms: [1, 2, 3]")),
              "t.yaml:6:29: server.think_ms: expected a number of milliseconds or [MIN, MAX]");
}

TEST(TimingLoader, StepGapAppliesToItsOpAndToAScriptsFirstOpOnly) {
    const Scenario s = load_scenario_text(
        scenario_text("", "", "", "[login, {pwd: , gap_ms: 2500}, {ftp1_mget: [a, b], gap_ms: 100}, quit]"), "t.yaml");
    const std::vector<ClientOp> ops = expand_steps(s.client);
    ASSERT_EQ(ops.size(), 8u);  // login, pwd, NLST a, NLST b, TYPE I, RETR a, RETR b, quit
    EXPECT_FALSE(ops[0].gap);
    EXPECT_EQ(ops[1].gap, 2500 * kMillisecond);
    EXPECT_EQ(ops[2].gap, 100 * kMillisecond);
    for (std::size_t i = 3; i + 1 < ops.size(); ++i) EXPECT_EQ(ops[i].gap, 0) << i;
    EXPECT_FALSE(ops.back().gap);  // quit: the client's think time
}

}  // namespace
