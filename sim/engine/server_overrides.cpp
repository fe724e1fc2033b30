// Replies and listings given verbatim (ServerConfig::replies, ::listings): what a real server
// said, where our personalities would word or decide it otherwise. A configured reply replaces
// the command; the session's state then follows the code the client saw, so that the rest of
// the session agrees with it (a 230 to USER has logged in, a 530 to PASS is a failed login, a
// refused PASV leaves no data connection).
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

namespace {

bool is_data_setup_verb(const std::string& v) {
    return v == "PORT" || v == "EPRT" || v == "PASV" || v == "EPSV";
}

bool is_directory_change(const std::string& v) {
    return v == "CWD" || v == "XCWD" || v == "CDUP" || v == "XCUP";
}

}  // namespace

const ReplyOverride* ServerSession::Impl::match_reply(const ftp::Command& cmd,
                                                      std::uint32_t occurrence) const {
    for (const ReplyOverride& o : cfg.replies) {
        if (o.verb != cmd.verb) continue;
        if (o.occurrence != 0 && o.occurrence != occurrence) continue;
        if (o.arg && *o.arg != cmd.arg) continue;
        return &o;
    }
    return nullptr;
}

bool ServerSession::Impl::override_fails_login(const ftp::Command& cmd) const {
    // Only a 530 is a refused password (RFC 959 §4.2: "Not logged in"); a 421 or a 500 to PASS
    // is something else, and a real server does not sleep before it.
    const ReplyOverride* o = match_reply(cmd, verb_counts.count(cmd.verb) ? verb_counts.at(cmd.verb) + 1 : 1);
    return o != nullptr && o->code == 530;
}

void ServerSession::Impl::override_login(const ReplyOverride& o, const ftp::Command& cmd) {
    const int code = o.code;
    if (code == 230 || (cmd.verb != "USER" && code / 100 == 2)) {
        // RFC 959 §5.4: 230 to USER is a login without password (an anonymous server that never
        // asks for one); 2yz to PASS or ACCT completes the login whatever the password was.
        if (cmd.verb == "USER") user = cmd.arg;
        if (login != Login::kLoggedIn) log("login " + user);
        login = Login::kLoggedIn;
        cwd = "/";
        return;
    }
    if (cmd.verb == "USER" && (code == 331 || code == 332)) {
        user = cmd.arg;
        login = Login::kUserGiven;
        return;
    }
    if (code == 332) return;  // PASS -> 332: ACCT is next, the USER stands
    if (code == 530 && cmd.verb != "USER" && login != Login::kLoggedIn) {
        ++login_failures;
        log("login failed for " + user + " (" + std::to_string(login_failures) + ")");
        login = Login::kNone;
        return;
    }
    if (code >= 400 && login == Login::kUserGiven) login = Login::kNone;  // start over with USER
}

void ServerSession::Impl::answer_with(const ReplyOverride& o, const ftp::Command& cmd) {
    log("replies " + cmd.verb + "#" + std::to_string(verb_counts[cmd.verb]) + ": " +
        std::to_string(o.code));
    const bool positive = o.code < 400;
    if (cmd.verb == "USER" || cmd.verb == "PASS" || cmd.verb == "ACCT") {
        override_login(o, cmd);
    } else if (is_data_setup_verb(cmd.verb) || ftp::is_transfer_verb(cmd.verb)) {
        // A refused PORT/PASV sets nothing up, and a transfer command answered without a
        // transfer consumes the set-up, as a failed transfer does (the loader allows no 1yz, and
        // no positive reply to the set-up verbs, which would need the server's address).
        drop_data_setup();
        rest = 0;
    } else if (is_directory_change(cmd.verb) && positive) {
        cwd = path_of(cmd.verb == "CDUP" || cmd.verb == "XCUP" ? ".." : cmd.arg);
    } else if (cmd.verb == "REST" && !positive) {
        rest = 0;
    }
    reply_raw(o.code, o.text);
    if (cmd.verb == "QUIT" && o.code / 100 == 2) {
        log("QUIT");
        close_control(false);
        return;
    }
    if (o.code == 421) {
        // RFC 959 §4.2: 421 "Service not available, closing control connection".
        log("closing after 421");
        close_control(false);
        return;
    }
    if (o.code == 530 && (cmd.verb == "PASS" || cmd.verb == "ACCT") && cfg.max_login_failures > 0 &&
        login_failures >= cfg.max_login_failures) {
        log("closing: " + std::to_string(login_failures) + " failed logins");
        close_control(false);
    }
}

std::optional<std::string> ServerSession::Impl::verbatim_listing(const std::string& dir) const {
    if (const auto it = cfg.listings.find(dir); it != cfg.listings.end()) return it->second;
    return std::nullopt;
}

}  // namespace ftpsim::sim
