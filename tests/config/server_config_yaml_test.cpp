// The YAML server configuration: every setting read, and errors that name FILE:LINE:COLUMN and
// the key, with the nearest valid key suggested for a misspelt one.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/config/memory_tree.hpp"
#include "sim/config/server_config_yaml.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim::config {
namespace {

std::string error_of(const std::string& yaml) {
    try {
        load_server_config_text(yaml, "serve.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(ServerConfigYaml, ReadsEverySetting) {
    const std::string yaml = R"(# a commented example
personality: vsftpd
users:
  alice: secret
  bob: "p:w"
anonymous: yes
max_login_failures: 5
pasv_ports: "50000-50100"
pasv_address: 203.0.113.5
active_source_port: 2020
allow_foreign_port: true
allow_privileged_port: false
allow_foreign_data_peer: on
max_command_line: 1024
idle_timeout_ms: 1500
data_connect_timeout_ms: 2500
reply_texts:
  GREETING: "Welcome\nto the test"
  retr 150: Here it comes
default_mtime: 1700000000
files:
  /pub/readme.txt: "hello\n"
  /pub/big.bin: {size: 1048576, seed: 7, mtime: 1600000000}
dirs:
  - /incoming
  - {path: /empty, mtime: 1500000000}
faults:
  - {verb: retr, occurrence: 2, kind: short_transfer, bytes: 100}
  - {verb: PASS, kind: reply, code: 530, text: "no"}
  - {verb: LIST, kind: delay, delay_ms: 250}
)";
    LoadedServerConfig l = load_server_config_text(yaml, "t.yaml");
    const ServerConfig& c = l.config;
    EXPECT_EQ(c.personality, Personality::kVsftpd);
    EXPECT_EQ(c.users.at("alice"), "secret");
    EXPECT_EQ(c.users.at("bob"), "p:w");
    EXPECT_TRUE(c.anonymous);
    EXPECT_EQ(c.max_login_failures, 5u);
    EXPECT_EQ(c.pasv_port_min, 50000);
    EXPECT_EQ(c.pasv_port_max, 50100);
    ASSERT_TRUE(c.pasv_address);
    EXPECT_EQ(c.pasv_address->str(), "203.0.113.5");
    EXPECT_EQ(c.active_source_port, 2020);
    EXPECT_TRUE(c.allow_foreign_port);
    EXPECT_FALSE(c.allow_privileged_port);
    EXPECT_TRUE(c.allow_foreign_data_peer);
    EXPECT_EQ(c.max_command_line, 1024u);
    EXPECT_EQ(c.idle_timeout, 1500 * kMillisecond);
    EXPECT_EQ(c.data_connect_timeout, 2500 * kMillisecond);
    EXPECT_EQ(c.reply_texts.at("GREETING"), "Welcome\nto the test");
    EXPECT_EQ(c.reply_texts.at("RETR 150"), "Here it comes");
    ASSERT_EQ(c.faults.size(), 3u);
    EXPECT_EQ(c.faults[0].verb, "RETR");
    EXPECT_EQ(c.faults[0].occurrence, 2u);
    EXPECT_EQ(c.faults[0].kind, Fault::Kind::kShortTransfer);
    EXPECT_EQ(c.faults[0].bytes, 100u);
    EXPECT_EQ(c.faults[1].code, 530);
    EXPECT_EQ(c.faults[1].text, "no");
    EXPECT_EQ(c.faults[2].delay, 250 * kMillisecond);

    auto fs = build_memory_tree(l.tree);
    EXPECT_EQ(fs->content("/pub/readme.txt"), "hello\n");
    auto big = fs->stat("/pub/big.bin");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->size, 1048576u);
    EXPECT_EQ(big->mtime, 1600000000);
    EXPECT_EQ(fs->stat("/pub/readme.txt")->mtime, 1700000000);
    EXPECT_TRUE(fs->stat("/incoming")->directory);
    EXPECT_EQ(fs->stat("/empty")->mtime, 1500000000);
}

TEST(ServerConfigYaml, EmptyDocumentGivesDefaults) {
    LoadedServerConfig l = load_server_config_text("# nothing\n", "t.yaml");
    EXPECT_EQ(l.config.active_source_port, 20);
    EXPECT_TRUE(l.tree.empty());
}

TEST(ServerConfigYaml, UnknownKeySuggestsTheNearest) {
    EXPECT_EQ(error_of("anonymous: true\npasv_port: 50000-50100\n"),
              "serve.yaml:2:1: unknown key 'pasv_port'; did you mean 'pasv_ports'?");
    EXPECT_EQ(error_of("faults:\n  - {verb: RETR, kind: close, ocurrence: 1}\n"),
              "serve.yaml:2:31: faults[0]: unknown key 'ocurrence'; did you mean 'occurrence'?");
    EXPECT_NE(error_of("zzzzzz: 1\n").find("unknown key 'zzzzzz' (valid keys: personality users"), std::string::npos);
}

TEST(ServerConfigYaml, BadValuesNameLineColumnAndKey) {
    EXPECT_EQ(error_of("pasv_ports: \"50100-50000\"\n"),
              "serve.yaml:1:13: pasv_ports: port range '50100-50000' is empty: its first port is above its last");
    EXPECT_EQ(error_of("anonymous: maybe\n"), "serve.yaml:1:12: anonymous: expected true or false, found 'maybe'");
    EXPECT_EQ(error_of("idle_timeout_ms: -5\n"), "serve.yaml:1:18: idle_timeout_ms: '-5' is not a whole number");
    EXPECT_EQ(error_of("personality: vsftp\n"),
              "serve.yaml:1:14: personality: unknown personality 'vsftp' (vsftpd, filezilla or neutral); did you mean 'vsftpd'?");
    EXPECT_EQ(error_of("pasv_address: 10.0.0\n"), "serve.yaml:1:15: pasv_address: '10.0.0' is not an IP address");
    EXPECT_EQ(error_of("users: [alice]\n"), "serve.yaml:1:8: users: expected a mapping (key: value), found a list");
    EXPECT_EQ(error_of("faults:\n  - verb: RETR\n    kind: shortt_transfer\n"),
              "serve.yaml:3:11: faults[0].kind: unknown kind 'shortt_transfer'; did you mean 'short_transfer'?");
    EXPECT_EQ(error_of("faults:\n  - {verb: RETR, kind: close, delay_ms: 5}\n"),
              "serve.yaml:2:31: faults[0].delay_ms: does not apply to kind 'close'");
    EXPECT_EQ(error_of("faults:\n  - {verb: USER, kind: reply}\n"),
              "serve.yaml:2:5: faults[0]: kind 'reply' needs 'code' (the reply code to answer instead)");
    EXPECT_EQ(error_of("anonymous: true\nanonymous: false\n"), "serve.yaml:2:1: anonymous: given twice");
}

TEST(ServerConfigYaml, TreeErrors) {
    EXPECT_EQ(error_of("files:\n  pub/a.txt: x\n"),
              "serve.yaml:2:3: files.pub/a.txt: path 'pub/a.txt' is not absolute (it must start with '/')");
    EXPECT_EQ(error_of("files:\n  /a/../b: x\n"),
              "serve.yaml:2:3: files./a/../b: path '/a/../b' is not in normal form (no empty, '.' or '..' parts, no "
              "trailing '/')");
    EXPECT_EQ(error_of("files:\n  /a: {content: x, size: 3}\n"),
              "serve.yaml:2:3: files./a: give either 'content' or 'size' (and 'seed'), not both");
    EXPECT_EQ(error_of("files:\n  /a: {mtime: 3}\n"), "serve.yaml:2:3: files./a: needs 'content' or 'size'");
    EXPECT_EQ(error_of("files:\n  /a: x\n  /a/b: y\n"),
              "serve.yaml:3:3: files./a/b: '/a' (line 2) is a file, so it cannot hold '/a/b'");
    EXPECT_EQ(error_of("dirs: [/a]\nfiles:\n  /a: x\n"), "serve.yaml:3:3: files./a: '/a' is already given at line 1");
}

TEST(ServerConfigYaml, SyntaxErrorsAndFiles) {
    EXPECT_EQ(error_of("users:\n  alice: [unclosed\n"), "serve.yaml:3:1: YAML syntax: end of sequence flow not found");
    EXPECT_EQ(error_of("- a\n- b\n"), "serve.yaml:1:1: expected a mapping of settings (key: value) at the top level");
    try {
        load_server_config_file("/nonexistent/ftpsim.yaml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_STREQ(e.what(), "/nonexistent/ftpsim.yaml: cannot read the file");
    }
}

TEST(ServerConfigYaml, TheDocumentedExampleLoads) {
    const std::string text = testsupport::read_file(std::string(FTPSIM_DOCS_DIR) + "/server-config.md");
    auto start = text.find("```yaml\n");
    ASSERT_NE(start, std::string::npos) << "docs/server-config.md has no yaml example";
    start += 8;
    const std::string example = text.substr(start, text.find("```", start) - start);
    LoadedServerConfig l = load_server_config_text(example, "docs/server-config.md example");
    EXPECT_EQ(l.config.personality, Personality::kVsftpd);
    EXPECT_EQ(l.config.faults.size(), 5u);
    auto fs = build_memory_tree(l.tree);
    EXPECT_EQ(fs->content("/pub/notes.txt"), "two lines\nof text\n");
    EXPECT_EQ(fs->stat("/pub/big.bin")->size, 104857600u);
}

}  // namespace
}  // namespace ftpsim::sim::config
