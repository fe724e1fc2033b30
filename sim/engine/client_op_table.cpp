// The client operation table (RFC 959 §4.1, RFC 3659 §4-7 for SIZE, MDTM, MLSD, RFC 2389 for
// FEAT) and what the engine derives from it.
#include "sim/engine/client_op_table.hpp"

#include <algorithm>

#include "ftp/command.hpp"
#include "sim/engine/client_session.hpp"

namespace ftpsim::sim {

namespace {

using Kind = ClientOp::Kind;
using A = OpArgs;
using D = OpData;
using S = OpScript;

}  // namespace

const std::vector<ClientOpSpec>& client_op_table() {
    static const std::vector<ClientOpSpec> t = {
        // step, kind, script, args, data, rest, verb; command, required, optional, usage, help
        {"login", Kind::kLogin, S::kNone, A::kLogin, D::kNone, false, "", nullptr, 0, 0, "", ""},
        {"list", Kind::kList, S::kNone, A::kOptional, D::kListing, false, "LIST", "ls", 0, 1, "ls [DIR]", "LIST"},
        {"nlst", Kind::kNlst, S::kNone, A::kOptional, D::kListing, false, "NLST", "nlst", 0, 1, "nlst [DIR]", "NLST"},
        {"mlsd", Kind::kMlsd, S::kNone, A::kOptional, D::kListing, false, "MLSD", "mlsd", 0, 1, "mlsd [DIR]", "MLSD"},
        {"retr", Kind::kRetr, S::kNone, A::kRequired, D::kDownload, true, "RETR", "get", 1, 1, "get REMOTE [LOCAL]",
         "RETR (LOCAL: write the file there)"},
        {"stor", Kind::kStor, S::kNone, A::kRequired, D::kUpload, false, "STOR", "put", 1, 1, "put LOCAL [REMOTE]",
         "STOR (REMOTE: LOCAL's file name)"},
        {"appe", Kind::kAppe, S::kNone, A::kRequired, D::kUpload, false, "APPE", "append", 1, 1,
         "append LOCAL [REMOTE]", "APPE"},
        {"stou", Kind::kStou, S::kNone, A::kOptional, D::kUpload, false, "STOU", nullptr, 0, 0, "", ""},
        {"cwd", Kind::kCwd, S::kNone, A::kRequired, D::kNone, false, "CWD", "cd", 1, 0, "cd DIR", "CWD"},
        {"cdup", Kind::kCdup, S::kNone, A::kNone, D::kNone, false, "CDUP", "cdup", 0, 0, "cdup", "CDUP"},
        {"pwd", Kind::kPwd, S::kNone, A::kNone, D::kNone, false, "PWD", "pwd", 0, 0, "pwd", "PWD"},
        {"mkd", Kind::kMkd, S::kNone, A::kRequired, D::kNone, false, "MKD", "mkdir", 1, 0, "mkdir DIR", "MKD"},
        {"rmd", Kind::kRmd, S::kNone, A::kRequired, D::kNone, false, "RMD", "rmdir", 1, 0, "rmdir DIR", "RMD"},
        {"dele", Kind::kDele, S::kNone, A::kRequired, D::kNone, false, "DELE", "rm", 1, 0, "rm FILE", "DELE"},
        {"rename", Kind::kRename, S::kNone, A::kPair, D::kNone, false, "", "rename", 2, 0, "rename FROM TO",
         "RNFR + RNTO"},
        {"size", Kind::kSize, S::kNone, A::kRequired, D::kNone, false, "SIZE", "size", 1, 0, "size FILE", "SIZE"},
        {"mdtm", Kind::kMdtm, S::kNone, A::kRequired, D::kNone, false, "MDTM", "mdtm", 1, 0, "mdtm FILE", "MDTM"},
        {"type", Kind::kType, S::kNone, A::kRequired, D::kNone, false, "TYPE", "type", 1, 0, "type A|I", "TYPE"},
        {"feat", Kind::kFeat, S::kNone, A::kNone, D::kNone, false, "FEAT", "feat", 0, 0, "feat", "FEAT"},
        {"syst", Kind::kSyst, S::kNone, A::kNone, D::kNone, false, "SYST", "syst", 0, 0, "syst", "SYST"},
        {"noop", Kind::kNoop, S::kNone, A::kNone, D::kNone, false, "NOOP", "noop", 0, 0, "noop", "NOOP"},
        {"raw", Kind::kRaw, S::kNone, A::kRequired, D::kNone, false, "", "quote", 1, -1, "quote RAW...",
         "send RAW as a command line (words joined by spaces)"},
        {"quit", Kind::kQuit, S::kNone, A::kNone, D::kNone, false, "QUIT", "quit", 0, 0, "quit", "QUIT"},
        {"abort", Kind::kAbort, S::kNone, A::kNone, D::kNone, false, "", nullptr, 0, 0, "", ""},
        {"ftp1_ls", Kind::kList, S::kFtp1Ls, A::kOptional, D::kListing, false, "LIST", nullptr, 0, 0, "", ""},
        {"ftp1_mget", Kind::kRetr, S::kFtp1Mget, A::kNames, D::kDownload, false, "RETR", nullptr, 0, 0, "", ""},
    };
    return t;
}

const ClientOpSpec* find_step(std::string_view step) {
    for (const auto& s : client_op_table())
        if (step == s.step) return &s;
    return nullptr;
}

const ClientOpSpec* find_command(std::string_view word) {
    for (const auto& s : client_op_table())
        if (s.command != nullptr && word == s.command) return &s;
    return nullptr;
}

namespace client {

namespace {

// The entry that runs `kind` itself (not a script that makes it).
const ClientOpSpec& spec_of(Kind kind) {
    for (const auto& s : client_op_table())
        if (s.kind == kind && s.script == OpScript::kNone) return s;
    return client_op_table().front();  // unreachable: every kind has its entry (a test checks)
}

}  // namespace

bool is_transfer(Kind kind) { return spec_of(kind).data != OpData::kNone; }

bool is_download(Kind kind) {
    const OpData d = spec_of(kind).data;
    return d == OpData::kListing || d == OpData::kDownload;
}

bool is_listing(Kind kind) { return spec_of(kind).data == OpData::kListing; }

std::string_view verb_of(Kind kind) { return spec_of(kind).verb; }

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

std::vector<std::string> secret_arguments(const ClientOp& op) {
    std::vector<std::string> out;
    if (!op.secret) return out;
    if (op.kind == Kind::kRaw) {
        if (const auto cmd = ftp::parse_command(op.arg); cmd && !cmd->arg.empty()) out.push_back(cmd->arg);
        return out;
    }
    for (const std::string* a : {&op.arg, &op.arg2})
        if (!a->empty()) out.push_back(*a);
    return out;
}

std::string masked_command(const ClientOp& op, std::string_view line) {
    // A secret op's own arguments; PASS and ACCT by the analyzer's one rule otherwise.
    const auto cmd = ftp::parse_command(line);
    const std::vector<std::string> secrets = secret_arguments(op);
    if (!cmd || std::find(secrets.begin(), secrets.end(), cmd->arg) == secrets.end())
        return ftp::mask_secret_argument(line);
    return std::string(line.substr(0, line.size() - cmd->arg.size())) + std::string(ftp::kSecretMask);
}

CommandOccurrence transfer_command(const std::vector<ClientOp>& ops, std::size_t index) {
    CommandOccurrence c{std::string(verb_of(ops[index].kind)), 1};
    for (std::size_t i = 0; i < index; ++i) {
        const ClientOp& op = ops[i];
        if (op.kind == Kind::kRaw) {
            const auto raw = ftp::parse_command(op.arg);
            c.occurrence += raw && raw->verb == c.verb;
        } else {
            c.occurrence += is_transfer(op.kind) && verb_of(op.kind) == c.verb;
        }
    }
    return c;
}

}  // namespace client
}  // namespace ftpsim::sim
