// Commands about the session rather than files: login (RFC 959 §4.1.1), transfer parameters
// (§4.1.2 TYPE, MODE, STRU), informational and miscellaneous commands (§4.1.3), FEAT and OPTS
// (RFC 2389).
#include "sim/engine/listing_format.hpp"
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::Msg;

namespace server {

bool is_anonymous_name(const std::string& name) {
    const std::string upper = ftp::to_upper_ascii(name);
    return upper == "ANONYMOUS" || upper == "FTP";
}

}  // namespace server

using server::is_anonymous_name;

void ServerSession::Impl::cmd_user(const std::string& arg) {
    if (login == Login::kLoggedIn) {
        // vsftpd keeps the first login for the whole session.
        reply(Msg::kUserChange);
        return;
    }
    user = arg;
    login = Login::kUserGiven;
    reply(Msg::kUserOk, {arg});
}

void ServerSession::Impl::cmd_pass(const std::string& arg) {
    if (login == Login::kLoggedIn) {
        reply(Msg::kAlreadyLoggedIn);
        return;
    }
    if (login != Login::kUserGiven) {
        reply(Msg::kNeedUser);  // RFC 959 §5.4: PASS without USER is a bad sequence
        return;
    }
    bool ok = false;
    if (is_anonymous_name(user)) {
        ok = cfg.anonymous;  // any password (by custom an e-mail address, RFC 1635)
    } else if (const auto it = cfg.users.find(user); it != cfg.users.end()) {
        ok = it->second == arg;
    }
    if (ok) {
        login = Login::kLoggedIn;
        cwd = "/";
        reply(Msg::kLoginOk);
        log("login " + user);
        return;
    }
    ++login_failures;
    log("login failed for " + user + " (" + std::to_string(login_failures) + ")");
    login = Login::kNone;
    if (cfg.max_login_failures > 0 && login_failures >= cfg.max_login_failures) {
        log("closing: " + std::to_string(login_failures) + " failed logins");
        if (vsftpd()) {
            // vsftpd 3.0.3 answers the last failure like the others, then hangs up
            // (max_login_fails).
            reply(Msg::kLoginBad);
        } else {
            reply(Msg::kLoginTooMany);
        }
        close_control(false);
        return;
    }
    reply(Msg::kLoginBad);
}

void ServerSession::Impl::cmd_acct(const std::string& /*arg*/) {
    if (login == Login::kNone) {
        reply(Msg::kNeedUser);
        return;
    }
    reply(Msg::kAcct);
}

void ServerSession::Impl::cmd_quit(const std::string& /*arg*/) {
    reply(Msg::kGoodbye);
    log("QUIT");
    close_control(false);
}

void ServerSession::Impl::cmd_syst(const std::string& /*arg*/) { reply(Msg::kSyst); }

void ServerSession::Impl::cmd_noop(const std::string& /*arg*/) { reply(Msg::kNoop); }

void ServerSession::Impl::cmd_help(const std::string& /*arg*/) { reply(Msg::kHelp); }

void ServerSession::Impl::cmd_feat(const std::string& /*arg*/) {
    // RFC 2389 §3.2; the MLST line lists the supported facts, selected ones starred (RFC 3659
    // §7.8).
    reply(Msg::kFeat, {format_fact_list(supported_facts(), mlst_facts, true)});
}

void ServerSession::Impl::cmd_opts(const std::string& arg) {
    const std::size_t space = arg.find(' ');
    const std::string command = ftp::to_upper_ascii(arg.substr(0, space));
    const std::string rest = space == std::string::npos ? "" : arg.substr(space + 1);
    if (command == "UTF8" && ftp::to_upper_ascii(rest) == "ON") {
        // RFC 2640 §3.1 via the draft-ietf-ftpext-utf-8-option that clients send.
        reply(Msg::kOptsUtf8);
        return;
    }
    if (command == "MLST" && supported_facts() != 0) {
        // RFC 3659 §7.9: select the facts, answer with the ones now selected.
        mlst_facts = parse_fact_list(rest, supported_facts());
        reply(Msg::kOptsMlst, {format_fact_list(supported_facts(), mlst_facts, false)});
        return;
    }
    reply(Msg::kOptsBad);
}

void ServerSession::Impl::cmd_stat(const std::string& arg) {
    if (arg.empty()) {
        // RFC 959 §4.1.3: without argument, the server's status, as a 211 reply.
        reply(Msg::kStat, {ctrl_peer.addr.str(), user, ascii ? "ASCII" : "BINARY",
                           std::to_string(cfg.idle_timeout / kSecond)});
        return;
    }
    // With an argument: a LIST of it over the control connection (213, as vsftpd).
    std::string target = arg;
    if (!target.empty() && target.front() == '-') {
        const std::size_t space = target.find(' ');
        target = space == std::string::npos ? "" : target.substr(space + 1);
    }
    bool found = false;
    std::string body;
    for (const std::string& line : listing_lines(path_of(target), false, true, false, found)) {
        body += server::fill("{}", {line}) + "\n";  // a CR or LF in a name cannot end a line
    }
    // The listing lines are the middle of the multi-line reply: put in after the filling, which
    // would flatten their line ends.
    const server::Text t = server::text_for(cfg.personality, Msg::kStatFile);
    std::string text = t.text;
    if (const std::size_t at = text.find("{}"); at != std::string::npos) text.replace(at, 2, body);
    reply_text(t.code, text);
}

void ServerSession::Impl::transfer_status() {
    verb = "STAT";
    reply(Msg::kXferStatus, {xfer->verb, xfer->what, std::to_string(xfer->bytes)});
}

void ServerSession::Impl::cmd_site(const std::string& arg) {
    const std::string sub = ftp::to_upper_ascii(arg.substr(0, arg.find(' ')));
    reply(sub == "HELP" ? Msg::kSiteHelp : Msg::kSiteUnknown);
}

void ServerSession::Impl::cmd_allo(const std::string& /*arg*/) {
    // RFC 959 §4.1.3: servers that need no allocation treat ALLO as a NOOP (202).
    reply(Msg::kAllo);
}

void ServerSession::Impl::cmd_type(const std::string& arg) {
    // RFC 959 §3.1.1: A (with the default N format) and I; L 8 is the same as I on an 8-bit
    // machine. E(BCDIC) and other formats are not supported.
    const std::string t = ftp::to_upper_ascii(arg);
    if (t == "I" || t == "L 8" || t == "L8") {
        ascii = false;
        reply(Msg::kTypeI);
    } else if (t == "A" || t == "A N") {
        ascii = true;
        reply(Msg::kTypeA);
    } else {
        reply(Msg::kTypeBad);
    }
}

void ServerSession::Impl::cmd_mode(const std::string& arg) {
    reply(ftp::to_upper_ascii(arg) == "S" ? Msg::kModeOk : Msg::kModeBad);  // stream only
}

void ServerSession::Impl::cmd_stru(const std::string& arg) {
    reply(ftp::to_upper_ascii(arg) == "F" ? Msg::kStruOk : Msg::kStruBad);  // file only
}

}  // namespace ftpsim::sim
