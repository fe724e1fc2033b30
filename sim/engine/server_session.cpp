// The FTP server engine's front: the inputs of the sans-IO contract, the command line queue,
// login gating, dispatch to the command handlers, injected faults and the timers.
#include <algorithm>
#include <iterator>
#include <utility>

#include "sim/engine/listing_format.hpp"
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::Msg;

namespace server {

// ABOR comes after Telnet IP and Synch (RFC 959 §4.1.3). The LineSplitter removes IAC
// commands, but when the driver reads without SO_OOBINLINE the kernel takes the urgent DM byte
// out of the stream and an "IAC A" is left, which the splitter keeps as data: leading bytes
// that can only be Telnet leftovers (0xF0-0xFF) are dropped before parsing.
std::string strip_telnet(const std::string& text) {
    std::size_t i = 0;
    while (i < text.size() && static_cast<unsigned char>(text[i]) >= 0xF0) ++i;
    return text.substr(i);
}

}  // namespace server

using server::strip_telnet;

ServerSession::Impl::Handler ServerSession::Impl::find_handler(const std::string& name) {
    struct Spec {
        std::string_view verb;
        Handler handler;
    };
    // The implemented commands. RFC 775's X verbs share their RFC 959 handlers (Appendix II).
    static const Spec kCommands[] = {
        {"USER", &Impl::cmd_user}, {"PASS", &Impl::cmd_pass}, {"ACCT", &Impl::cmd_acct},
        {"QUIT", &Impl::cmd_quit}, {"SYST", &Impl::cmd_syst}, {"NOOP", &Impl::cmd_noop},
        {"HELP", &Impl::cmd_help}, {"FEAT", &Impl::cmd_feat}, {"OPTS", &Impl::cmd_opts},
        {"STAT", &Impl::cmd_stat}, {"SITE", &Impl::cmd_site}, {"ALLO", &Impl::cmd_allo},
        {"TYPE", &Impl::cmd_type}, {"MODE", &Impl::cmd_mode}, {"STRU", &Impl::cmd_stru},
        {"PWD", &Impl::cmd_pwd},   {"XPWD", &Impl::cmd_pwd},  {"CWD", &Impl::cmd_cwd},
        {"XCWD", &Impl::cmd_cwd},  {"CDUP", &Impl::cmd_cdup}, {"XCUP", &Impl::cmd_cdup},
        {"SIZE", &Impl::cmd_size}, {"MDTM", &Impl::cmd_mdtm}, {"DELE", &Impl::cmd_dele},
        {"MKD", &Impl::cmd_mkd},   {"XMKD", &Impl::cmd_mkd},  {"RMD", &Impl::cmd_rmd},
        {"XRMD", &Impl::cmd_rmd},  {"RNFR", &Impl::cmd_rnfr}, {"RNTO", &Impl::cmd_rnto},
        {"MLST", &Impl::cmd_mlst}, {"REST", &Impl::cmd_rest}, {"PORT", &Impl::cmd_port},
        {"EPRT", &Impl::cmd_eprt}, {"PASV", &Impl::cmd_pasv}, {"EPSV", &Impl::cmd_epsv},
        {"LIST", &Impl::cmd_list}, {"NLST", &Impl::cmd_nlst}, {"MLSD", &Impl::cmd_mlsd},
        {"RETR", &Impl::cmd_retr}, {"STOR", &Impl::cmd_stor}, {"APPE", &Impl::cmd_appe},
        {"STOU", &Impl::cmd_stou}, {"ABOR", &Impl::cmd_abor},
    };
    for (const Spec& spec : kCommands) {
        if (spec.verb == name) return spec.handler;
    }
    return nullptr;
}

ServerSession::Impl::Impl(const ServerConfig& config, FileSystem& file_system)
    : cfg(config), fs(file_system), splitter(config.max_command_line), think_prng(config.think_seed) {
    mlst_facts = supported_facts();
}

unsigned ServerSession::Impl::supported_facts() const {
    // vsftpd has no MLST; FileZilla Server 0.9 gives type, size and modify.
    if (vsftpd()) return 0;
    if (filezilla()) {
        return static_cast<unsigned>(MlstFact::kType) | static_cast<unsigned>(MlstFact::kSize) |
               static_cast<unsigned>(MlstFact::kModify);
    }
    return kAllMlstFacts;
}

void ServerSession::Impl::push(Action action) { actions.push_back(std::move(action)); }

void ServerSession::Impl::log(std::string line) {
    if (logs.size() >= server::kMaxLogLines) logs.pop_front();  // the driver is not draining
    logs.push_back(std::move(line));
}

bool ServerSession::Impl::blocked() const {
    // Replies go out in command order (RFC 959 §4.2), so a command waits while an earlier one
    // is unanswered: a transfer, a PASV waiting for its port, a delayed reply.
    return !greeted || closing || delayed.has_value() || thinking.has_value() || pasv_pending ||
           xfer.has_value();
}

void ServerSession::Impl::on_line(ftp::Line line) {
    if (closing) return;
    last_activity = now;
    const std::uint32_t n = ++lines_in;
    if (xfer && xfer->phase != Transfer::Phase::kCommitting && !line.overlong && !delayed) {
        // During a transfer only ABOR (and STAT, RFC 959 §4.1.3) are answered at once; every
        // other command waits for the transfer's final reply. Once an upload is being put in
        // place the transfer is complete: an ABOR then gets the 226 first, then its own
        // "no transfer" reply (§4.1.3: "the service has been completed").
        const std::optional<ftp::Command> cmd = ftp::parse_command(strip_telnet(line.text));
        if (cmd && cmd->verb == "ABOR") {
            answering = n;
            process_command(*cmd, false);
            return;
        }
        if (cmd && cmd->verb == "STAT" && cmd->arg.empty() && queue.empty()) {
            answering = n;
            transfer_status();
            return;
        }
    }
    if (blocked() || !queue.empty()) {
        if (queue.size() >= server::kMaxQueuedLines) {
            verb.clear();
            answering = n;
            reply(Msg::kTooManyQueued);
            log("closing: more than " + std::to_string(server::kMaxQueuedLines) +
                " commands queued");
            close_control(false);
            return;
        }
        queue.push_back(QueuedLine{std::move(line), n});
        return;
    }
    begin_line(std::move(line), n);
}

void ServerSession::Impl::settle() {
    while (!closing && !blocked() && !queue.empty()) {
        QueuedLine next = std::move(queue.front());
        queue.pop_front();
        begin_line(std::move(next.line), next.n);
    }
}

void ServerSession::Impl::process_line(const ftp::Line& line) {
    verb.clear();
    if (line.overlong) {
        // The splitter kept only max_command_line bytes of it; the rest was counted, not stored.
        reply(Msg::kLineTooLong);
        log("command line longer than " + std::to_string(cfg.max_command_line) +
            " bytes discarded");
        return;
    }
    const std::string text = strip_telnet(line.text);
    const std::optional<ftp::Command> cmd = ftp::parse_command(text);
    if (!cmd) {
        // vsftpd ignores empty lines once logged in ("to avoid NAT device bugs"); before login
        // every line that is not USER/PASS/QUIT gets 530, even garbage.
        if (text.empty() && vsftpd() && login == Login::kLoggedIn) return;
        reply(login == Login::kLoggedIn ? Msg::kUnknown : Msg::kNotLoggedIn);
        return;
    }
    process_command(*cmd, false);
}

const Fault* ServerSession::Impl::match_fault(const std::string& verb_name,
                                              std::uint32_t occurrence) const {
    for (const Fault& f : cfg.faults) {
        if (f.verb == verb_name && (f.occurrence == 0 || f.occurrence == occurrence)) return &f;
    }
    return nullptr;
}

void ServerSession::Impl::process_command(const ftp::Command& cmd, bool replay) {
    verb = cmd.verb;
    fault.reset();
    if (!replay) {
        const std::uint32_t occurrence = ++verb_counts[cmd.verb];
        if (const Fault* f = match_fault(cmd.verb, occurrence)) {
            const std::string tag = "fault " + cmd.verb + "#" + std::to_string(occurrence) + ": ";
            switch (f->kind) {
                case Fault::Kind::kReply:
                    log(tag + "reply " + std::to_string(f->code));
                    reply_raw(f->code, f->text);
                    return;
                case Fault::Kind::kClose:
                    log(tag + "close the control connection");
                    close_control(false);
                    return;
                case Fault::Kind::kDelay:
                    log(tag + "delay " + std::to_string(f->delay / kMillisecond) + " ms");
                    delayed = Delayed{cmd, now + f->delay, answering};
                    return;
                default:
                    if (ftp::is_transfer_verb(cmd.verb)) {
                        fault = *f;  // the transfer command applies it
                    } else {
                        log(tag + "data fault ignored: not a transfer command");
                    }
                    break;
            }
        }
    }
    // RNFR's path is for the command right after it only (RFC 959 §4.1.3).
    rnfr_taken = std::exchange(rnfr, std::nullopt);

    // A reply the scenario gives verbatim (what a real server answered) replaces the command,
    // before the login gate: the real server decided what to say before login too.
    if (const ReplyOverride* o = match_reply(cmd, verb_counts[cmd.verb])) {
        answer_with(*o, cmd);
        return;
    }

    if (login != Login::kLoggedIn && !allowed_before_login(cmd.verb)) {
        reply(Msg::kNotLoggedIn);
        return;
    }
    Handler handler = find_handler(cmd.verb);
    // vsftpd knows neither MLST nor MLSD.
    if (vsftpd() && (cmd.verb == "MLST" || cmd.verb == "MLSD")) handler = nullptr;
    if (handler == nullptr) {
        if (!ftp::is_known_verb(cmd.verb)) {
            reply(Msg::kUnknown);
        } else if (vsftpd() && cmd.verb != "REIN" && cmd.verb != "SMNT") {
            reply(Msg::kUnknown);  // vsftpd: 502 only for REIN, ACCT, SMNT
        } else {
            reply(Msg::kNotImpl, {cmd.verb});
        }
        return;
    }
    (this->*handler)(cmd.arg);
}

bool ServerSession::Impl::allowed_before_login(const std::string& v) const {
    // vsftpd's prelogin.c answers USER, PASS, QUIT, FEAT and OPTS (clients send FEAT before
    // logging in to choose their commands) and 530 to everything else. The others also take
    // the informational commands that reveal nothing of the file tree.
    static constexpr std::string_view kVsftpd[] = {"USER", "PASS", "QUIT", "FEAT", "OPTS"};
    static constexpr std::string_view kOthers[] = {"USER", "PASS", "ACCT", "QUIT", "FEAT",
                                                   "OPTS", "HELP", "SYST", "NOOP"};
    if (vsftpd()) return std::find(std::begin(kVsftpd), std::end(kVsftpd), v) != std::end(kVsftpd);
    return std::find(std::begin(kOthers), std::end(kOthers), v) != std::end(kOthers);
}

void ServerSession::Impl::connect_greeting() {
    // "CONNECT" faults act on the greeting; a session has one, so occurrence 0 or 1 match.
    verb = "GREETING";
    answering = 0;
    if (const Fault* f = match_fault("CONNECT", 1)) {
        switch (f->kind) {
            case Fault::Kind::kReply:
                log("fault CONNECT: greeting " + std::to_string(f->code));
                reply_raw(f->code, f->text);
                greeted = true;
                // A refusal (421, or any error) is followed by the close, as a server at its
                // limits does; a 2yz/1yz just replaces the banner.
                if (f->code >= 400) close_control(false);
                return;
            case Fault::Kind::kClose:
                log("fault CONNECT: close without greeting");
                close_control(false);
                return;
            case Fault::Kind::kDelay:
                log("fault CONNECT: greeting delayed " + std::to_string(f->delay / kMillisecond) +
                    " ms");
                greeting_due = now + f->delay;
                return;
            default:
                log("fault CONNECT: data fault ignored");
                break;
        }
    }
    if (cfg.think.any()) {
        greeting_due = now + cfg.think.draw(think_prng);  // the server's process starts up
        return;
    }
    greet();
}

void ServerSession::Impl::greet() {
    verb = "GREETING";
    answering = 0;
    reply(Msg::kGreeting);
    greeted = true;
}

void ServerSession::Impl::close_control(bool reset) {
    if (closing) return;
    xfer.reset();  // an upload in progress is abandoned with its sink, the target untouched
    close_data(reset);
    queue.clear();
    delayed.reset();
    thinking.reset();
    greeting_due.reset();
    pasv_pending = false;
    push(CloseControl{reset});
    closing = true;
}

std::optional<Nanos> ServerSession::Impl::deadline() const {
    if (closing || !started) return std::nullopt;
    std::optional<Nanos> next;
    const auto consider = [&next](Nanos t) {
        if (!next || t < *next) next = t;
    };
    if (greeting_due) consider(*greeting_due);
    if (delayed) consider(delayed->until);
    if (thinking) consider(thinking->until);
    if (xfer && xfer->awaits_connection()) consider(xfer->deadline);
    // vsftpd's idle_session_timeout runs while the server waits for a command, not while it is
    // busy (its data_connection_timeout covers transfers).
    if (greeted && !blocked() && cfg.idle_timeout > 0) consider(last_activity + cfg.idle_timeout);
    return next;
}

void ServerSession::Impl::timeout(Nanos at) {
    if (closing) return;
    if (greeting_due && at >= *greeting_due) {
        greeting_due.reset();
        greet();
    }
    if (delayed && at >= delayed->until) {
        const ftp::Command cmd = std::move(delayed->cmd);
        answering = delayed->n;
        delayed.reset();
        process_command(cmd, true);
    }
    if (thinking && at >= thinking->until) {
        const ftp::Line line = std::move(thinking->line);
        answering = thinking->n;
        thinking.reset();
        process_line(line);
    }
    if (xfer && xfer->awaits_connection() && at >= xfer->deadline) {
        log(xfer->verb + " " + xfer->what + ": no data connection within " +
            std::to_string(cfg.data_connect_timeout / kSecond) + " s");
        fail_transfer(Msg::kDataConnFail, /*reset=*/true);
    }
    if (!closing && greeted && !blocked() && cfg.idle_timeout > 0 &&
        at >= last_activity + cfg.idle_timeout) {
        verb = "TIMEOUT";
        answering = 0;
        reply(Msg::kTimeout);
        log("idle timeout: closing");
        close_control(false);
    }
}

}  // namespace ftpsim::sim
