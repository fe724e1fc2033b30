// The server's think time (ServerConfig::think): a command line is read, held for a time drawn
// from the seed, then processed. Commands behind it wait in the queue (blocked()), so replies
// still go out in command order (RFC 959 §4.2).
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::is_anonymous_name;
using server::strip_telnet;

void ServerSession::Impl::begin_line(ftp::Line line, std::uint32_t n) {
    answering = n;
    if (!cfg.think.any() && cfg.failed_login_delay == 0) {
        process_line(line);
        return;
    }
    const Nanos pause = think_about(line);
    if (pause == 0) {
        process_line(line);
        return;
    }
    thinking = Thinking{std::move(line), now + pause, n};
}

Nanos ServerSession::Impl::think_about(const ftp::Line& line) {
    Nanos pause = cfg.think.any() ? cfg.think.draw(think_prng) : 0;
    if (line.overlong) return pause;
    // A wrong password is answered late: vsftpd sleeps delay_failed_login seconds before its
    // 530, so that guessing is slow (what a student sees as the pause before "Login incorrect").
    const std::optional<ftp::Command> cmd = ftp::parse_command(strip_telnet(line.text));
    // A 530 given by `replies:` is a failed login too, and as late.
    if (cmd && cmd->verb == "PASS" &&
        (match_reply(*cmd, verb_counts[cmd->verb] + 1) ? override_fails_login(*cmd)
                                                        : would_fail_login(cmd->arg))) {
        pause += cfg.failed_login_delay;
    }
    return pause;
}

bool ServerSession::Impl::would_fail_login(const std::string& password) const {
    // The same test cmd_pass makes, without its effects; a PASS out of sequence gets 503, not 530.
    if (login != Login::kUserGiven) return false;
    if (is_anonymous_name(user)) return !cfg.anonymous;
    const auto it = cfg.users.find(user);
    return it == cfg.users.end() || it->second != password;
}

}  // namespace ftpsim::sim
