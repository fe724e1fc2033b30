// Classic-client command sequences (see client_scripts.hpp).
#include "sim/engine/client_scripts.hpp"

namespace ftpsim::sim {
namespace {

ClientOp op(ClientOp::Kind kind, std::string arg = {}) {
    ClientOp o;
    o.kind = kind;
    o.arg = std::move(arg);
    return o;
}

// ftp(1) transfers: PORT with a kernel-chosen port (active_port 0, session port unused).
ClientOp port_transfer(ClientOp::Kind kind, std::string arg) {
    ClientOp o = op(kind, std::move(arg));
    o.mode = DataMode::kActive;
    return o;
}

}  // namespace

std::vector<ClientOp> ftp1_login() {
    return {op(ClientOp::Kind::kLogin), op(ClientOp::Kind::kSyst)};
}

std::vector<ClientOp> ftp1_ls(const std::string& dir) {
    return {port_transfer(ClientOp::Kind::kList, dir)};
}

std::vector<ClientOp> ftp1_mget(const std::vector<std::string>& names) {
    std::vector<ClientOp> ops;
    for (const auto& name : names) ops.push_back(port_transfer(ClientOp::Kind::kNlst, name));
    ops.push_back(op(ClientOp::Kind::kType, "I"));
    for (const auto& name : names) ops.push_back(port_transfer(ClientOp::Kind::kRetr, name));
    return ops;
}

}  // namespace ftpsim::sim
