// Scenario steps to the client session's ops: one op per step, except ftp1_ls and ftp1_mget,
// which expand to Debian ftp(1)'s sequences (client_scripts.hpp) so that a scenario reproduces a
// classic client's wire pattern and not just the same files.
#include "sim/engine/client_op_table.hpp"
#include "sim/engine/client_scripts.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::scenario {

std::vector<ClientOp> expand_steps(const ClientSection& client, std::vector<std::size_t>* step_of_op) {
    std::vector<ClientOp> ops;
    for (std::size_t i = 0; i < client.steps.size(); ++i) {
        const Step& step = client.steps[i];
        if (step.spec->script == OpScript::kNone) {
            ops.push_back(step.op);
            if (step_of_op != nullptr) step_of_op->push_back(i);
            continue;
        }
        auto script = step.spec->script == OpScript::kFtp1Ls ? ftp1_ls(step.op.arg) : ftp1_mget(step.names);
        std::size_t transfer = 0;
        for (auto& op : script) {  // a step's mode or port applies to every transfer it makes
            if (step.op.mode && op.mode) op.mode = step.op.mode;
            if (step.op.active_port && op.mode) op.active_port = step.op.active_port;
            // ... or `local_ports` one port per transfer, in order (the loader checked the count).
            if (client::is_transfer(op.kind) && transfer < step.local_ports.size())
                op.active_port = step.local_ports[transfer++];
            op.secret = step.op.secret;
            // The program sends a script's commands back to back: a person thinks (or the step's
            // gap passes) before the first only.
            op.gap = &op == &script.front() ? step.op.gap : std::optional<Nanos>(0);
        }
        ops.insert(ops.end(), script.begin(), script.end());
        if (step_of_op != nullptr) step_of_op->resize(ops.size(), i);
    }
    return ops;
}

}  // namespace ftpsim::sim::scenario
