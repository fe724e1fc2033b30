// Data connections and transfers: passive listeners and the peer check on what they accept,
// active connects, downloads sent slice by slice (one SendData outstanding, the next on
// on_data_sent), TYPE A line-end conversion, ABOR, and the data faults (short transfer, reset,
// refused or never-opened data connection). Uploads' bytes and their commit: server_uploads.cpp.
#include "ftp/address_codec.hpp"
#include "sim/engine/server_internal.hpp"

namespace ftpsim::sim {

using server::Msg;

namespace {

std::string describe(const Fault& f) {
    switch (f.kind) {
        case Fault::Kind::kShortTransfer:
            return "short transfer after " + std::to_string(f.bytes) + " bytes";
        case Fault::Kind::kRefuseData: return "refuse the data connection (425)";
        case Fault::Kind::kNoDataConnection: return "150 but no data connection";
        case Fault::Kind::kResetData:
            return "reset the data connection after " + std::to_string(f.bytes) + " bytes";
        default: return "?";
    }
}

}  // namespace

void ServerSession::Impl::close_data(bool reset) {
    if (!data) return;
    push(CloseData{data->id, reset});
    data.reset();
}

void ServerSession::Impl::drop_data_setup() {
    close_data(false);
    port_target.reset();
    pasv_pending = false;
}

void ServerSession::Impl::start_transfer(Transfer t) {
    bool no_connection = false;
    if (fault) {
        const Fault f = *fault;
        fault.reset();
        log("fault " + verb + " " + t.what + ": " + describe(f));
        switch (f.kind) {
            case Fault::Kind::kRefuseData:
                // An upload's sink goes with `t`, uncommitted: the target stays as it was.
                drop_data_setup();  // consumed, as a transfer that failed to connect
                reply(Msg::kDataConnFail);
                return;
            case Fault::Kind::kShortTransfer:
            case Fault::Kind::kResetData:
                t.limit = f.bytes;
                t.reset_at_limit = f.kind == Fault::Kind::kResetData;
                break;
            case Fault::Kind::kNoDataConnection:
                no_connection = true;
                break;
            default:
                break;
        }
    }
    xfer = std::move(t);
    xfer->deadline = now + cfg.data_connect_timeout;
    if (no_connection) {
        // The 150 goes out as if the connection were coming, but the server never connects
        // (active) and never uses what the client connects (passive). After
        // data_connect_timeout the transfer ends with 425 so that the session can go on; a
        // client with a shorter timeout of its own sees only the 150.
        xfer->phase = Transfer::Phase::kNoConnection;
        port_target.reset();
        reply(xfer->start_msg, xfer->start_args);
        return;
    }
    if (data && data->passive) {
        // vsftpd's order: the 150 once the client's connection is there (it may be already:
        // most clients connect right after 227/229, before the transfer command).
        if (data->connected) {
            begin_transfer();
        } else {
            xfer->phase = Transfer::Phase::kConnecting;
        }
        return;
    }
    DataConn d;
    d.id = next_channel++;
    d.passive = false;
    data = d;
    xfer->phase = Transfer::Phase::kConnecting;
    // RFC 959 §3.2: the server connects from its port L-1 (20) to the client's PORT.
    push(ConnectData{d.id, *port_target, cfg.active_source_port});
    port_target.reset();
}

void ServerSession::Impl::begin_transfer() {
    Transfer& x = *xfer;
    x.phase = Transfer::Phase::kRunning;
    verb = x.verb;
    answering = x.n;
    reply(x.start_msg, x.start_args);
    if (!x.upload) {
        pump_download();
        return;
    }
    const std::string early = std::move(data->early);
    const bool peer_closed = data->peer_closed;
    data->early.clear();
    if (x.limit == 0) {
        upload_bytes({});
        return;
    }
    if (!early.empty()) {
        upload_bytes({reinterpret_cast<const std::uint8_t*>(early.data()), early.size()});
    }
    if (xfer && peer_closed) finish_upload();
}

void ServerSession::Impl::pump_download() {
    Transfer& x = *xfer;
    if (x.in_flight) return;
    const std::uint64_t room = x.limit == UINT64_MAX ? UINT64_MAX : x.limit - std::min(x.limit, x.bytes);
    if (room == 0 || x.pos >= x.end) {
        finish_download();
        return;
    }
    const std::uint64_t want = std::min(server::kChunk, x.end - x.pos);
    ByteSource source;
    if (x.listing) {
        source = MemorySlice{x.listing, x.pos, want};
    } else {
        // TYPE A rewrites line ends, so it needs the bytes themselves, which the file system
        // reads; TYPE I passes the chunk on as the file system gave it (a FileSlice leaves by
        // the driver's sendfile(2), never through the engine).
        FsError err = FsError::kNone;
        std::optional<ByteSource> chunk;
        if (!x.ascii) {
            chunk = fs.read_chunk(x.path, x.pos, want, err);
        } else if (std::optional<std::string> bytes = fs.read_chunk_bytes(x.path, x.pos, want, err)) {
            const auto size = static_cast<std::uint64_t>(bytes->size());
            chunk = MemorySlice{std::make_shared<const std::string>(std::move(*bytes)), 0, size};
        }
        if (!chunk) {
            log(x.verb + " " + x.what + ": read failed at byte " + std::to_string(x.pos));
            fail_transfer(Msg::kLocalReadFail, true);
            return;
        }
        if (source_length(*chunk) == 0) {  // the file shrank since the 150: send what there is
            finish_download();
            return;
        }
        source = std::move(*chunk);
    }
    x.pos += source_length(source);
    if (x.ascii) {
        // RFC 959 §3.1.1.1: TYPE A travels with CRLF line ends; a bare LF of the stored file
        // becomes CRLF, a CRLF already there stays as it is. Both branches above gave a
        // MemorySlice in this mode.
        const auto& mem = std::get<MemorySlice>(source);
        const std::string_view raw = std::string_view(*mem.buffer).substr(
            static_cast<std::size_t>(mem.offset), static_cast<std::size_t>(mem.length));
        std::string out;
        x.to_network.convert(raw, out);
        const auto size = static_cast<std::uint64_t>(out.size());
        source = MemorySlice{std::make_shared<const std::string>(std::move(out)), 0, size};
    }
    source = trim_source(std::move(source), room);
    x.bytes += source_length(source);
    x.in_flight = true;
    push(SendData{data->id, std::move(source)});
}

void ServerSession::Impl::finish_download() {
    // The reset comes whatever the file's size: a file shorter than the fault's byte count is
    // sent whole and then reset instead of closed.
    end_data(xfer->reset_at_limit);
    end_transfer();
}

void ServerSession::Impl::end_data(bool reset) {
    Transfer& x = *xfer;
    verb = x.verb;
    answering = x.n;
    if (reset) {
        log(x.verb + " " + x.what + ": data connection reset after " + std::to_string(x.bytes) +
            " bytes (fault)");
        close_data(true);
        reply(Msg::kDataReset);
        return;
    }
    log(x.verb + " " + x.what + " " + std::to_string(x.bytes) + " bytes" +
        (x.limit != UINT64_MAX ? " (short transfer fault)" : ""));
    // vsftpd closes the data connection first, then writes 226, so that the client never
    // reads "complete" before the end of the data.
    close_data(false);
    reply(x.done_msg);
}

void ServerSession::Impl::fail_transfer(Msg msg, bool reset) {
    Transfer& x = *xfer;
    // Unlike vsftpd (delete_failed_uploads=NO keeps a partial file under the target's name),
    // a failed upload is abandoned: the target keeps its old content, or stays absent.
    x.sink.reset();
    close_data(reset);
    verb = x.verb;
    answering = x.n;
    reply(msg);
    end_transfer();
}

void ServerSession::Impl::end_transfer() {
    xfer.reset();
    // Stream mode ends a transfer by closing the connection, so every transfer needs a new
    // PORT or PASV (vsftpd's port_cleanup and pasv_cleanup).
    close_data(false);
    port_target.reset();
    last_activity = now;
}

void ServerSession::Impl::abort_transfer() {
    // RFC 959 §4.1.3 ABOR: the transfer command gets 426 and the data connection is closed
    // (reset: whatever is still queued is thrown away), then ABOR itself gets 226.
    Transfer& x = *xfer;
    log("ABOR: " + x.verb + " " + x.what + " aborted after " + std::to_string(x.bytes) + " bytes" +
        (x.upload ? "; upload abandoned" : ""));
    x.sink.reset();  // an aborted upload changes nothing (APPE and REST+STOR included)
    close_data(true);
    const bool upload = x.upload;
    const std::uint32_t abor = answering;
    verb = x.verb;
    answering = x.n;
    reply(upload ? Msg::kRecvFail : Msg::kSendFail);
    end_transfer();
    verb = "ABOR";
    answering = abor;
    reply(Msg::kAborOk);
}

// ---- driver events ----

void ServerSession::Impl::data_listening(ChannelId id, std::uint16_t port) {
    if (closing || !data || data->id != id || !data->passive || data->listening) return;
    data->listening = true;
    pasv_pending = false;
    log("passive listener " + std::to_string(id) + " on port " + std::to_string(port));
    answering = data->n;
    if (data->extended) {
        verb = "EPSV";
        announcing = net::Endpoint{ctrl_local.addr, port};
        reply(Msg::kEpsvOk, {std::to_string(port)});  // RFC 2428 §3: port only
        return;
    }
    verb = "PASV";
    // The address to announce: pasv_address behind NAT, else the control connection's local
    // address. An IPv6 control connection has no IPv4 to give: vsftpd then says 0,0,0,0.
    const net::IpAddress addr =
        cfg.pasv_address && !cfg.pasv_address->v6 ? *cfg.pasv_address : ctrl_local.addr;
    announcing = net::Endpoint{addr, port};
    std::string hostport = ftp::format_port_argument(*announcing);
    if (hostport.empty()) {
        hostport = "0,0,0,0," + std::to_string(port >> 8) + "," + std::to_string(port & 0xff);
        net::IpAddress::parse("0.0.0.0", announcing->addr);
    }
    reply(Msg::kPasvOk, {hostport});
}

void ServerSession::Impl::data_connected(ChannelId id, const net::Endpoint& peer) {
    if (closing) return;
    if (!data || data->id != id) {
        push(CloseData{id, true});  // a channel given up since: reset what came late
        return;
    }
    if (data->passive) {
        const bool foreign = !server::same_host(peer.addr, ctrl_peer.addr);
        if (data->connected || (foreign && !cfg.allow_foreign_data_peer)) {
            // vsftpd's pasv_promiscuous=NO: a connection from another host than the control
            // peer is somebody racing for the port (RFC 2577 §5, "port stealing"). It is reset;
            // the listener stays open for the real client.
            log("refused passive data connection from " + peer.str() +
                (data->connected ? ": channel already connected"
                                 : ": not the control peer " + ctrl_peer.addr.str()));
            push(CloseData{id, true, true});
            return;
        }
    }
    data->connected = true;
    data->peer = peer;
    if (xfer && xfer->phase == Transfer::Phase::kConnecting) begin_transfer();
}

void ServerSession::Impl::data_bytes(ChannelId id, std::span<const std::uint8_t> bytes) {
    if (closing || !data || data->id != id) return;
    if (xfer && xfer->phase == Transfer::Phase::kRunning) {
        if (xfer->upload) upload_bytes(bytes);
        return;  // bytes from the client on a download are ignored
    }
    if (xfer) return;  // kNoDataConnection: the connection is never used
    // Upload bytes ahead of the STOR line (the two connections are not ordered): kept, within
    // bounds, for the transfer command.
    if (data->early.size() + bytes.size() > server::kMaxEarlyData) {
        log("data channel " + std::to_string(id) + ": more than " +
            std::to_string(server::kMaxEarlyData) + " bytes before any transfer command; reset");
        close_data(true);
        return;
    }
    data->early.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void ServerSession::Impl::data_sent(ChannelId id) {
    if (closing || !data || data->id != id || !xfer || xfer->upload ||
        xfer->phase != Transfer::Phase::kRunning) {
        return;
    }
    xfer->in_flight = false;
    pump_download();
}

void ServerSession::Impl::data_closed(ChannelId id) {
    if (closing || !data || data->id != id) return;
    if (xfer && xfer->phase == Transfer::Phase::kRunning) {
        // The end of an upload (RFC 959 §3.3: stream mode ends with the close). During a
        // download it is the client's half-close: sending goes on.
        if (xfer->upload) finish_upload();
        return;
    }
    data->peer_closed = true;
}

void ServerSession::Impl::data_failed(ChannelId id, const std::string& why) {
    if (closing || !data || data->id != id) return;
    log("data channel " + std::to_string(id) + " failed: " + why);
    if (data->passive && !data->listening) {
        const bool extended = data->extended;
        answering = data->n;
        data.reset();
        pasv_pending = false;
        verb = extended ? "EPSV" : "PASV";
        reply(Msg::kPasvFail);
        return;
    }
    data.reset();  // the driver has dropped the channel: no CloseData for it
    if (!xfer) return;
    if (xfer->phase == Transfer::Phase::kRunning) {
        fail_transfer(xfer->upload ? Msg::kRecvFail : Msg::kSendFail, false);
    } else if (xfer->phase == Transfer::Phase::kConnecting) {
        fail_transfer(Msg::kDataConnFail, false);
    }
}

}  // namespace ftpsim::sim
