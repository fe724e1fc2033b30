// Scenario steps to the client engine's ClientOps: one op per step, except ftp1_ls and
// ftp1_mget, which expand to Debian ftp(1)'s sequences (client_scripts.hpp) so that a scenario
// reproduces a classic client's wire pattern and not just the same files.
#include <memory>

#include "sim/engine/client_scripts.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::scenario {

namespace {

ClientOp::Kind op_kind(Step::Kind k) {
    using S = Step::Kind;
    using O = ClientOp::Kind;
    switch (k) {
        case S::kLogin: return O::kLogin;
        case S::kPwd: return O::kPwd;
        case S::kCwd: return O::kCwd;
        case S::kCdup: return O::kCdup;
        case S::kType: return O::kType;
        case S::kSyst: return O::kSyst;
        case S::kList: case S::kFtp1Ls: return O::kList;
        case S::kNlst: return O::kNlst;
        case S::kMlsd: return O::kMlsd;
        case S::kRetr: case S::kFtp1Mget: return O::kRetr;
        case S::kStor: return O::kStor;
        case S::kAppe: return O::kAppe;
        case S::kStou: return O::kStou;
        case S::kSize: return O::kSize;
        case S::kMdtm: return O::kMdtm;
        case S::kDele: return O::kDele;
        case S::kMkd: return O::kMkd;
        case S::kRmd: return O::kRmd;
        case S::kRename: return O::kRename;
        case S::kFeat: return O::kFeat;
        case S::kNoop: return O::kNoop;
        case S::kAbort: return O::kAbort;
        case S::kQuit: return O::kQuit;
        case S::kRaw: return O::kRaw;
    }
    return O::kNoop;
}

bool is_upload(Step::Kind k) { return k == Step::Kind::kStor || k == Step::Kind::kAppe || k == Step::Kind::kStou; }

}  // namespace

ClientOp to_client_op(const Step& step) {
    ClientOp op;
    op.kind = op_kind(step.kind);
    op.arg = step.arg;
    op.arg2 = step.arg2;
    op.rest = step.rest;
    op.mode = step.mode;
    op.active_port = step.local_port;
    op.stall_after = step.stall_after;
    op.stall_for = static_cast<Nanos>(step.stall_for_ms) * kMillisecond;
    op.receive_buffer = step.receive_buffer;
    op.abort_after = step.abort_after;
    op.pipelined = step.pipelined;
    if (is_upload(step.kind)) {
        if (step.content) {
            op.upload = std::make_shared<const std::string>(*step.content);
        } else {
            // The same generator as the server's generated files, so the two can be compared.
            std::string bytes;
            MemoryFileSystem::generate(step.seed, 0, step.size, bytes);
            op.upload = std::make_shared<const std::string>(std::move(bytes));
        }
    }
    return op;
}

std::vector<ClientOp> client_ops(const ClientSection& client, std::vector<std::size_t>* step_of_op) {
    std::vector<ClientOp> ops;
    for (std::size_t i = 0; i < client.steps.size(); ++i) {
        const Step& step = client.steps[i];
        if (step.kind != Step::Kind::kFtp1Ls && step.kind != Step::Kind::kFtp1Mget) {
            ops.push_back(to_client_op(step));
            if (step_of_op != nullptr) step_of_op->push_back(i);
            continue;
        }
        auto script = step.kind == Step::Kind::kFtp1Ls ? ftp1_ls(step.arg) : ftp1_mget(step.names);
        for (auto& op : script) {  // a step's mode or port applies to every transfer it makes
            if (step.mode && op.mode) op.mode = step.mode;
            if (step.local_port && op.mode) op.active_port = step.local_port;
        }
        ops.insert(ops.end(), script.begin(), script.end());
        if (step_of_op != nullptr) step_of_op->resize(ops.size(), i);
    }
    return ops;
}

}  // namespace ftpsim::sim::scenario
