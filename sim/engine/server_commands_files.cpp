// Commands on the file tree that need no data connection: working directory (RFC 959 §4.1.1),
// file actions (§4.1.3), SIZE and MDTM (RFC 3659 §3-4), MLST (§7) and REST (§5).
#include "sim/engine/listing_format.hpp"
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::Msg;

std::string ServerSession::Impl::path_of(const std::string& arg) const {
    // "~" is the home directory, as vsftpd's resolve_tilde makes it; every user's home is the
    // root of the served tree.
    if (arg == "~") return "/";
    if (arg.size() >= 2 && arg[0] == '~' && arg[1] == '/') return resolve_path("/", arg.substr(1));
    return resolve_path(cwd, arg);
}

void ServerSession::Impl::cmd_pwd(const std::string& /*arg*/) {
    reply(Msg::kPwd, {server::quote_path(cwd)});
}

void ServerSession::Impl::cmd_cwd(const std::string& arg) {
    const std::string target = path_of(arg);
    const std::optional<FileInfo> info = fs.stat(target);
    if (!info || !info->directory) {
        reply(Msg::kCwdFail, {server::quote_path(target)});
        return;
    }
    cwd = target;
    reply(Msg::kCwdOk, {server::quote_path(cwd)});
}

void ServerSession::Impl::cmd_cdup(const std::string& /*arg*/) {
    const std::string target = resolve_path(cwd, "..");
    const std::optional<FileInfo> info = fs.stat(target);
    if (!info || !info->directory) {
        reply(Msg::kCwdFail, {server::quote_path(target)});
        return;
    }
    cwd = target;
    reply(Msg::kCdupOk, {server::quote_path(cwd)});
}

void ServerSession::Impl::cmd_size(const std::string& arg) {
    // RFC 3659 §4: the size the file would have in the current TYPE. Like vsftpd this gives
    // the stored size in TYPE A too (counting the CRs would mean reading the whole file).
    const std::optional<FileInfo> info = fs.stat(path_of(arg));
    if (!info || info->directory) {
        reply(Msg::kSizeFail);
        return;
    }
    reply(Msg::kSizeOk, {std::to_string(info->size)});
}

void ServerSession::Impl::cmd_mdtm(const std::string& arg) {
    const std::optional<FileInfo> info = fs.stat(path_of(arg));
    if (!info || info->directory) {
        reply(Msg::kMdtmFail);
        return;
    }
    reply(Msg::kMdtmOk, {format_time_val(info->mtime)});  // RFC 3659 §2.3, UTC
}

void ServerSession::Impl::cmd_dele(const std::string& arg) {
    const std::string target = path_of(arg);
    const FsError err = fs.remove_file(target);
    if (err != FsError::kNone) {
        reply(Msg::kDeleFail);
        return;
    }
    log("DELE " + target);
    reply(Msg::kDeleOk);
}

void ServerSession::Impl::cmd_mkd(const std::string& arg) {
    const std::string target = path_of(arg);
    if (fs.make_dir(target) != FsError::kNone) {
        reply(Msg::kMkdFail);
        return;
    }
    log("MKD " + target);
    reply(Msg::kMkdOk, {server::quote_path(target)});  // RFC 959 Appendix II: 257 "<path>"
}

void ServerSession::Impl::cmd_rmd(const std::string& arg) {
    const std::string target = path_of(arg);
    if (target == cwd || fs.remove_dir(target) != FsError::kNone) {
        reply(Msg::kRmdFail);
        return;
    }
    log("RMD " + target);
    reply(Msg::kRmdOk);
}

void ServerSession::Impl::cmd_rnfr(const std::string& arg) {
    const std::string source = path_of(arg);
    if (!fs.stat(source)) {
        reply(Msg::kRnfrFail);
        return;
    }
    rnfr = source;  // for the next command only (RFC 959 §4.1.3: "immediately followed")
    reply(Msg::kRnfrOk);
}

void ServerSession::Impl::cmd_rnto(const std::string& arg) {
    if (!rnfr_taken) {
        reply(Msg::kRntoNeedRnfr);  // RFC 959 §5.4: 503
        return;
    }
    const std::string target = path_of(arg);
    if (fs.rename(*rnfr_taken, target) != FsError::kNone) {
        reply(Msg::kRntoFail);
        return;
    }
    log("RNFR " + *rnfr_taken + " RNTO " + target);
    reply(Msg::kRntoOk);
}

void ServerSession::Impl::cmd_mlst(const std::string& arg) {
    // RFC 3659 §7.2: facts of one entry on the control connection, the pathname in full.
    const std::string target = path_of(arg);
    const std::optional<FileInfo> info = fs.stat(target);
    if (!info) {
        reply(Msg::kMlstFail);
        return;
    }
    reply(Msg::kMlstOk, {target, format_mlsx_line(*info, target, mlst_facts)});
}

void ServerSession::Impl::cmd_rest(const std::string& arg) {
    // RFC 3659 §5.3: REST STREAM's marker is a byte count, decimal digits only.
    std::uint64_t value = 0;
    bool ok = !arg.empty() && arg.size() <= 19;
    for (const char c : arg) {
        if (c < '0' || c > '9') {
            ok = false;
            break;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!ok) {
        reply(Msg::kRestBad);
        return;
    }
    rest = value;  // used by the next RETR, STOR (or APPE, which ignores it) and then cleared
    reply(Msg::kRestOk, {std::to_string(value)});
}

}  // namespace ftpsim::sim
