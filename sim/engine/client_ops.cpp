// Op kinds to verbs (RFC 959 §4.1, RFC 3659 §4-7 for SIZE, MDTM, MLSD, RFC 2389 for FEAT).
#include "sim/engine/client_ops.hpp"

namespace ftpsim::sim::client {

using Kind = ClientOp::Kind;

bool is_transfer(Kind kind) {
    switch (kind) {
        case Kind::kList: case Kind::kNlst: case Kind::kMlsd: case Kind::kRetr:
        case Kind::kStor: case Kind::kAppe: case Kind::kStou:
            return true;
        default:
            return false;
    }
}

bool is_download(Kind kind) {
    return kind == Kind::kList || kind == Kind::kNlst || kind == Kind::kMlsd ||
           kind == Kind::kRetr;
}

bool is_listing(Kind kind) {
    return kind == Kind::kList || kind == Kind::kNlst || kind == Kind::kMlsd;
}

std::string_view verb_of(Kind kind) {
    switch (kind) {
        case Kind::kPwd: return "PWD";
        case Kind::kCwd: return "CWD";
        case Kind::kCdup: return "CDUP";
        case Kind::kType: return "TYPE";
        case Kind::kSyst: return "SYST";
        case Kind::kList: return "LIST";
        case Kind::kNlst: return "NLST";
        case Kind::kMlsd: return "MLSD";
        case Kind::kRetr: return "RETR";
        case Kind::kStor: return "STOR";
        case Kind::kAppe: return "APPE";
        case Kind::kStou: return "STOU";
        case Kind::kSize: return "SIZE";
        case Kind::kMdtm: return "MDTM";
        case Kind::kDele: return "DELE";
        case Kind::kMkd: return "MKD";
        case Kind::kRmd: return "RMD";
        case Kind::kFeat: return "FEAT";
        case Kind::kNoop: return "NOOP";
        case Kind::kQuit: return "QUIT";
        case Kind::kLogin: case Kind::kRename: case Kind::kAbort: case Kind::kRaw:
            return {};
    }
    return {};
}

std::string describe(const ClientOp& op, const ClientConfig& config) {
    switch (op.kind) {
        case Kind::kLogin:
            return "login as " + (op.arg.empty() ? config.user : op.arg);
        case Kind::kRename:
            return "rename " + op.arg + " to " + op.arg2;
        case Kind::kAbort:
            return "ABOR";
        case Kind::kRaw:
            return "raw command \"" + op.arg + "\"";
        default: {
            std::string out(verb_of(op.kind));
            if (!op.arg.empty()) out += " " + op.arg;
            return out;
        }
    }
}

}  // namespace ftpsim::sim::client
