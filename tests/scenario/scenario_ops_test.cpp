// Every step kind maps to the ClientOp the client engine runs, with its options; ftp1_ls and
// ftp1_mget expand to ftp(1)'s sequences (client_scripts.hpp).
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
        EXPECT_EQ(to_client_op(steps[i]).kind, want[i]) << "step " << i << " (" << steps[i].verb << ")";
}

TEST(ScenarioOps, ArgumentsAndOptions) {
    const auto& steps = every_step().client.steps;
    EXPECT_EQ(to_client_op(steps[2]).arg, "/pub");
    EXPECT_EQ(to_client_op(steps[4]).arg, "A");
    EXPECT_EQ(to_client_op(steps[6]).arg, "");
    const ClientOp nlst = to_client_op(steps[7]);
    EXPECT_EQ(nlst.mode, DataMode::kExtendedPassive);
    const ClientOp mlsd = to_client_op(steps[8]);
    EXPECT_EQ(mlsd.stall_after, 10u);
    EXPECT_EQ(mlsd.stall_for, 200 * kMillisecond);
    const ClientOp retr = to_client_op(steps[9]);
    EXPECT_EQ(retr.arg, "a.bin");
    EXPECT_EQ(retr.rest, 100u);
    EXPECT_EQ(retr.mode, DataMode::kActive);
    EXPECT_EQ(retr.active_port, 40000);
    EXPECT_EQ(retr.stall_after, 65536u);
    EXPECT_EQ(retr.stall_for, 1500 * kMillisecond);
    EXPECT_EQ(retr.receive_buffer, 4096u);
    EXPECT_EQ(retr.abort_after, 200000u);
    EXPECT_FALSE(to_client_op(steps[0]).mode);  // the session's mode
    const ClientOp rename = to_client_op(steps[18]);
    EXPECT_EQ(rename.arg, "a.bin");
    EXPECT_EQ(rename.arg2, "b.bin");
    EXPECT_EQ(to_client_op(steps[22]).arg, "SITE CHMOD 644 b.bin");
    const ClientOp relogin = to_client_op(steps[25]);
    EXPECT_EQ(relogin.kind, K::kLogin);
    EXPECT_EQ(relogin.arg, "other");
    EXPECT_EQ(relogin.arg2, "");  // the configured password
    EXPECT_EQ(to_client_op(steps[26]).kind, K::kQuit);
}

TEST(ScenarioOps, Uploads) {
    const auto& steps = every_step().client.steps;
    const ClientOp stor = to_client_op(steps[10]);
    ASSERT_TRUE(stor.upload);
    EXPECT_EQ(*stor.upload, "hello\n");
    const ClientOp appe = to_client_op(steps[11]);
    ASSERT_TRUE(appe.upload);
    std::string want;
    MemoryFileSystem::generate(9, 0, 1000, want);  // the server's generator, same bytes
    EXPECT_EQ(*appe.upload, want);
    const ClientOp stou = to_client_op(steps[12]);
    EXPECT_EQ(stou.arg, "");
    ASSERT_TRUE(stou.upload);
    EXPECT_EQ(stou.upload->size(), 10u);
    EXPECT_FALSE(to_client_op(steps[9]).upload);  // downloads carry none
}

TEST(ScenarioOps, Ftp1ScriptsExpand) {
    const auto ops = client_ops(every_step().client);
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

TEST(ScenarioOps, ScalarAndMappingFormsAgree) {
    const std::string head =
        "topology: {hosts: [{name: c, addresses: [192.0.2.1/24]}], external_server: '192.0.2.9:21'}\n"
        "client:\n  host: c\n  steps:\n";
    const Scenario a = load_scenario_text(head + "    - pwd\n    - login\n", "a.yaml");
    const Scenario b = load_scenario_text(head + "    - {pwd: }\n    - {login: {}}\n", "b.yaml");
    ASSERT_EQ(a.client.steps.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(to_client_op(a.client.steps[i]).kind, to_client_op(b.client.steps[i]).kind);
        EXPECT_EQ(to_client_op(a.client.steps[i]).arg, to_client_op(b.client.steps[i]).arg);
    }
}

}  // namespace
