// The data side of a client transfer: the data connection's events, the stall (PauseReading),
// ABOR after a number of bytes (RFC 959 §4.1.3), and uploads sent in chunks with one SendData
// outstanding at a time (the driver's on_data_sent is the flow control).
#include <string>

#include "sim/engine/client_impl.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim {

// ---- stall, abort, upload ----

void ClientSession::Impl::check_stall_and_abort(Nanos now) {
    Transfer& t = *transfer;
    if (t.stream.take_stall_due()) {
        const Nanos until = now + current->op.stall_for;
        push(PauseReading{t.id, until});
        t.paused_until = until;
        touch(now);
    }
    if (!t.abort_sent && t.stream.take_abort_due()) send_abort(now);
}

void ClientSession::Impl::send_abort(Nanos now) {
    Transfer& t = *transfer;
    t.abort_sent = true;
    current->aborted = true;
    // RFC 959 §4.1.3 ABOR: a transfer in progress is answered 426 (or 226 if it had just
    // completed) and then ABOR itself 226; with the transfer's final reply already in, ABOR
    // gets one reply, 225 or 226.
    t.abort_replies_owed = t.final_reply ? 1 : 2;
    send(client::abort_bytes(), "ABOR", Await::kAbor, now);
}

void ClientSession::Impl::on_abort_reply(const ftp::Reply& reply, Nanos now) {
    Transfer& t = *transfer;
    if (reply.code / 100 == 1) {
        t.preliminary = true;  // the transfer's 150, late: ABOR overtook it on our side
        return;
    }
    // 225 ("no transfer in progress") can only answer ABOR: the transfer ended unseen.
    if (t.abort_replies_owed == 2 && reply.code != 225) {
        t.final_reply = reply;  // the transfer's own final reply, usually 426
        t.abort_replies_owed = 1;
        return;
    }
    t.abort_replies_owed = 0;
    close_data();  // the server has closed it by now (RFC 959 §4.1.3); release our side
    if (reply.code / 100 == 2) {
        finish_op(true, {}, now);
    } else {
        finish_op(false, "ABOR refused: " + client::summary(reply), now);
    }
}

void ClientSession::Impl::pump_upload(Nanos now) {
    if (!transfer) return;
    Transfer& t = *transfer;
    if (t.stream.download() || t.channel != Channel::kOpen || t.abort_sent || !t.preliminary) {
        return;
    }
    t.sending = true;
    if (auto chunk = t.stream.next_chunk()) {
        push(SendData{t.id, std::move(*chunk)});  // one outstanding: on_data_sent asks for more
        return;
    }
    if (t.stream.chunk_outstanding() || !t.stream.upload_complete()) return;
    // All written: closing the data connection is the end of file (RFC 959 §3.4, stream mode).
    push(CloseData{.id = t.id});
    t.channel = Channel::kDone;
    t.data_finished = true;
    maybe_complete_transfer(now);
}

// ---- data-connection inputs ----

void ClientSession::Impl::data_listening(ChannelId id, std::uint16_t port, Nanos now) {
    Transfer* t = channel(id);
    if (!t || t->channel != Channel::kListening || t->command_sent || await != Await::kNothing) {
        return;
    }
    t->listening = true;
    send_address_command(port, now);
}

void ClientSession::Impl::data_connected(ChannelId id, Nanos now) {
    Transfer* t = channel(id);
    if (!t) return;
    if (t->channel == Channel::kConnecting) {  // passive: now the command
        t->channel = Channel::kOpen;
        touch(now);
        check_stall_and_abort(now);
        send_transfer_start(now);
    } else if (t->channel == Channel::kListening) {  // active: the server connected to us
        t->channel = Channel::kOpen;
        touch(now);
        check_stall_and_abort(now);
        pump_upload(now);
    }
}

void ClientSession::Impl::data_bytes(ChannelId id, std::span<const std::uint8_t> bytes, Nanos now) {
    Transfer* t = channel(id);
    if (!t || t->channel != Channel::kOpen || !t->stream.download()) return;
    t->stream.received(bytes);
    touch(now);
    check_stall_and_abort(now);
}

void ClientSession::Impl::data_sent(ChannelId id, Nanos now) {
    Transfer* t = channel(id);
    if (!t || t->stream.download() || !t->stream.chunk_outstanding()) return;
    t->stream.chunk_sent();
    touch(now);
    if (!t->abort_sent && t->stream.take_abort_due()) {
        send_abort(now);  // the rest of the upload is never sent
        return;
    }
    pump_upload(now);
}

void ClientSession::Impl::data_closed(ChannelId id, Nanos now) {
    Transfer* t = channel(id);
    if (!t) return;
    if (!t->stream.download() && !t->stream.upload_complete() && !t->abort_sent) {
        t->data_error = "the server closed the data connection after " +
                        std::to_string(t->stream.bytes()) + " bytes of the upload";
    }
    // The peer's EOF: close our side too, so the driver can release the socket.
    push(CloseData{.id = t->id});
    t->channel = Channel::kDone;
    t->data_finished = true;
    touch(now);
    maybe_complete_transfer(now);
}

void ClientSession::Impl::data_failed(ChannelId id, const std::string& why, Nanos now) {
    Transfer* t = channel(id);
    if (!t) return;
    std::string error;
    switch (t->channel) {
        case Channel::kListening:
            error = t->listening ? "the data listener failed: " + why
                                 : "could not listen for the data connection: " + why;
            break;
        case Channel::kConnecting:
            error = "data connection to " + t->remote.str() + " failed: " + why;
            break;
        default:
            error = "data connection failed after " + std::to_string(t->stream.bytes()) +
                    " bytes: " + why;
            break;
    }
    t->channel = Channel::kDone;
    t->data_finished = true;
    t->data_error = error;
    if (await == Await::kNothing && !t->command_sent) {
        finish_op(false, error, now);  // nothing outstanding on the control connection
        return;
    }
    // A command is outstanding: its reply is still read, to stay in step with the server.
    touch(now);
    maybe_complete_transfer(now);
}

}  // namespace ftpsim::sim
