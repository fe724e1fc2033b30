#include "sim/run/fault_plan.hpp"

#include <string>

#include "sim/engine/client_op_table.hpp"
#include "sim/run/network_plan.hpp"

namespace ftpsim::sim::run {

FaultPlan plan_faults(const scenario::Scenario& s) {
    FaultPlan plan;
    std::vector<std::size_t> step_of_op;
    plan.ops = scenario::expand_steps(s.client, &step_of_op);
    for (const auto& f : s.faults) {
        // The step's ops, and the first of them that opens a data connection (the loader made
        // sure the step makes one): the op the fault acts on, by its index in the session.
        std::size_t first = plan.ops.size(), end = 0, transfer = plan.ops.size();
        for (std::size_t i = 0; i < plan.ops.size(); ++i) {
            if (step_of_op[i] != f.step) continue;
            first = std::min(first, i);
            end = i + 1;
            if (transfer == plan.ops.size() && client::is_transfer(plan.ops[i].kind)) transfer = i;
        }
        const std::string where = s.file + ": faults: " + std::string(scenario::TcpFault::kind_name(f.kind)) + " at step " + std::to_string(f.step);
        if (transfer == plan.ops.size()) throw UnsupportedScenario(where + ": the step opens no data connection");
        ClientOp& op = plan.ops[transfer];
        plan.fault_ops.push_back(transfer);
        const bool download = client::is_download(op.kind);
        using Kind = scenario::TcpFault::Kind;
        switch (f.kind) {
            case Kind::kDropDataSyn: plan.syn_drops.push_back({first, end, f.count}); break;
            case Kind::kRstDataAfterBytes: {
                if (!download)
                    throw UnsupportedScenario(where + ": only downloads can be reset (the server sends)");
                // The server sees only bytes: it knows the op's command as the Nth of its verb,
                // which the client engine's table says (client::transfer_command).
                const client::CommandOccurrence command = client::transfer_command(plan.ops, transfer);
                Fault reset;
                reset.verb = command.verb;
                reset.occurrence = command.occurrence;
                reset.kind = Fault::Kind::kResetData;
                reset.bytes = f.bytes;
                plan.server_faults.push_back(reset);
                break;
            }
            case Kind::kStallReceiver:
                if (!download)
                    throw UnsupportedScenario(where + ": only the client can stall (downloads)");
                op.stall_after = f.bytes;
                op.stall_for = static_cast<Nanos>(f.for_ms) * kMillisecond;
                if (op.receive_buffer == 0) op.receive_buffer = kStallReceiveBuffer;
                break;
        }
    }
    return plan;
}

}  // namespace ftpsim::sim::run
