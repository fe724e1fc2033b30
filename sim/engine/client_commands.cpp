// Ops made of commands only: login (USER/PASS/ACCT), the one-command ops, rename (RNFR/RNTO),
// raw lines and a lone ABOR. Each waits for its final reply; 1yz replies are preliminary
// (RFC 959 §4.2: "expect another reply before proceeding with a new command").
#include <string>

#include "sim/engine/client_impl.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim {

using Kind = ClientOp::Kind;

namespace {

bool positive_completion(int code) { return code / 100 == 2; }

}  // namespace

void ClientSession::Impl::start_command_op(Nanos now) {
    const ClientOp& op = current->op;
    switch (op.kind) {
        case Kind::kLogin: {
            // A login op may name its own account (to show a failed login next to a good one).
            const std::string& user = op.arg.empty() ? config.user : op.arg;
            const std::string line = client::command_line("USER", user);
            pass_pipelined = op.pipelined;
            user_reply.reset();
            if (!op.pipelined) {
                send(line, line.substr(0, line.size() - 2), Await::kUser, now);
                return;
            }
            const std::string& password = op.arg2.empty() ? config.password : op.arg2;
            const std::string pass = client::command_line("PASS", password);
            send(line + pass, line.substr(0, line.size() - 2), Await::kUser, now);
            current->commands.push_back(pass.substr(0, pass.size() - 2));
            return;
        }
        case Kind::kRename: {
            const std::string line = client::command_line("RNFR", op.arg);
            send(line, line.substr(0, line.size() - 2), Await::kRnfr, now);
            return;
        }
        case Kind::kRaw: {
            std::string shown = op.arg;
            while (!shown.empty() && (shown.back() == '\n' || shown.back() == '\r')) {
                shown.pop_back();
            }
            send(client::raw_line(op.arg), shown, Await::kRaw, now);
            return;
        }
        case Kind::kAbort:
            send(client::abort_bytes(), "ABOR", Await::kAbor, now);
            return;
        case Kind::kType: {
            // TYPE needs an argument (RFC 959 §4.1.2); binary is what every client means.
            const std::string line = client::command_line("TYPE", op.arg.empty() ? "I" : op.arg);
            send(line, line.substr(0, line.size() - 2), Await::kSimple, now);
            return;
        }
        default: {
            const std::string line = client::command_line(client::verb_of(op.kind), op.arg);
            send(line, line.substr(0, line.size() - 2), Await::kSimple, now);
            return;
        }
    }
}

void ClientSession::Impl::on_login_reply(const ftp::Reply& reply, Nanos now) {
    const ClientOp& op = current->op;
    const auto send_acct = [&] {
        if (config.account.empty()) {
            finish_op(false, "the server asks for an account (" + client::summary(reply) +
                                 ") and none is configured",
                      now);
            return;
        }
        const std::string line = client::command_line("ACCT", config.account);
        send(line, line.substr(0, line.size() - 2), Await::kAcct, now);
    };
    // RFC 959 §5.4 "Login": USER -> 230 | 530 | 500,501,421 | 331,332; PASS -> 230, 202 |
    // 530 | 500,501,503,421 | 332; ACCT -> 230, 202 | 530 | 500,501,503,421.
    if (pass_pipelined && await == Await::kUser) {
        // PASS is already out: its reply comes next, whatever USER got.
        user_reply = reply;
        await = Await::kPass;
        awaited_verb = "PASS";
        return;
    }
    if (pass_pipelined && user_reply && user_reply->code != 331) {
        // USER alone decided: logged in without a password (230), or refused.
        const bool in = positive_completion(user_reply->code);
        finish_op(in, in ? std::string() : "login refused: " + client::summary(*user_reply), now);
        return;
    }
    if (positive_completion(reply.code)) {
        finish_op(true, {}, now);
        return;
    }
    if (reply.code == 332 && await != Await::kAcct) {
        send_acct();
        return;
    }
    if (reply.code == 331 && await == Await::kUser) {
        const std::string& password = op.arg2.empty() ? config.password : op.arg2;
        const std::string line = client::command_line("PASS", password);
        send(line, line.substr(0, line.size() - 2), Await::kPass, now);
        return;
    }
    finish_op(false, "login refused: " + client::summary(reply), now);
}

void ClientSession::Impl::on_command_reply(const ftp::Reply& reply, Nanos now) {
    if (reply.code / 100 == 1) return;  // preliminary: the final reply follows
    switch (await) {
        case Await::kUser: case Await::kPass: case Await::kAcct:
            on_login_reply(reply, now);
            return;
        case Await::kRnfr:
            // RFC 959 §4.1.3: RNFR's 350 asks for RNTO, which must follow at once.
            if (reply.code == 350) {
                const std::string line = client::command_line("RNTO", current->op.arg2);
                send(line, line.substr(0, line.size() - 2), Await::kRnto, now);
            } else {
                finish_op(false, "RNFR refused: " + client::summary(reply), now);
            }
            return;
        case Await::kRaw:
            // A raw line may be anything, so an intermediate 3yz (USER's 331, REST's 350)
            // counts as accepted: the line did what it was sent for.
            if (reply.code / 100 <= 3) {
                finish_op(true, {}, now);
            } else {
                finish_op(false, "refused: " + client::summary(reply), now);
            }
            return;
        case Await::kAbor:
            // No transfer in progress: one reply, 225 or 226 (RFC 959 §4.1.3, §5.4).
            if (positive_completion(reply.code)) {
                finish_op(true, {}, now);
            } else {
                finish_op(false, "ABOR refused: " + client::summary(reply), now);
            }
            return;
        default:  // kSimple, kRnto
            if (positive_completion(reply.code)) {
                finish_op(true, {}, now);
            } else {
                finish_op(false, awaited_verb + " failed: " + client::summary(reply), now);
            }
            return;
    }
}

}  // namespace ftpsim::sim
