// The run log (OUT/<scenario>.log) never shows a secret in clear: PASS and ACCT arguments, and
// the argument of a step marked `secret: true`, are "****" (client::masked_command), both in
// append_client_log and in the file `ftpsim run` writes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/run/run_log.hpp"
#include "sim/scenario/scenario.hpp"
#include "support/cli_runner.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;

OpResult result_of(const ClientOp& op, std::vector<std::string> commands) {
    OpResult r;
    r.op = op;
    r.ok = true;
    r.commands = std::move(commands);
    return r;
}

TEST(RunLog, MasksPassAndAcct) {
    ClientOp login;
    login.kind = ClientOp::Kind::kLogin;
    std::vector<std::string> lines;
    append_client_log(result_of(login, {"USER alice", "PASS s3cret", "ACCT billing"}), lines);
    EXPECT_EQ(lines, (std::vector<std::string>{"client> USER alice", "client> PASS ****", "client> ACCT ****"}));
}

const std::string kScenario =
    "name: secrets\n"
    "topology:\n"
    "  hosts: [{name: c, addresses: [10.0.0.1/24]}, {name: s, addresses: [10.0.0.2/24]}]\n"
    "  links: [{between: [c, s]}]\n"
    "  capture: [{point: c, host: c}]\n"
    "server: {host: s, anonymous: true}\n"
    "client:\n"
    "  host: c\n"
    "  account: billing-acct\n"
    "  steps:\n"
    "    - login\n"
    "    - {raw: ACCT raw-acct}\n"
    "    - {raw: SITE PASSWD hunter2, secret: true}\n"
    "    - {cwd: /hidden-dir, secret: true}\n"
    "    - quit\n";

TEST(RunLog, SecretStepArgumentsAreMaskedFromTheLoadedScenario) {
    const auto s = scenario::load_scenario_text(kScenario, "secrets.yaml");
    const auto ops = scenario::expand_steps(s.client);
    ASSERT_EQ(ops.size(), 5u);
    std::vector<std::string> lines;
    append_client_log(result_of(ops[1], {"ACCT raw-acct"}), lines);
    append_client_log(result_of(ops[2], {"SITE PASSWD hunter2"}), lines);
    append_client_log(result_of(ops[3], {"CWD /hidden-dir"}), lines);
    EXPECT_EQ(lines, (std::vector<std::string>{"client> ACCT ****", "client> SITE ****", "client> CWD ****"}));
}

TEST(RunLog, FtpsimRunWritesNoSecretInClear) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-runlog-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "secrets.yaml") << kScenario;
    const auto r = testsupport::run_ftpsim(
        {"run", (dir / "secrets.yaml").string(), "--net", "virtual", "--out", (dir / "out").string()}, dir);
    const std::string log = testsupport::read_file(dir / "out" / "secrets.log");
    fs::remove_all(dir);
    ASSERT_FALSE(log.empty()) << r.out << r.err;
    EXPECT_NE(log.find("client> ACCT ****"), std::string::npos) << log;
    EXPECT_NE(log.find("client> SITE ****"), std::string::npos) << log;
    EXPECT_NE(log.find("client> CWD ****"), std::string::npos) << log;
    // The server's replies are logged as received: its 550 names the directory, as it would on
    // the wire; only what the client sends is masked.
    EXPECT_EQ(log.find("client> CWD /hidden-dir"), std::string::npos) << log;
    for (const char* secret : {"raw-acct", "hunter2"})
        EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in clear:\n" << log;
}

TEST(RunLog, GoldenFormMasksWhatTheScenarioMarksSecret) {
    // The analyses of a scenario's captures mask what its run log masks: PASS, ACCT and the
    // arguments of `secret: true` steps (one rule, client::secret_arguments).
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-golden-secrets-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "golden");
    std::ofstream(dir / "secrets.yaml") << kScenario;
    const auto r = testsupport::run_ftpsim({"test", (dir / "secrets.yaml").string(), "--golden-dir",
                                            (dir / "golden").string(), "--update-golden", "--out",
                                            (dir / "out").string()},
                                           dir);
    const std::string golden = testsupport::read_file(dir / "golden" / "secrets.c.golden");
    fs::remove_all(dir);
    ASSERT_FALSE(golden.empty()) << r.out << r.err;
    EXPECT_NE(golden.find("command ACCT ****"), std::string::npos) << golden;
    EXPECT_NE(golden.find("command SITE ****"), std::string::npos) << golden;
    EXPECT_NE(golden.find("command CWD ****"), std::string::npos) << golden;
    for (const char* secret : {"raw-acct", "hunter2", "command CWD /hidden-dir"})
        EXPECT_EQ(golden.find(secret), std::string::npos) << secret << " in clear:\n" << golden;
}

}  // namespace
}  // namespace ftpsim::sim::run
