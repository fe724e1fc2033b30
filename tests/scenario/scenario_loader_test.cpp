// The loader on text in memory: defaults, the server section handed to the server-config loader
// with the file's own positions, and checks that need no file of their own.
#include <gtest/gtest.h>

#include "sim/scenario/scenario.hpp"

using namespace ftpsim::sim;
using namespace ftpsim::sim::scenario;

namespace {

const std::string kTopo =
    "topology:\n"
    "  hosts:\n"
    "    - {name: c, addresses: [192.0.2.1/24]}\n"
    "    - {name: s, addresses: [192.0.2.2/24]}\n"
    "  links: [{between: [c, s]}]\n";
const std::string kClient = "client: {host: c, steps: [login, quit]}\n";

std::string error_of(const std::string& text) {
    try {
        load_scenario_text(text, "t.yaml");
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "(loaded)";
}

TEST(ScenarioLoader, Defaults) {
    const Scenario s = load_scenario_text(kTopo + "server: {host: s}\n" + kClient, "dir/my-scn.yaml");
    EXPECT_EQ(s.name, "my-scn");
    EXPECT_EQ(s.seed, 0u);
    EXPECT_EQ(s.start_time, 0);
    EXPECT_EQ(s.server->port, 21);
    EXPECT_EQ(s.server->loaded.config.personality, Personality::kNeutral);
    EXPECT_TRUE(s.server->loaded.tree.empty());
    EXPECT_EQ(s.client.config.user, ClientConfig{}.user);
    EXPECT_EQ(s.client.config.mode, DataMode::kPassive);
    EXPECT_TRUE(s.faults.empty());
    EXPECT_FALSE(s.expect.golden);
}

TEST(ScenarioLoader, SectionsInAnyOrder) {
    const Scenario s = load_scenario_text(kClient + "server:\n  host: s\n  anonymous: true\n" + kTopo, "t.yaml");
    EXPECT_TRUE(s.server->loaded.config.anonymous);
}

TEST(ScenarioLoader, ServerSectionKeepsFilePositions) {
    // Line 7 is the 'users' value in the server section; the server loader reports it there.
    const std::string text = kTopo + "server:\n  users: [alice]\n  host: s\n" + kClient;
    EXPECT_EQ(error_of(text), "t.yaml:7:10: server.users: expected a mapping (key: value), found a list");
}

TEST(ScenarioLoader, ServerSectionBeforeOtherSections) {
    const std::string text = "server:\n  host: s\n  port: 2121\n  idle_timeout_ms: 0\n" + kTopo + kClient;
    EXPECT_EQ(error_of(text).rfind("t.yaml:4:20: server.idle_timeout_ms: '0' is out of range", 0), 0u)
        << error_of(text);
}

TEST(ScenarioLoader, ServerOnlyHostAndPort) {
    const Scenario s = load_scenario_text(kTopo + "server:\n  port: 990\n  host: s\n" + kClient, "t.yaml");
    EXPECT_EQ(s.server->port, 990);
}

TEST(ScenarioLoader, ServerFiles) {
    const std::string text = kTopo +
                             "server:\n  host: s\n  files:\n    /a.txt: \"hi\\n\"\n    /b.bin: {size: 10, seed: 2}\n"
                             "  dirs: [/in]\n" + kClient;
    const Scenario s = load_scenario_text(text, "t.yaml");
    ASSERT_EQ(s.server->loaded.tree.files.size(), 2u);
    EXPECT_EQ(*s.server->loaded.tree.files[0].content, "hi\n");
    EXPECT_EQ(s.server->loaded.tree.dirs[0].path, "/in");
}

TEST(ScenarioLoader, MissingSections) {
    EXPECT_NE(error_of(kClient).find("'topology' is missing"), std::string::npos);
    EXPECT_NE(error_of(kTopo + kClient).find("'server' is missing"), std::string::npos);
    EXPECT_NE(error_of(kTopo + "server: {host: s}\n").find("'client' is missing"), std::string::npos);
    EXPECT_NE(error_of(kTopo + "server: {anonymous: true}\n" + kClient).find("server: 'host' is missing"),
              std::string::npos);
    EXPECT_NE(error_of("").find("the file is empty"), std::string::npos);
    EXPECT_NE(error_of("- a\n").find("expected a mapping of sections"), std::string::npos);
}

// docs/scenario-format.md: every mistake is "FILE:LINE:COLUMN: KEY: ...", the top level's too.
TEST(ScenarioLoader, TopLevelMistakesHaveAPlaceAndAKey) {
    EXPECT_EQ(error_of(""), "t.yaml:1:1: topology: the file is empty: a scenario needs topology, server and client");
    EXPECT_EQ(error_of("# only a comment\n").rfind("t.yaml:1:1: topology: the file is empty", 0), 0u);
    EXPECT_EQ(error_of(kClient).rfind("t.yaml:1:1: topology: 'topology' is missing", 0), 0u) << error_of(kClient);
    EXPECT_EQ(error_of(kTopo + kClient).rfind("t.yaml:1:1: server: 'server' is missing", 0), 0u);
    EXPECT_EQ(error_of(kTopo + "server: {host: s}\n").rfind("t.yaml:1:1: client: 'client' is missing", 0), 0u);
    EXPECT_EQ(error_of("- a\n").rfind("t.yaml:1:1: document: expected a mapping of sections", 0), 0u);
    EXPECT_EQ(error_of(kTopo + "clinet: {}\n"), "t.yaml:6:1: clinet: unknown key 'clinet'; did you mean 'client'?");
}

TEST(ScenarioLoader, ControlBytesOfTheFileAreEscapedInMessages) {
    const std::string e = error_of(kTopo + "\"cli\\x01\\tent\\n\": {}\n");
    EXPECT_NE(e.find("unknown key 'cli\\x01\\tent\\n'"), std::string::npos) << e;
    for (const char c : e) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << e;
}

TEST(ScenarioLoader, StepChecks) {
    const std::string head = kTopo + "server: {host: s}\nclient:\n  host: c\n  steps:\n";
    EXPECT_NE(error_of(head + "    - {retr: a, stor: b}\n").find("two steps in one item"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {type: X}\n").find("expected A (ASCII) or I (binary)"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {raw: \"NOOP\\r\\nDELE x\"}\n").find("line break"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {rename: [a]}\n").find("expected [FROM, TO]"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {pwd: x}\n").find("takes no argument"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {stor: a, content: x, size: 3}\n").find("not both"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {list: , seed: 3}\n").find("unknown key 'seed'"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {ftp1_mget: []}\n").find("at least one name"), std::string::npos);
    EXPECT_NE(error_of(head + "    - {login: , name: a}\n    - {noop: , name: a}\n").find("used twice"),
              std::string::npos);
    EXPECT_NE(error_of(head + "    - {retr: a, stall: {after_bytes: 5}}\n").find("expected after_bytes and for_ms"),
              std::string::npos);
    EXPECT_NE(error_of(head + "    - {}\n").find("an empty step"), std::string::npos);
    EXPECT_NE(error_of(head + "    - [pwd]\n").find("expected a step"), std::string::npos);
}

TEST(ScenarioLoader, TopologyChecks) {
    const std::string rest = "server: {host: s}\n" + kClient;
    const std::string hosts = "topology:\n  hosts:\n    - {name: c, addresses: [192.0.2.1/24]}\n"
                              "    - {name: s, addresses: [192.0.2.2/24]}\n";
    EXPECT_NE(error_of(hosts + "  links: [{between: [c, c]}]\n" + rest).find("two different hosts"), std::string::npos);
    EXPECT_NE(error_of(hosts + "  links: [{between: [c, s]}, {between: [s, c]}]\n" + rest).find("already linked"),
              std::string::npos);
    EXPECT_NE(error_of(hosts + "  links: [{between: [c, s], mtu: 100}]\n" + rest).find("out of range"),
              std::string::npos);
    EXPECT_NE(error_of(hosts + "  links: [{between: [c, s], loss: 1.5}]\n" + rest).find("out of range (0 to 1)"),
              std::string::npos);
    EXPECT_NE(error_of(hosts + "  capture: [{point: p, host: c}]\n" + rest).find("has 0 links"), std::string::npos);
    EXPECT_NE(error_of(hosts + "  external_server: 2001:db8::1:21\n" + kClient).find("needs brackets"),
              std::string::npos);
    EXPECT_NE(error_of("topology:\n  hosts: [{name: 'a b', addresses: [192.0.2.1/24]}]\n").find("a name is"),
              std::string::npos);
    EXPECT_NE(error_of("topology:\n  hosts: [{name: a, addresses: [192.0.2.1/33]}]\n").find("prefix length"),
              std::string::npos);
    EXPECT_NE(error_of("topology:\n  hosts: [{name: a, addresses: [192.0.2.1/8], mac: 1:2:3}]\n").find("MAC"),
              std::string::npos);
    EXPECT_NE(error_of("topology:\n  hosts: [{name: a, addresses: [192.0.2.1/8], os: macos}]\n").find("linux or windows"),
              std::string::npos);
}

TEST(ScenarioLoader, StartTimes) {
    const std::string rest = kTopo + "server: {host: s}\n" + kClient;
    EXPECT_EQ(load_scenario_text("start_time: 2019-12-02T12:00:00Z\n" + rest, "t").start_time, 1575288000);
    EXPECT_EQ(load_scenario_text("start_time: 2019-12-02t13:30:00+01:30\n" + rest, "t").start_time, 1575288000);
    EXPECT_EQ(load_scenario_text("start_time: 1575288000\n" + rest, "t").start_time, 1575288000);
    const Scenario frac = load_scenario_text("start_time: 2019-12-02T12:00:00.123456789123Z\n" + rest, "t");
    EXPECT_EQ(frac.start_time_ns, 123456789u);
    EXPECT_NE(error_of("start_time: 2019-12-02T12:00:00\n" + rest).find("RFC 3339"), std::string::npos);  // no offset
    EXPECT_NE(error_of("start_time: 2023-02-29T00:00:00Z\n" + rest).find("RFC 3339"), std::string::npos);
}

TEST(ScenarioLoader, FaultAndExpectChecks) {
    const std::string base = kTopo + "server: {host: s}\nclient: {host: c, steps: [{retr: a}, quit]}\n";
    EXPECT_NE(error_of(base + "faults: [{at: 2, kind: drop_data_syn}]\n").find("out of range (0 to 1)"),
              std::string::npos);
    EXPECT_NE(error_of(base + "faults: [{at: 0, kind: rst_data_after_bytes}]\n").find("'bytes' is missing"),
              std::string::npos);
    EXPECT_NE(error_of(base + "faults: [{at: 0, kind: drop_data_syn, bytes: 3}]\n").find("unknown key 'bytes'"),
              std::string::npos);
    EXPECT_NE(error_of(base + "faults: [{kind: drop_data_syn}]\n").find("'at'"), std::string::npos);
    EXPECT_NE(error_of(base + "expect: {counts: [{match: {code: 530}, count: 1}]}\n").find("'kind' is missing"),
              std::string::npos);
    EXPECT_NE(error_of(base + "expect: {counts: [{match: {kind: repyl}, count: 1}]}\n").find("did you mean 'reply'"),
              std::string::npos);
    EXPECT_NE(error_of(base + "expect: {keep_ports: [0]}\n").find("out of range"), std::string::npos);
    const std::string two = kTopo + "  capture: [{point: a, host: c}, {point: b, host: s}]\n" +
                            "server: {host: s}\n" + kClient;
    EXPECT_NE(error_of(two + "expect: {golden: x.golden}\n").find("{point}"), std::string::npos);
    EXPECT_EQ(load_scenario_text(two + "expect: {golden: 'g/{point}.golden'}\n", "t").golden_path("b"), "g/b.golden");
    // `ftpsim test --golden-dir`: the same file names, in another directory.
    EXPECT_EQ(load_scenario_text(two + "expect: {golden: 'g/{point}.golden'}\n", "t").golden_path("b", "/tmp/gd"),
              "/tmp/gd/b.golden");
    EXPECT_EQ(load_scenario_text(two, "dir/t.yaml").golden_path("a", "/tmp/gd"), "/tmp/gd/t.a.golden");
}

}  // namespace

namespace {

TEST(ScenarioLoader, ReachabilityAndFaultTargets) {
    const std::string unlinked = "topology:\n  hosts:\n    - {name: c, addresses: [192.0.2.1/24]}\n"
                                 "    - {name: s, addresses: [192.0.2.2/24]}\n";
    EXPECT_NE(error_of(unlinked + "server: {host: s}\n" + kClient).find("no path of links"), std::string::npos);
    // The same host for both: a loopback session needs no link.
    EXPECT_NO_THROW(load_scenario_text(unlinked + "server: {host: c}\n" + kClient, "t"));
    const std::string base = kTopo + "server: {host: s}\n" + kClient;
    EXPECT_NE(error_of(base + "faults: [{at: 0, kind: drop_data_syn}]\n").find("opens no data connection"),
              std::string::npos);
}

}  // namespace
