#include "decode/data_channels.hpp"

#include "ftp/address_codec.hpp"
#include "ftp/command.hpp"

namespace ftpsim::analyzer {

namespace {
bool is_download(const std::string& verb) { return ftp::is_download_verb(verb); }
}  // namespace

void DataChannels::anomaly(std::uint64_t conn, const ControlEndpoints& c, std::uint64_t frame,
                           tcp::TimeNs time, std::string what, std::string detail) {
    sink_.on_event(make_event(frame, time, conn, c.client, c.server,
                              AnomalyEvent{std::move(what), std::move(detail)}));
}

void DataChannels::announce(const ControlEndpoints& control, bool passive,
                            const net::Endpoint& listener, std::uint64_t frame) {
    // A new PORT/PASV replaces the previous one: the server closes a passive listener it no
    // longer needs, and an active endpoint is used for the next transfer only.
    std::erase_if(announced_, [&](const auto& kv) { return kv.second.control.conn == control.conn; });
    announced_[listener] = Announcement{control, passive, frame};
    last_mode_passive_[control.conn] = passive;
}

void DataChannels::withdraw_active(std::uint64_t control_conn) {
    std::erase_if(announced_, [&](const auto& kv) {
        return kv.second.control.conn == control_conn && !kv.second.passive;
    });
}

std::optional<std::uint64_t> DataChannels::claim(const tcp::ConnectionInfo& conn,
                                                 const tcp::TcpSegment& first) {
    auto it = announced_.find(conn.server);
    if (it == announced_.end()) {
        // A 227 may name an address the client does not connect to (a NAT's inside address,
        // or 0,0,0,0): a passive listener is then known by the control server's address.
        for (auto a = announced_.begin(); a != announced_.end(); ++a) {
            if (a->second.passive && a->first.port == conn.server.port &&
                a->second.control.server.addr == conn.server.addr) {
                it = a;
                break;
            }
        }
    }
    if (it == announced_.end()) return std::nullopt;
    Announcement ann = it->second;
    announced_.erase(it);

    const ControlEndpoints& c = ann.control;
    // The data connection must come from the control connection's peer (vsftpd's
    // pasv_promiscuous=NO / port_promiscuous=NO): anything else is a hijack or a bounce.
    const net::IpAddress& expected_peer = ann.passive ? c.client.addr : c.server.addr;
    if (conn.client.addr != expected_peer) {
        anomaly(conn.id, c, first.frame, first.time, "unexpected_data_peer",
                std::string(ann.passive ? "passive" : "active") + " data connection from " +
                    conn.client.addr.str() + ", not from the control connection's " +
                    (ann.passive ? "client " : "server ") + expected_peer.str());
    }

    std::uint64_t id;
    if (auto w = waiting_transfer_.find(c.conn); w != waiting_transfer_.end()) {
        id = w->second;
        waiting_transfer_.erase(w);
    } else {
        id = new_transfer(c);
        waiting_command_[c.conn] = id;
    }
    Transfer& t = transfers_.at(id);
    t.passive = ann.passive;
    t.data_conn = conn.id;
    t.open_frame = first.frame;
    t.data_client = conn.client;
    t.data_server = conn.server;
    transfer_by_data_[conn.id] = id;
    return c.conn;
}

std::uint64_t DataChannels::new_transfer(const ControlEndpoints& control) {
    std::uint64_t id = next_transfer_++;
    Transfer& t = transfers_[id];
    t.control = control;
    if (auto m = last_mode_passive_.find(control.conn); m != last_mode_passive_.end())
        t.passive = m->second;
    return id;
}

void DataChannels::transfer_command(const ControlEndpoints& control, const std::string& verb,
                                    const std::string& arg, std::uint64_t rest,
                                    std::optional<std::uint64_t> expected_size,
                                    std::uint64_t frame, tcp::TimeNs time) {
    // A transfer still waiting for its data connection when the next one starts never got it.
    if (auto w = waiting_transfer_.find(control.conn); w != waiting_transfer_.end()) {
        std::uint64_t old = w->second;
        waiting_transfer_.erase(w);
        maybe_report(old, frame, time, true);
    }
    std::uint64_t id;
    if (auto w = waiting_command_.find(control.conn); w != waiting_command_.end()) {
        id = w->second;
        waiting_command_.erase(w);
    } else {
        id = new_transfer(control);
        waiting_transfer_[control.conn] = id;
    }
    Transfer& t = transfers_.at(id);
    t.has_command = true;
    t.verb = verb;
    t.arg = arg;
    t.rest = rest;
    t.expected_size = expected_size;
    t.command_frame = frame;
    awaiting_reply_[control.conn] = id;
}

void DataChannels::transfer_reply(std::uint64_t control_conn, int code, const std::string& text,
                                  std::uint64_t frame, tcp::TimeNs time) {
    auto a = awaiting_reply_.find(control_conn);
    if (a == awaiting_reply_.end()) return;
    std::uint64_t id = a->second;
    Transfer& t = transfers_.at(id);
    if (code < 200) {
        t.preliminary = true;
        // vsftpd: "150 Opening BINARY mode data connection for dump.sql (3405 bytes)."
        if (auto n = ftp::find_announced_size(text)) t.expected_size = *n;
        return;
    }
    awaiting_reply_.erase(a);
    t.completion = code;
    t.completion_frame = frame;
    if (t.data_conn == 0) {
        if (auto w = waiting_transfer_.find(control_conn); w != waiting_transfer_.end() && w->second == id)
            waiting_transfer_.erase(w);
        maybe_report(id, frame, time, true);
    } else {
        maybe_report(id, frame, time, false);
    }
}

DataChannels::Transfer* DataChannels::transfer_of_data(std::uint64_t data_conn) {
    auto it = transfer_by_data_.find(data_conn);
    if (it == transfer_by_data_.end()) return nullptr;
    auto t = transfers_.find(it->second);
    return t == transfers_.end() ? nullptr : &t->second;
}

void DataChannels::data_bytes(std::uint64_t data_conn, tcp::Direction dir,
                              std::span<const std::uint8_t> b) {
    if (Transfer* t = transfer_of_data(data_conn)) {
        int d = static_cast<int>(dir);
        t->bytes[d] += b.size();
        t->hash[d].update(b);
    }
}

void DataChannels::data_gap(std::uint64_t data_conn, std::uint64_t length) {
    if (Transfer* t = transfer_of_data(data_conn)) t->missing += length;
}

void DataChannels::data_closed(std::uint64_t data_conn, std::uint64_t frame, tcp::TimeNs time) {
    auto it = transfer_by_data_.find(data_conn);
    if (it == transfer_by_data_.end()) return;
    std::uint64_t id = it->second;
    if (auto t = transfers_.find(id); t != transfers_.end()) {
        t->second.data_closed = true;
        maybe_report(id, frame, time, false);
    }
}

void DataChannels::maybe_report(std::uint64_t id, std::uint64_t frame, tcp::TimeNs time, bool force) {
    auto it = transfers_.find(id);
    if (it == transfers_.end()) return;
    Transfer& t = it->second;
    bool complete = t.completion != 0 && (t.data_conn == 0 || t.data_closed) && t.has_command;
    if (!complete && !force) return;

    const ControlEndpoints& c = t.control;
    // A transfer refused before the server went for a data connection (550 no such file, 530)
    // moved nothing: its reply tells the story. Anything else is reported as a transfer.
    bool report = t.data_conn != 0 || t.preliminary || t.completion == 425;
    if (t.data_conn == 0 && (t.preliminary || t.completion == 425)) {
        anomaly(c.conn, c, frame, time, "data_connection_never_came",
                t.verb + " was announced a " + (t.passive ? "passive" : "active") +
                    " data connection, but none was captured");
    }
    if (t.data_conn != 0 && !t.has_command) {
        anomaly(t.data_conn, c, frame, time, "data_without_transfer",
                "a data connection was opened but no transfer command was captured for it");
    }
    if (report) {
        bool down = t.has_command ? is_download(t.verb) : true;
        // Who sends the file: the FTP server for downloads. In passive mode the FTP server is
        // the data connection's TCP server; in active mode it is the side that connected.
        bool server_sends_tcp = t.passive == down;
        int d = static_cast<int>(server_sends_tcp ? tcp::Direction::kServerToClient
                                                  : tcp::Direction::kClientToServer);
        DataEvent de;
        de.control_conn = c.conn;
        de.mode = t.passive ? "passive" : "active";
        de.command = t.verb;
        de.arg = t.arg;
        de.direction = down ? "download" : "upload";
        de.bytes = t.bytes[d];
        de.sha256 = t.hash[d].hex_digest();
        de.rest = t.rest;
        de.completion = t.completion;
        de.open_frame = t.open_frame;
        de.completion_frame = t.completion_frame;
        de.data_client = t.data_client;
        de.data_server = t.data_server;
        Event e;
        e.frame = frame;
        e.time = time;
        e.conn = t.data_conn;
        e.src = server_sends_tcp ? t.data_server : t.data_client;
        e.dst = server_sends_tcp ? t.data_client : t.data_server;
        if (t.data_conn == 0) e.src = e.dst = net::Endpoint{};
        e.body = de;
        sink_.on_event(e);

        if (t.missing > 0) {
            anomaly(t.data_conn, c, frame, time, "gap",
                    std::to_string(t.missing) + " bytes of the " + t.verb +
                        " data were not captured; the hash covers only what was");
        }
        // Only a transfer the server called complete can be short; one cut by 426 or by the
        // end of the capture is simply unfinished.
        bool claimed_success = t.completion >= 200 && t.completion < 300;
        if (t.expected_size && claimed_success && t.has_command && t.verb == "RETR") {
            std::uint64_t expected = *t.expected_size > t.rest ? *t.expected_size - t.rest : 0;
            if (de.bytes + t.missing < expected) {
                anomaly(t.data_conn, c, frame, time, "short_transfer",
                        "RETR " + t.arg + " moved " + std::to_string(de.bytes) + " bytes of the " +
                            std::to_string(expected) + " announced");
            }
        }
    }
    if (t.data_conn != 0) transfer_by_data_.erase(t.data_conn);
    for (auto* m : {&waiting_transfer_, &waiting_command_, &awaiting_reply_}) {
        auto w = m->find(c.conn);
        if (w != m->end() && w->second == id) m->erase(w);
    }
    transfers_.erase(it);
}

void DataChannels::control_closed(std::uint64_t control_conn, std::uint64_t frame, tcp::TimeNs time) {
    std::vector<std::uint64_t> ids;
    for (const auto& [id, t] : transfers_)
        if (t.control.conn == control_conn && !(t.data_conn != 0 && !t.data_closed)) ids.push_back(id);
    for (auto id : ids) maybe_report(id, frame, time, true);
    std::erase_if(announced_, [&](const auto& kv) { return kv.second.control.conn == control_conn; });
    last_mode_passive_.erase(control_conn);
}

void DataChannels::finish(std::uint64_t frame, tcp::TimeNs time) {
    while (!transfers_.empty()) maybe_report(transfers_.begin()->first, frame, time, true);
}

}  // namespace ftpsim::analyzer
