// How the kernel backend turns a scenario's TCP faults into what it injects (fault_plan.hpp):
// which client ops a firewall window spans, which server fault a reset becomes (the verb's
// occurrence counted over ftp(1) scripts too), what a stall sets, and what it refuses.
#include <gtest/gtest.h>

#include "sim/run/fault_plan.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {
namespace {

using scenario::load_scenario_text;

const std::string kBase =
    "topology:\n"
    "  hosts: [{name: c, addresses: [10.0.0.1/24]}, {name: s, addresses: [10.0.0.2/24]}]\n"
    "  links: [{between: [c, s]}]\n"
    "  capture: [{point: c, host: c}]\n"
    "server: {host: s}\n"
    "client:\n"
    "  host: c\n"
    "  steps:\n"
    "    - login\n"
    "    - ftp1_mget: [a, b]\n"  // NLST a, NLST b, TYPE I, RETR a, RETR b (client_scripts.hpp)
    "    - retr: c\n"
    "      name: third\n"
    "    - stor: up\n"
    "      content: x\n"
    "    - quit\n";

FaultPlan plan_for(const std::string& faults) {
    return plan_faults(load_scenario_text(kBase + "faults:\n" + faults, "t.yaml"));
}

std::size_t first_op_of(const FaultPlan& p, ClientOp::Kind kind, const std::string& arg) {
    for (std::size_t i = 0; i < p.ops.size(); ++i)
        if (p.ops[i].kind == kind && p.ops[i].arg == arg) return i;
    return p.ops.size();
}

TEST(FaultPlan, SynDropWindowSpansTheStepsOps) {
    const auto p = plan_for("  - {at: third, kind: drop_data_syn}\n");
    ASSERT_EQ(p.syn_drops.size(), 1u);
    const std::size_t retr_c = first_op_of(p, ClientOp::Kind::kRetr, "c");
    EXPECT_EQ(p.syn_drops[0].first_op, retr_c);
    EXPECT_EQ(p.syn_drops[0].end_op, retr_c + 1);
    EXPECT_TRUE(p.server_faults.empty());
}

TEST(FaultPlan, ResetBecomesTheServersFaultOnThatOccurrenceOfTheVerb) {
    const auto p = plan_for("  - {at: third, kind: rst_data_after_bytes, bytes: 100}\n");
    ASSERT_EQ(p.server_faults.size(), 1u);
    const Fault& f = p.server_faults[0];
    EXPECT_EQ(f.verb, "RETR");
    EXPECT_EQ(f.kind, Fault::Kind::kResetData);
    EXPECT_EQ(f.bytes, 100u);
    // mget a b sends RETR a and RETR b first: the step's RETR is the third in the session.
    EXPECT_EQ(f.occurrence, 3u);
}

TEST(FaultPlan, StallSetsTheFirstTransferOfTheStepWithASmallBuffer) {
    const auto p = plan_for("  - {at: 1, kind: stall_receiver, after_bytes: 10, for_ms: 50}\n");
    std::size_t stalled = 0;
    for (const auto& op : p.ops)
        if (op.stall_after != 0) {
            ++stalled;
            EXPECT_EQ(op.stall_after, 10u);
            EXPECT_EQ(op.stall_for, 50 * kMillisecond);
            EXPECT_EQ(op.receive_buffer, kStallReceiveBuffer);
            EXPECT_EQ(op.kind, ClientOp::Kind::kNlst);  // ftp(1)'s mget starts with NLST
        }
    EXPECT_EQ(stalled, 1u);
}

TEST(FaultPlan, UploadResetsAndStallsAreRefusedNamingTheFile) {
    for (const std::string f : {"  - {at: 3, kind: rst_data_after_bytes, bytes: 1}\n",
                                "  - {at: 3, kind: stall_receiver, after_bytes: 1, for_ms: 1}\n"}) {
        try {
            plan_for(f);
            FAIL() << "accepted: " << f;
        } catch (const UnsupportedScenario& e) {
            EXPECT_EQ(std::string(e.what()).rfind("t.yaml: faults: ", 0), 0u) << e.what();
        }
    }
}

TEST(FaultPlan, ARawLineWithTheVerbCountsAsTheServerCountsIt) {
    // A raw "retr x" reaches the server as a RETR (verbs are case-insensitive): the faulted
    // step's RETR is the second one the server sees, not the first.
    std::string base = kBase;
    base.replace(base.find("    - ftp1_mget: [a, b]\n"), 24, "    - {raw: retr x}\n");
    const auto p = plan_faults(load_scenario_text(
        base + "faults:\n  - {at: third, kind: rst_data_after_bytes, bytes: 1}\n", "t.yaml"));
    ASSERT_EQ(p.server_faults.size(), 1u);
    EXPECT_EQ(p.server_faults[0].verb, "RETR");
    EXPECT_EQ(p.server_faults[0].occurrence, 2u);
}

}  // namespace
}  // namespace ftpsim::sim::run
