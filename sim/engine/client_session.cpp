// The FTP client engine: inputs, op sequencing, the greeting, the reply timeout and the end of
// the session. Commands of single ops are in client_commands.cpp, transfers in client_data.cpp.
#include "sim/engine/client_session.hpp"

#include <algorithm>
#include <utility>

#include "sim/engine/client_impl.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim {


ClientSession::Impl::Impl(ClientConfig config_in, std::vector<ClientOp> ops_in)
    : config(std::move(config_in)), ops(std::move(ops_in)), think_prng(config.think_seed) {}

void ClientSession::Impl::send(std::string bytes, std::string shown, Await next, Nanos now) {
    // What each line is, for the ground truth: the client wrote "VERB arg" (or a raw line), after
    // Telnet commands for ABOR (RFC 959 §4.1.3), and a CRLF.
    SendControl out{std::move(bytes), {}};
    std::size_t begin = 0;
    while (begin < out.bytes.size()) {
        const std::size_t crlf = out.bytes.find("\r\n", begin);
        const std::size_t end = crlf == std::string::npos ? out.bytes.size() : crlf + 2;
        std::size_t at = begin;
        ControlMessage m;
        m.end = end;
        while (at + 1 < end && static_cast<unsigned char>(out.bytes[at]) == 0xff) {
            m.telnet = true;
            at += 2;  // IAC and the command it introduces (IP, DM ...)
        }
        const std::string line = out.bytes.substr(at, (crlf == std::string::npos ? end : crlf) - at);
        const std::size_t space = line.find(' ');
        m.verb = line.substr(0, space);
        if (space != std::string::npos) m.arg = line.substr(space + 1);
        if (transfer) m.channel = transfer->id;
        if (m.verb == "PORT" || m.verb == "EPRT") m.endpoint = std::exchange(announcing, std::nullopt);
        out.messages.push_back(std::move(m));
        begin = end;
    }
    push(std::move(out));
    if (current) current->commands.push_back(shown);
    awaited_verb = shown.substr(0, shown.find(' '));
    await = next;
    touch(now);
}

bool ClientSession::Impl::waiting() const {
    if (over) return false;
    if (await != Await::kNothing) return true;
    // A transfer whose final reply is in but whose data connection has not ended yet, or one
    // waiting for the driver to connect or listen.
    return transfer.has_value() && !transfer->data_finished;
}

void ClientSession::Impl::touch(Nanos now) {
    if (thinking_until) {
        deadline = thinking_until;
        return;
    }
    if (!waiting()) {
        deadline.reset();
        return;
    }
    Nanos due = now + config.reply_timeout;
    // A stalled download does not read on purpose: the server cannot make progress until the
    // pause ends, so the timeout counts from then.
    if (transfer && transfer->paused_until) {
        due = std::max(due, *transfer->paused_until + config.reply_timeout);
    }
    deadline = due;
}

void ClientSession::Impl::start_next_op(Nanos now) {
    // An op can fail before sending anything (PORT over IPv6) and so start the next one from
    // inside this call: that is turned into another turn of this loop instead of recursion,
    // so a long list of such ops cannot exhaust the stack.
    if (starting) {
        start_again = true;
        return;
    }
    starting = true;
    do {
        start_again = false;
        if (over) break;
        if (next_op >= ops.size()) {
            // Ops that do not end with QUIT just close the connection, as a script that exits
            // without "bye" does.
            over = true;
            close_control();
            break;
        }
        if (!std::exchange(thought, false)) {
            const ClientOp& op = ops[next_op];
            const Nanos pause = op.gap ? *op.gap : config.think.any() ? config.think.draw(think_prng) : 0;
            if (pause > 0) {
                thinking_until = now + pause;
                deadline = thinking_until;
                break;
            }
        }
        current = OpResult{};
        current->op = ops[next_op++];
        await = Await::kNothing;
        if (client::is_transfer(current->op.kind)) {
            start_transfer(now);
        } else {
            start_command_op(now);
        }
    } while (start_again);
    starting = false;
}

void ClientSession::Impl::finish_op(bool ok, std::string error, Nanos now) {
    if (!current) return;
    OpResult result = std::move(*current);
    current.reset();
    result.ok = ok;
    result.error = ok ? std::string() : std::move(error);
    if (transfer) {
        result.bytes = transfer->stream.bytes();
        result.sha256 = transfer->stream.digest();
        if (client::is_listing(result.op.kind)) result.listing = transfer->stream.take_listing();
        transfer.reset();
    }
    await = Await::kNothing;
    const bool quit = result.op.kind == ClientOp::Kind::kQuit;
    results.push_back(std::move(result));
    ++results_made;
    if (quit) {
        // After QUIT the server closes (RFC 959 §4.1.1, 221); nothing more can run.
        end_session({}, "not run: the session ended with QUIT");
        return;
    }
    start_next_op(now);
    touch(now);
}

void ClientSession::Impl::end_session(const std::string& current_error,
                                      const std::string& rest_error) {
    if (current) {
        close_data();
        OpResult result = std::move(*current);
        current.reset();
        result.ok = false;
        result.error = current_error;
        if (transfer) {
            result.bytes = transfer->stream.bytes();
            result.sha256 = transfer->stream.digest();
            if (client::is_listing(result.op.kind)) {
                result.listing = transfer->stream.take_listing();
            }
        }
        results.push_back(std::move(result));
        ++results_made;
    }
    transfer.reset();
    thinking_until.reset();
    while (next_op < ops.size()) {
        OpResult result;
        result.op = ops[next_op++];
        result.error = rest_error;
        results.push_back(std::move(result));
        ++results_made;
    }
    await = Await::kNothing;
    over = true;
    close_control();
}

void ClientSession::Impl::close_control() {
    deadline.reset();
    if (close_sent) return;
    close_sent = true;
    push(CloseControl{});
}

void ClientSession::Impl::on_reply(ftp::Reply reply, Nanos now) {
    if (over) return;  // after our close: nothing can change any more
    if (await == Await::kGreeting) {
        greeting.push_back(reply);
        touch(now);
        // RFC 959 §5.4 "Connection Establishment": 120 (ready in nnn minutes) then 220, or 421.
        if (reply.code / 100 == 1) return;
        if (reply.code / 100 == 2) {
            await = Await::kNothing;
            start_next_op(now);
            touch(now);
            return;
        }
        end_session({}, "not run: the server refused the session: " + client::summary(reply));
        return;
    }
    if (!current) {
        // Between ops (the client is thinking): only a 421 matters, and it ends the session.
        if (reply.code == 421)
            end_session({}, "not run: the server closed the session: " + client::summary(reply));
        return;
    }
    current->replies.push_back(reply);
    touch(now);
    if (reply.code == 421) {
        // RFC 959 §4.2: "Service not available, closing control connection" - to any command,
        // or unsolicited (idle timeout). Nothing can be sent after it.
        end_session("the server is closing the session: " + client::summary(reply),
                    "not run: the server closed the session: " + client::summary(reply));
        return;
    }
    if (await == Await::kNothing) return;  // unsolicited: kept in the op's replies, no effect
    switch (await) {
        case Await::kEpsv: case Await::kPasv: case Await::kPort: case Await::kRest:
        case Await::kTransfer:
            on_transfer_reply(reply, now);
            break;
        case Await::kAbor:
            if (transfer) {
                on_abort_reply(reply, now);
            } else {
                on_command_reply(reply, now);
            }
            break;
        default:
            on_command_reply(reply, now);
            break;
    }
    touch(now);
}

void ClientSession::Impl::on_timeout(Nanos now) {
    if (!deadline || now < *deadline || over) return;
    if (thinking_until) {
        thinking_until.reset();
        thought = true;
        start_next_op(now);
        touch(now);
        return;
    }
    const auto ms = std::to_string(config.reply_timeout / kMillisecond);
    std::string what;
    if (await == Await::kGreeting) {
        end_session({}, "not run: no greeting from the server within " + ms + " ms");
        return;
    }
    if (await != Await::kNothing) {
        what = "no reply to " + awaited_verb + " within " + ms + " ms";
    } else {
        what = "the data connection made no progress within " + ms + " ms";
    }
    // The control connection is out of step now (a late reply would be taken for the next
    // command's), so QUIT is not tried: the connection is closed.
    end_session(what, "not run: the session ended after a timeout (" + what + ")");
}

// ---- ClientSession: inputs forwarded to Impl ----

ClientSession::ClientSession(ClientConfig config, std::vector<ClientOp> ops)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(ops))) {}

ClientSession::~ClientSession() = default;

void ClientSession::on_control_connected(const net::Endpoint& local, const net::Endpoint& peer,
                                         Nanos now) {
    Impl& s = *impl_;
    if (s.connected || s.over) return;
    s.connected = true;
    s.local = local;
    s.peer = peer;
    s.await = Impl::Await::kGreeting;
    s.awaited_verb = "the greeting";
    s.touch(now);
}

void ClientSession::on_control_bytes(std::span<const std::uint8_t> bytes, Nanos now) {
    Impl& s = *impl_;
    if (s.over) return;
    std::vector<ftp::Reply> replies;
    s.reader.feed(bytes, replies);
    for (auto& reply : replies) s.on_reply(std::move(reply), now);
}

void ClientSession::on_control_closed(Nanos /*now*/) {
    Impl& s = *impl_;
    s.peer_closed = true;
    if (s.over) return;
    if (!s.connected || s.await == Impl::Await::kGreeting) {
        s.end_session({}, "not run: the control connection closed before the greeting");
        return;
    }
    std::string what = "the server closed the control connection";
    if (s.await != Impl::Await::kNothing) what += " while waiting for the reply to " + s.awaited_verb;
    // Our side is closed too (CloseControl), so the driver can release the socket.
    s.end_session(what, "not run: " + what);
}

void ClientSession::on_data_listening(ChannelId id, std::uint16_t port, Nanos now) {
    impl_->data_listening(id, port, now);
}

void ClientSession::on_data_connected(ChannelId id, const net::Endpoint& /*local*/,
                                      const net::Endpoint& /*peer*/, Nanos now) {
    // Like ftp(1) and curl, the client does not check who connected to its PORT listener.
    impl_->data_connected(id, now);
}

void ClientSession::on_data_bytes(ChannelId id, std::span<const std::uint8_t> bytes, Nanos now) {
    impl_->data_bytes(id, bytes, now);
}

void ClientSession::on_data_sent(ChannelId id, Nanos now) { impl_->data_sent(id, now); }

void ClientSession::on_data_closed(ChannelId id, Nanos now) { impl_->data_closed(id, now); }

void ClientSession::on_data_failed(ChannelId id, const std::string& why, Nanos now) {
    impl_->data_failed(id, why, now);
}

void ClientSession::handle_timeout(Nanos now) { impl_->on_timeout(now); }

std::optional<Nanos> ClientSession::poll_timeout() const { return impl_->deadline; }

std::optional<Action> ClientSession::poll_action() {
    auto& q = impl_->actions;
    if (q.empty()) return std::nullopt;
    Action a = std::move(q.front());
    q.pop_front();
    return a;
}

bool ClientSession::finished() const {
    const Impl& s = *impl_;
    return s.over && s.close_sent && s.actions.empty() && s.results_made == s.ops.size();
}

std::optional<OpResult> ClientSession::poll_result() {
    auto& q = impl_->results;
    if (q.empty()) return std::nullopt;
    OpResult r = std::move(q.front());
    q.pop_front();
    return r;
}

const std::vector<ftp::Reply>& ClientSession::greeting() const { return impl_->greeting; }

}  // namespace ftpsim::sim
