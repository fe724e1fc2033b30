// The valid example scenarios load into the model they describe, and the reference page embeds
// them verbatim (so the documented examples are the tested ones).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario.hpp"
#include "support/read_file.hpp"

namespace fs = std::filesystem;
using namespace ftpsim::sim;
using namespace ftpsim::sim::scenario;

namespace {

std::string example(const std::string& name) { return std::string(FTPSIM_SCENARIO_EXAMPLES_DIR) + "/" + name; }

using ftpsim::testsupport::read_file;

TEST(ScenarioExamples, EveryExampleLoads) {
    int n = 0;
    for (const auto& e : fs::directory_iterator(FTPSIM_SCENARIO_EXAMPLES_DIR)) {
        if (e.path().extension() != ".yaml") continue;
        EXPECT_NO_THROW(load_scenario(e.path().string())) << e.path();
        ++n;
    }
    EXPECT_GE(n, 4);
}

TEST(ScenarioExamples, DocEmbedsTheExamplesVerbatim) {
    const std::string doc = read_file(std::string(FTPSIM_DOCS_DIR) + "/scenario-format.md");
    const std::string marker = "<!-- example: ";
    int n = 0;
    for (auto at = doc.find(marker); at != std::string::npos; at = doc.find(marker, at + 1)) {
        const auto name_end = doc.find(" -->", at);
        const std::string name = doc.substr(at + marker.size(), name_end - at - marker.size());
        const auto open = doc.find("```yaml\n", name_end);
        ASSERT_NE(open, std::string::npos) << name;
        const auto body = open + 8;
        const auto close = doc.find("```\n", body);
        ASSERT_NE(close, std::string::npos) << name;
        EXPECT_EQ(doc.substr(body, close - body), read_file(example(name))) << name << " differs from the doc";
        ++n;
    }
    EXPECT_GE(n, 2);
}

TEST(ScenarioExamples, PassiveDownload) {
    const Scenario s = load_scenario(example("passive_download.yaml"));
    EXPECT_EQ(s.name, "passive_download");
    EXPECT_EQ(s.seed, 1u);
    EXPECT_EQ(s.start_time, 1575288000);
    ASSERT_EQ(s.topology.hosts.size(), 2u);
    EXPECT_EQ(s.topology.hosts[1].name, "server");
    EXPECT_EQ(initial_ttl(s.topology.hosts[1].os), 128);
    EXPECT_EQ(initial_ttl(s.topology.hosts[0].os), 64);
    EXPECT_EQ(s.topology.hosts[0].addresses[0].str(), "192.168.1.106/24");
    ASSERT_EQ(s.topology.links.size(), 1u);
    EXPECT_EQ(s.topology.links[0].mtu, 1500u);
    EXPECT_DOUBLE_EQ(s.topology.links[0].latency_ms, 0.5);
    EXPECT_DOUBLE_EQ(s.topology.links[0].bandwidth_mbps, 100);
    ASSERT_EQ(s.topology.captures.size(), 1u);
    EXPECT_EQ(s.topology.captures[0].interface, "auto");
    ASSERT_TRUE(s.server);
    EXPECT_EQ(s.server->host, "server");
    EXPECT_EQ(s.server->port, 21);
    const ServerConfig& c = s.server->loaded.config;
    EXPECT_EQ(c.personality, Personality::kFileZilla);
    EXPECT_EQ(c.users.at("chris"), "");
    EXPECT_EQ(c.pasv_port_min, 58300);
    EXPECT_EQ(c.pasv_port_max, 58300);
    ASSERT_EQ(s.server->loaded.tree.files.size(), 1u);
    EXPECT_EQ(s.server->loaded.tree.files[0].path, "/Pluralsight Logo.PNG");
    EXPECT_EQ(s.server->loaded.tree.files[0].size, 5817u);
    EXPECT_EQ(s.client.host, "client");
    EXPECT_EQ(s.client.config.user, "chris");
    EXPECT_EQ(s.client.config.password, "");
    EXPECT_EQ(s.client.config.mode, DataMode::kPassive);
    ASSERT_EQ(s.client.steps.size(), 9u);
    EXPECT_EQ(s.client.steps[0].op.arg, "anonymous");
    EXPECT_EQ(s.client.steps[0].op.arg2, "chrome@example.com");
    EXPECT_EQ(s.client.steps[7].name, "download");
    EXPECT_EQ(s.expect.keep_ports, std::vector<std::uint16_t>{58300});
    ASSERT_EQ(s.expect.counts.size(), 2u);
    EXPECT_EQ(s.expect.counts[0].match[0], (std::pair<std::string, std::string>{"kind", "reply"}));
    EXPECT_EQ(s.expect.counts[0].match[1], (std::pair<std::string, std::string>{"code", "530"}));
    EXPECT_EQ(s.golden_path("client"), "golden/passive_download.client.golden");
}

TEST(ScenarioExamples, ActiveFileZilla) {
    const Scenario s = load_scenario(example("active_filezilla.yaml"));
    EXPECT_EQ(s.start_time, 1214902800);
    ASSERT_TRUE(s.topology.hosts[0].mac);
    EXPECT_EQ((*s.topology.hosts[0].mac)[5], 0x56);
    EXPECT_EQ(s.topology.captures[0].interface, "pc");
    EXPECT_EQ(s.server->loaded.config.active_source_port, 20);
    EXPECT_NE(s.server->loaded.config.reply_texts.at("GREETING").find("0.9.29 beta\nwritten by"), std::string::npos);
    EXPECT_EQ(s.client.config.mode, DataMode::kActive);
    EXPECT_EQ(s.client.config.active_first_port, 2204);
    EXPECT_EQ(s.client.steps[3].op.kind, ClientOp::Kind::kList);
    EXPECT_EQ(s.client.steps[3].op.arg, "");
    EXPECT_EQ(s.golden_path("mirror"), "golden/scenarios/active_filezilla.golden");
}

TEST(ScenarioExamples, EveryStep) {
    const Scenario s = load_scenario(example("every_step.yaml"));
    EXPECT_EQ(s.name, "every_step");  // from the file name
    EXPECT_EQ(s.seed, UINT64_MAX);
    EXPECT_EQ(s.start_time, 1709251199 - 3600);  // 2024-02-29T23:59:59Z is 1709251199
    EXPECT_EQ(s.start_time_ns, 500000000u);
    ASSERT_EQ(s.topology.routers.size(), 1u);
    EXPECT_EQ(s.topology.routers[0].name, "r1");
    EXPECT_TRUE(s.topology.hosts[0].addresses[1].addr.v6);
    EXPECT_EQ(s.topology.hosts[0].addresses[1].prefix, 64u);
    EXPECT_EQ(s.topology.links[0].mtu, 1400u);
    EXPECT_DOUBLE_EQ(s.topology.links[0].loss, 0.01);
    EXPECT_EQ(s.topology.captures[1].host, "r1");
    EXPECT_EQ(s.server->port, 2121);
    EXPECT_TRUE(s.server->loaded.config.anonymous);
    EXPECT_EQ(s.client.config.mode, DataMode::kEpsvThenPasv);
    EXPECT_EQ(s.client.config.reply_timeout, 5000 * kMillisecond);
    EXPECT_EQ(s.client.config.account, "acct1");
    ASSERT_EQ(s.faults.size(), 3u);
    EXPECT_EQ(s.faults[0].step, 9u);  // by name: "big"
    EXPECT_EQ(s.faults[0].kind, TcpFault::Kind::kStallReceiver);
    EXPECT_EQ(s.faults[0].bytes, 1000u);
    EXPECT_EQ(s.faults[0].for_ms, 50u);
    EXPECT_EQ(s.faults[1].step, 6u);
    EXPECT_EQ(s.faults[1].count, 2u);
    EXPECT_EQ(s.faults[2].kind, TcpFault::Kind::kRstDataAfterBytes);
    EXPECT_EQ(s.golden_path("inside"), "out/inside.golden");
}

TEST(ScenarioExamples, ExternalServer) {
    const Scenario s = load_scenario(example("external_server.yaml"));
    EXPECT_FALSE(s.server);
    ASSERT_TRUE(s.topology.external_server);
    EXPECT_EQ(s.topology.external_server->host, "2001:db8::21");
    EXPECT_EQ(s.topology.external_server->port, 2121);
    EXPECT_EQ(s.client.config.mode, DataMode::kExtendedActive);
    EXPECT_EQ(s.client.steps.size(), 3u);
}

TEST(ScenarioExamples, UnreadableFile) {
    EXPECT_THROW(load_scenario(example("no_such_file.yaml")), ScenarioError);
    EXPECT_THROW(load_scenario(FTPSIM_SCENARIO_EXAMPLES_DIR), ScenarioError);
}

}  // namespace
