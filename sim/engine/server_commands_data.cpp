// Commands that set up or use a data connection: PORT/PASV (RFC 959 §4.1.2), EPRT/EPSV
// (RFC 2428), LIST/NLST (§4.1.3), MLSD (RFC 3659 §7), RETR/STOR/APPE/STOU and ABOR.
#include <fnmatch.h>

#include <algorithm>
#include <utility>

#include "ftp/address_codec.hpp"
#include "sim/engine/listing_format.hpp"
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::Msg;

namespace {

// IPv4, or IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 peer).
bool is_ipv4(const net::IpAddress& a) {
    if (!a.v6) return true;
    return std::all_of(a.bytes.begin(), a.bytes.begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
           a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}

std::string base_of(const std::string& path) {
    return path == "/" ? "/" : path.substr(path.rfind('/') + 1);
}

std::string parent_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

bool ServerSession::Impl::refuse_after_epsv_all() {
    // RFC 2428 §4: after EPSV ALL the server refuses every data connection set-up command but
    // EPSV (so that NATs need not look into the control connection).
    if (!epsv_all) return false;
    reply(Msg::kEpsvAllRefused, {verb});
    return true;
}

void ServerSession::Impl::accept_port(const std::optional<net::Endpoint>& target, bool extended) {
    // The checks of vsftpd's port_promiscuous=NO: the FTP bounce attack (CERT CA-1997-27,
    // RFC 2577 §3) makes the server connect to a third host, or to a privileged service.
    const Msg refused = extended ? Msg::kEprtRefused : Msg::kPortRefused;
    if (!cfg.allow_foreign_port && !server::same_host(target->addr, ctrl_peer.addr)) {
        log("refused " + verb + " to " + target->str() + ": not the control peer " +
            ctrl_peer.addr.str());
        reply(refused);
        return;
    }
    if (!cfg.allow_privileged_port && target->port < 1024) {
        log("refused " + verb + " to " + target->str() + ": privileged port");
        reply(refused);
        return;
    }
    if (!server::same_host(target->addr, ctrl_peer.addr)) {
        log("accepted " + verb + " to foreign host " + target->str() + " (bounce allowed)");
    }
    port_target = *target;
    reply(extended ? Msg::kEprtOk : Msg::kPortOk);
}

void ServerSession::Impl::cmd_port(const std::string& arg) {
    if (refuse_after_epsv_all()) return;
    drop_data_setup();  // vsftpd clears both set-ups first, whatever the outcome
    const std::optional<net::Endpoint> target = ftp::parse_port_argument(arg);
    if (!target) {
        reply(Msg::kPortSyntax);
        return;
    }
    accept_port(target, false);
}

void ServerSession::Impl::cmd_eprt(const std::string& arg) {
    if (refuse_after_epsv_all()) return;
    drop_data_setup();
    // RFC 2428 §2: "<d><net-prt><d>...": an unknown net-prt gets 522, not a syntax error.
    if (arg.size() >= 3) {
        const std::size_t second = arg.find(arg[0], 1);
        if (second != std::string::npos) {
            const std::string proto = arg.substr(1, second - 1);
            if (proto != "1" && proto != "2") {
                reply(Msg::kEprtProto);
                return;
            }
        }
    }
    const std::optional<net::Endpoint> target = ftp::parse_eprt_argument(arg);
    if (!target) {
        reply(Msg::kEprtSyntax);
        return;
    }
    accept_port(target, true);
}

void ServerSession::Impl::cmd_pasv(const std::string& /*arg*/) {
    if (refuse_after_epsv_all()) return;
    // A 227 carries four IPv4 numbers (RFC 959 §4.1.2): on an IPv6 control connection it
    // could only name 0,0,0,0. vsftpd sends exactly that; the other personalities refuse,
    // unless an IPv4 address to announce is configured.
    if (ctrl_local.addr.v6 && !is_ipv4(ctrl_local.addr) && cfg.personality != Personality::kVsftpd &&
        !(cfg.pasv_address && is_ipv4(*cfg.pasv_address))) {
        reply(Msg::kPasvIpv6);
        return;
    }
    open_passive(false);
}

void ServerSession::Impl::cmd_epsv(const std::string& arg) {
    if (ftp::to_upper_ascii(arg) == "ALL") {
        epsv_all = true;
        reply(Msg::kEpsvAllOk);
        return;
    }
    if (!arg.empty()) {
        // RFC 2428 §3: "EPSV <net-prt>" asks for that protocol; the server listens on the
        // control connection's address, so only that one family can be given.
        const std::string want = is_ipv4(ctrl_local.addr) ? "1" : "2";
        if (arg != want) {
            reply(Msg::kEpsvProto, {want});
            return;
        }
    }
    open_passive(true);
}

void ServerSession::Impl::open_passive(bool extended) {
    drop_data_setup();
    DataConn d;
    d.id = next_channel++;
    d.passive = true;
    d.extended = extended;
    d.n = answering;
    data = d;
    // The reply needs the port: later commands wait until on_data_listening gives it.
    pasv_pending = true;
    push(ListenData{d.id, cfg.pasv_port_min, cfg.pasv_port_max, ctrl_local.addr.v6});
}

bool ServerSession::Impl::have_data_setup() {
    if ((data && data->passive) || port_target) return true;
    reply(Msg::kNoDataSetup);
    return false;
}

std::vector<std::string> ServerSession::Impl::listing_lines(const std::string& path,
                                                            bool names_only, bool show_hidden,
                                                            bool mlsd, bool& found) {
    std::vector<std::string> lines;
    const auto line_of = [&](const FileInfo& info) {
        if (names_only) return info.name;
        if (mlsd) return format_mlsx_line(info, info.name, mlst_facts);
        return format_list_line(info, cfg.personality);
    };
    found = false;
    std::string dir = path;
    std::string pattern;
    const std::optional<FileInfo> info = fs.stat(path);
    if (info && !info->directory) {
        found = true;
        lines.push_back(line_of(*info));
        return lines;
    }
    if (!info) {
        // "LIST *.txt": the last component may be a shell pattern, as vsftpd's filter.
        pattern = base_of(path);
        if (pattern.find_first_of("*?[") == std::string::npos) return lines;
        dir = parent_of(path);
    }
    FsError err = FsError::kNone;
    const std::vector<FileInfo> entries = fs.list(dir, err);
    if (err != FsError::kNone) return lines;
    found = true;
    for (const FileInfo& entry : entries) {
        // ls hides dot files without -a; MLSD lists everything (RFC 3659 §7.2.2 leaves it to
        // the server, and clients use MLSD to mirror).
        if (!show_hidden && !mlsd && !entry.name.empty() && entry.name.front() == '.') continue;
        if (!pattern.empty() && ::fnmatch(pattern.c_str(), entry.name.c_str(), FNM_PERIOD) != 0) {
            continue;
        }
        lines.push_back(line_of(entry));
    }
    return lines;
}

void ServerSession::Impl::list_common(const std::string& arg, bool names_only, bool mlsd) {
    if (!have_data_setup()) return;
    std::string target = arg;
    bool show_hidden = false;
    if (!mlsd && !target.empty() && target.front() == '-') {
        // "LIST -la [path]": ls options, as clients send them and vsftpd accepts them (the
        // options must come first).
        const std::size_t space = target.find(' ');
        show_hidden = target.substr(1, space == std::string::npos ? space : space - 1)
                          .find('a') != std::string::npos;
        target = space == std::string::npos ? "" : target.substr(space + 1);
    }
    const std::string path = path_of(target);
    if (mlsd) {
        const std::optional<FileInfo> info = fs.stat(path);
        if (!info || !info->directory) {
            reply(Msg::kMlsdFail);  // RFC 3659 §7.2.2: MLSD names a directory
            return;
        }
    }
    bool found = false;
    // LIST of a directory the scenario lists verbatim: the real server's lines, as they were.
    const std::optional<std::string> verbatim =
        names_only || mlsd ? std::nullopt : verbatim_listing(path);
    const std::vector<std::string> lines =
        verbatim ? std::vector<std::string>{} : listing_lines(path, names_only, show_hidden, mlsd, found);
    if (verbatim) found = true;
    Transfer t;
    t.verb = verb;
    t.n = answering;
    t.what = path;
    t.start_msg = mlsd ? Msg::kMlsdStart : Msg::kListStart;
    t.done_msg = Msg::kListDone;
    if (!found) {
        if (!vsftpd()) {
            reply(Msg::kListFail);
            return;
        }
        // vsftpd opens the data connection anyway, sends nothing and says so in the 226.
        t.done_msg = Msg::kListNoDir;
    }
    t.listing = std::make_shared<const std::string>(verbatim ? *verbatim : join_crlf(lines));
    t.end = t.listing->size();
    start_transfer(std::move(t));
}

void ServerSession::Impl::cmd_list(const std::string& arg) { list_common(arg, false, false); }
void ServerSession::Impl::cmd_nlst(const std::string& arg) { list_common(arg, true, false); }
void ServerSession::Impl::cmd_mlsd(const std::string& arg) { list_common(arg, false, true); }

void ServerSession::Impl::cmd_retr(const std::string& arg) {
    const std::uint64_t offset = std::exchange(rest, 0);  // consumed, whatever happens next
    if (!have_data_setup()) return;
    if (ascii && offset != 0 && vsftpd()) {
        reply(Msg::kAsciiRest);  // vsftpd will not guess where byte N of a converted file is
        return;
    }
    const std::string path = path_of(arg);
    const std::optional<FileInfo> info = fs.stat(path);
    FsError err = FsError::kNone;
    if (!info || info->directory ||
        !fs.read_chunk(path, std::min(offset, info->size), 1, err)) {
        reply(Msg::kRetrFail);
        return;
    }
    Transfer t;
    t.verb = "RETR";
    t.n = answering;
    t.what = path;
    t.path = path;
    t.pos = std::min(offset, info->size);
    t.end = info->size;
    t.ascii = ascii;
    t.start_msg = Msg::kRetrStart;
    // vsftpd announces the whole file's size, whatever the REST offset.
    t.start_args = {ascii ? "ASCII" : "BINARY", arg, std::to_string(info->size)};
    start_transfer(std::move(t));
}

void ServerSession::Impl::upload_common(const std::string& arg, bool append, bool unique) {
    const std::uint64_t offset = std::exchange(rest, 0);
    if (!have_data_setup()) return;
    std::string name = arg;
    std::string path = path_of(arg);
    if (unique) {
        // vsftpd's (wu-ftpd's) scheme: the name asked for if it is free, else name.1, name.2
        // ...; "STOU" as the base, always suffixed, when no name is given.
        const std::string base = arg.empty() ? "STOU" : arg;
        name = base;
        if (arg.empty() || fs.stat(path_of(base))) {
            for (unsigned n = 1; n < 100000; ++n) {
                name = base + "." + std::to_string(n);
                if (!fs.stat(path_of(name))) break;
            }
        }
        path = path_of(name);
    }
    FsError err = FsError::kNone;
    std::unique_ptr<UploadSink> sink;
    if (unique) {
        sink = fs.create(path, err);  // never over a file that appeared since the stat above
    } else if (append) {
        sink = fs.write(path, true, err);  // APPE ignores REST: it always writes at the end
    } else if (offset != 0) {
        sink = fs.write_at(path, offset, err);
    } else {
        sink = fs.write(path, false, err);
    }
    if (!sink) {
        // Storage can be full before the first byte (APPE copies the file it extends).
        reply(err == FsError::kNoSpace || err == FsError::kQuota ? server::upload_failure(err)
                                                                 : Msg::kUploadFail);
        return;
    }
    Transfer t;
    t.verb = verb;
    t.n = answering;
    t.what = path;
    t.upload = true;
    t.ascii = ascii;
    t.sink = std::move(sink);
    t.start_msg = unique ? Msg::kStouStart : Msg::kStorStart;
    t.start_args = {name};
    t.done_msg = Msg::kTransferDone;
    start_transfer(std::move(t));
}

void ServerSession::Impl::cmd_stor(const std::string& arg) { upload_common(arg, false, false); }
void ServerSession::Impl::cmd_appe(const std::string& arg) { upload_common(arg, true, false); }
void ServerSession::Impl::cmd_stou(const std::string& arg) { upload_common(arg, false, true); }

void ServerSession::Impl::cmd_abor(const std::string& /*arg*/) {
    if (xfer) {
        abort_transfer();
        return;
    }
    reply(Msg::kAborNone);  // RFC 959 §4.1.3: nothing in progress
}

}  // namespace ftpsim::sim
