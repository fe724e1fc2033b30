// Transfers (LIST NLST MLSD RETR STOR APPE STOU) in the order curl and ftp(1) use:
//   passive:  PASV|EPSV -> 227|229 -> connect -> [REST -> 350] -> command -> 1yz ... 226
//   active:   listen -> PORT|EPRT -> 200 -> [REST -> 350] -> command -> 1yz, accept ... 226
// This file: choosing and announcing the data connection, REST, the transfer command and its
// replies. The data connection's own events, stalls, ABOR and uploads: client_data_flow.cpp.
// An op completes when both its data connection has ended (EOF for downloads, our close after
// the last byte for uploads) and the command's final reply is in, in whichever order they come:
// they travel on different connections.
#include <algorithm>
#include <string>

#include "ftp/address_codec.hpp"
#include "sim/engine/client_impl.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim {


namespace {

std::string shown(const std::string& line) { return line.substr(0, line.size() - 2); }

// The address is usually in the first line's text, but multi-line 227/229 replies exist.
template <typename Find>
auto find_in_reply(const ftp::Reply& reply, Find find) -> decltype(find(reply.text)) {
    if (auto found = find(reply.text)) return found;
    for (const auto& line : reply.lines) {
        if (auto found = find(line)) return found;
    }
    return std::nullopt;
}

bool epsv_fallback_code(int code) {
    // 500/501/502: EPSV unknown or unimplemented; 522: network protocol not supported
    // (RFC 2428 §2). curl and lftp fall back to PASV on these.
    return code == 500 || code == 501 || code == 502 || code == 522;
}

}  // namespace

ClientSession::Impl::Transfer::Transfer(const ClientOp& op, ChannelId id_in, DataMode mode_in, bool hash)
    : id(id_in),
      mode(mode_in),
      stream(op, client::is_download(op.kind), client::is_listing(op.kind), hash) {}

ClientSession::Impl::Transfer* ClientSession::Impl::channel(ChannelId id) {
    if (!transfer || transfer->id != id) return nullptr;
    if (transfer->channel == Channel::kNone || transfer->channel == Channel::kDone) return nullptr;
    return &*transfer;
}

std::uint16_t ClientSession::Impl::next_active_port(const ClientOp& op) {
    if (op.active_port != 0) return op.active_port;
    const std::uint32_t first = config.active_first_port;
    if (first == 0) return 0;
    // Each transfer on the next port, as ftp(1) with a fixed base does; wraps within
    // [first, 65535] rather than overflowing to the privileged range.
    const std::uint32_t span = 65536 - first;
    return static_cast<std::uint16_t>(first + (active_transfers++ % span));
}

void ClientSession::Impl::start_transfer(Nanos now) {
    const ClientOp& op = current->op;
    const DataMode mode = op.mode.value_or(config.mode);
    transfer.emplace(op, next_channel++, mode, config.hash_transfers);
    const auto pasv = client::command_line("PASV", {});
    const auto epsv = client::command_line("EPSV", {});
    switch (mode) {
        case DataMode::kPassive:
            send(pasv, shown(pasv), Await::kPasv, now);
            return;
        case DataMode::kExtendedPassive:
            send(epsv, shown(epsv), Await::kEpsv, now);
            return;
        case DataMode::kEpsvThenPasv:
            // Once refused, EPSV is not tried again on this connection (curl does the same).
            if (epsv_refused) {
                send(pasv, shown(pasv), Await::kPasv, now);
            } else {
                send(epsv, shown(epsv), Await::kEpsv, now);
            }
            return;
        case DataMode::kActive:
        case DataMode::kExtendedActive: {
            if (mode == DataMode::kActive && ftp::format_port_argument(local).empty()) {
                finish_op(false, "PORT cannot carry the IPv6 address " + local.addr.str() +
                                     " (RFC 2428 §1): use EPRT",
                          now);
                return;
            }
            // Listen first, then announce the port (RFC 959 §3.2: the user-PI must listen
            // before sending the transfer command).
            const std::uint16_t port = next_active_port(op);
            transfer->channel = Channel::kListening;
            push(ListenData{transfer->id, port, port, local.addr.v6, current->op.receive_buffer});
            touch(now);
            return;
        }
    }
}

void ClientSession::Impl::connect_passive(const net::Endpoint& remote) {
    transfer->remote = remote;
    transfer->channel = Channel::kConnecting;
    push(ConnectData{transfer->id, remote, 0, current->op.receive_buffer});
    await = Await::kNothing;
}

void ClientSession::Impl::send_address_command(std::uint16_t port, Nanos now) {
    // The data address is the control connection's local address: what ftp(1) does (it
    // getsockname()s the control socket), so the server sees the same host on both.
    const net::Endpoint ep{local.addr, port};
    announcing = ep;
    if (transfer->mode == DataMode::kActive) {
        const auto line = client::command_line("PORT", ftp::format_port_argument(ep));
        send(line, shown(line), Await::kPort, now);
    } else {
        const auto line = client::command_line("EPRT", ftp::format_eprt_argument(ep));
        send(line, shown(line), Await::kPort, now);
    }
}

void ClientSession::Impl::send_transfer_start(Nanos now) {
    if (!transfer->data_error.empty()) {
        fail_transfer(transfer->data_error, now);  // the listener died while PORT was out
        return;
    }
    const ClientOp& op = current->op;
    if (op.kind == ClientOp::Kind::kRetr && op.rest > 0) {
        // RFC 959 §4.1.3 / RFC 3659 §5: REST must be followed at once by the transfer command.
        const auto line = client::command_line("REST", std::to_string(op.rest));
        send(line, shown(line), Await::kRest, now);
        return;
    }
    send_transfer_command(now);
}

void ClientSession::Impl::send_transfer_command(Nanos now) {
    if (!transfer->data_error.empty()) {
        fail_transfer(transfer->data_error, now);  // the data connection died during REST
        return;
    }
    const ClientOp& op = current->op;
    // STOU takes no argument in RFC 959 §4.1.3; one given is sent anyway (some servers use
    // it as a name hint), so the op can reproduce either form.
    const auto line = client::command_line(client::verb_of(op.kind), op.arg);
    transfer->command_sent = true;
    send(line, shown(line), Await::kTransfer, now);
}

void ClientSession::Impl::on_transfer_reply(const ftp::Reply& reply, Nanos now) {
    const bool preliminary = reply.code / 100 == 1;
    switch (await) {
        case Await::kEpsv:
            if (preliminary) return;
            if (reply.code == 229) {
                const auto found = find_in_reply(reply, ftp::find_epsv_port);
                if (!found) {
                    fail_transfer("229 without a port: " + client::summary(reply), now);
                    return;
                }
                // RFC 2428 §3: the data connection goes to the control connection's peer.
                connect_passive(net::Endpoint{peer.addr, found->endpoint.port});
                return;
            }
            if (transfer->mode == DataMode::kEpsvThenPasv && epsv_fallback_code(reply.code)) {
                epsv_refused = true;
                const auto line = client::command_line("PASV", {});
                send(line, shown(line), Await::kPasv, now);
                return;
            }
            fail_transfer("EPSV refused: " + client::summary(reply), now);
            return;
        case Await::kPasv:
            if (preliminary) return;
            if (reply.code == 227) {
                const auto found = find_in_reply(reply, ftp::find_pasv_endpoint);
                if (!found) {
                    fail_transfer("227 without an address: " + client::summary(reply), now);
                    return;
                }
                // The address is used as given, even when it is not the control peer's or not
                // routable (a server behind NAT announcing its private address). ftp(1) does
                // the same; curl by default ignores it (CURLOPT_FTP_SKIP_PASV_IP). Using it
                // shows what such a server does to a client; the driver's connect then fails
                // or goes elsewhere, and that is reported as the op's error.
                // 0,0,0,0 names no host; nor does an IPv4 address on an IPv6 control
                // connection: then the control peer's address is the only sensible one.
                net::Endpoint target = found->endpoint;
                bool unusable = std::all_of(target.addr.bytes.begin(), target.addr.bytes.begin() + 4,
                                            [](std::uint8_t b) { return b == 0; }) ||
                                peer.addr.v6 != target.addr.v6;
                if (unusable) target.addr = peer.addr;
                connect_passive(target);
                return;
            }
            fail_transfer("PASV refused: " + client::summary(reply), now);
            return;
        case Await::kPort:
            if (preliminary) return;
            if (reply.code / 100 == 2) {
                send_transfer_start(now);
            } else {
                fail_transfer(awaited_verb + " refused: " + client::summary(reply), now);
            }
            return;
        case Await::kRest:
            if (preliminary) return;
            if (reply.code == 350) {
                send_transfer_command(now);
            } else {
                fail_transfer("REST refused: " + client::summary(reply), now);
            }
            return;
        case Await::kTransfer:
            if (preliminary) {
                // 125/150: the server is opening or using the data connection; an upload may
                // start now (ftp(1) and curl wait for it before sending).
                transfer->preliminary = true;
                pump_upload(now);
                return;
            }
            on_transfer_final(reply, now);
            return;
        default:
            return;
    }
}

void ClientSession::Impl::on_transfer_final(const ftp::Reply& reply, Nanos now) {
    Transfer& t = *transfer;
    t.final_reply = reply;
    await = Await::kNothing;
    if (reply.code / 100 != 2) {
        fail_transfer(awaited_verb + " failed: " + client::summary(reply), now);
        return;
    }
    if (!t.stream.download() && !t.sending) {
        fail_transfer("the server answered " + client::summary(reply) +
                          " before the upload began",
                      now);
        return;
    }
    // A 226 may come before the data connection's events (another socket): wait for them.
    maybe_complete_transfer(now);
}

void ClientSession::Impl::maybe_complete_transfer(Nanos now) {
    if (!transfer || transfer->abort_sent) return;  // an abort ends with ABOR's reply
    if (!transfer->final_reply || !transfer->data_finished) return;
    if (!transfer->data_error.empty()) {
        finish_op(false, transfer->data_error, now);
    } else {
        finish_op(true, {}, now);
    }
}

void ClientSession::Impl::fail_transfer(const std::string& error, Nanos now) {
    close_data();
    finish_op(false, error, now);
}

void ClientSession::Impl::close_data() {
    if (!transfer) return;
    const Channel c = transfer->channel;
    if (c == Channel::kListening || c == Channel::kConnecting || c == Channel::kOpen) {
        // Also stops a listener or a connect in progress.
        push(CloseData{.id = transfer->id});
    }
    transfer->channel = Channel::kDone;
    transfer->data_finished = true;
}

}  // namespace ftpsim::sim
