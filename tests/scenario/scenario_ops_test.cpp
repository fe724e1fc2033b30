// Every step holds the ClientOp the client engine runs, with its options; ftp1_ls and ftp1_mget
// expand to ftp(1)'s sequences (client_scripts.hpp).
#include <gtest/gtest.h>

#include "sim/engine/client_scripts.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/scenario/scenario.hpp"

using namespace ftpsim::sim;
using namespace ftpsim::sim::scenario;
using K = ClientOp::Kind;

namespace {

const Scenario& every_step() {
    static const Scenario s = load_scenario(std::string(FTPSIM_SCENARIO_EXAMPLES_DIR) + "/every_step.yaml");
    return s;
}

TEST(ScenarioOps, EveryStepKindMapsToItsClientOp) {
    const auto& steps = every_step().client.steps;
    const std::vector<K> want = {K::kLogin, K::kPwd, K::kCwd, K::kCdup, K::kType, K::kSyst, K::kList, K::kNlst,
                                 K::kMlsd, K::kRetr, K::kStor, K::kAppe, K::kStou, K::kSize, K::kMdtm, K::kDele,
                                 K::kMkd, K::kRmd, K::kRename, K::kFeat, K::kNoop, K::kAbort, K::kRaw};
    ASSERT_GE(steps.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i)
        EXPECT_EQ(steps[i].op.kind, want[i]) << "step " << i << " (" << steps[i].spec->step << ")";
}

TEST(ScenarioOps, ArgumentsAndOptions) {
    const auto& steps = every_step().client.steps;
    EXPECT_EQ(steps[2].op.arg, "/pub");
    EXPECT_EQ(steps[4].op.arg, "A");
    EXPECT_EQ(steps[6].op.arg, "");
    const ClientOp nlst = steps[7].op;
    EXPECT_EQ(nlst.mode, DataMode::kExtendedPassive);
    const ClientOp mlsd = steps[8].op;
    EXPECT_EQ(mlsd.stall_after, 10u);
    EXPECT_EQ(mlsd.stall_for, 200 * kMillisecond);
    const ClientOp retr = steps[9].op;
    EXPECT_EQ(retr.arg, "a.bin");
    EXPECT_EQ(retr.rest, 100u);
    EXPECT_EQ(retr.mode, DataMode::kActive);
    EXPECT_EQ(retr.active_port, 40000);
    EXPECT_EQ(retr.stall_after, 65536u);
    EXPECT_EQ(retr.stall_for, 1500 * kMillisecond);
    EXPECT_EQ(retr.receive_buffer, 4096u);
    EXPECT_EQ(retr.abort_after, 200000u);
    EXPECT_FALSE(steps[0].op.mode);  // the session's mode
    const ClientOp rename = steps[18].op;
    EXPECT_EQ(rename.arg, "a.bin");
    EXPECT_EQ(rename.arg2, "b.bin");
    EXPECT_EQ(steps[22].op.arg, "SITE CHMOD 644 b.bin");
    const ClientOp relogin = steps[25].op;
    EXPECT_EQ(relogin.kind, K::kLogin);
    EXPECT_EQ(relogin.arg, "other");
    EXPECT_EQ(relogin.arg2, "");  // the configured password
    EXPECT_EQ(steps[26].op.kind, K::kQuit);
}

TEST(ScenarioOps, Uploads) {
    const auto& steps = every_step().client.steps;
    const ClientOp stor = steps[10].op;
    ASSERT_TRUE(stor.upload);
    EXPECT_EQ(*stor.upload, "hello\n");
    const ClientOp appe = steps[11].op;
    ASSERT_TRUE(appe.upload);
    std::string want;
    MemoryFileSystem::generate(9, 0, 1000, want);  // the server's generator, same bytes
    EXPECT_EQ(*appe.upload, want);
    const ClientOp stou = steps[12].op;
    EXPECT_EQ(stou.arg, "");
    ASSERT_TRUE(stou.upload);
    EXPECT_EQ(stou.upload->size(), 10u);
    EXPECT_FALSE(steps[9].op.upload);  // downloads carry none
}

TEST(ScenarioOps, Ftp1ScriptsExpand) {
    const auto ops = expand_steps(every_step().client);
    // 23 single steps, ftp1_ls (1 op), ftp1_mget of 2 names (2 NLST, TYPE I, 2 RETR), login, quit.
    ASSERT_EQ(ops.size(), 23u + 1 + 5 + 2);
    const ClientOp& ls = ops[23];
    EXPECT_EQ(ls.kind, K::kList);
    EXPECT_EQ(ls.arg, "/pub");
    EXPECT_EQ(ls.mode, DataMode::kExtendedActive);  // the step's mode replaces ftp(1)'s PORT
    const auto mget = ftp1_mget({"x", "y"});
    for (std::size_t i = 0; i < mget.size(); ++i) {
        EXPECT_EQ(ops[24 + i].kind, mget[i].kind) << i;
        EXPECT_EQ(ops[24 + i].arg, mget[i].arg) << i;
        EXPECT_EQ(ops[24 + i].mode, mget[i].mode) << i;
    }
    EXPECT_EQ(ops[29].kind, K::kLogin);
    EXPECT_EQ(ops[30].kind, K::kQuit);
}

TEST(ScenarioOps, ScriptLocalPortsNumberItsTransfersInOrder) {
    const Scenario s = load_scenario_text(
        "topology: {hosts: [{name: c, addresses: [192.0.2.1/24]}], external_server: '192.0.2.9:21'}\n"
        "client:\n  host: c\n  mode: active\n  steps:\n"
        "    - ftp1_mget: [x, y]\n      local_ports: [44193, 44194, 38545, 38546]\n",
        "ports.yaml");
    const auto ops = expand_steps(s.client);
    std::vector<std::pair<K, std::uint16_t>> got;
    for (const ClientOp& op : ops) got.emplace_back(op.kind, op.active_port);
    const std::vector<std::pair<K, std::uint16_t>> want = {
        {K::kNlst, 44193}, {K::kNlst, 44194}, {K::kType, 0}, {K::kRetr, 38545}, {K::kRetr, 38546}};
    EXPECT_EQ(got, want);
}

TEST(ScenarioOps, ScalarAndMappingFormsAgree) {
    const std::string head =
        "topology: {hosts: [{name: c, addresses: [192.0.2.1/24]}], external_server: '192.0.2.9:21'}\n"
        "client:\n  host: c\n  steps:\n";
    const Scenario a = load_scenario_text(head + "    - pwd\n    - login\n", "a.yaml");
    const Scenario b = load_scenario_text(head + "    - {pwd: }\n    - {login: {}}\n", "b.yaml");
    ASSERT_EQ(a.client.steps.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(a.client.steps[i].op.kind, b.client.steps[i].op.kind);
        EXPECT_EQ(a.client.steps[i].op.arg, b.client.steps[i].op.arg);
    }
}

}  // namespace
