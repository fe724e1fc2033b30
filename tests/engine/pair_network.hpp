// A deterministic in-memory network joining two sans-IO engines (a ClientSession and a
// ServerSession), like quinn-proto's test Pair: each action one engine emits becomes an input
// of the other after a fixed latency, on a virtual clock. No sockets, no threads, no real time:
// the same run gives the same bytes every time.
//
// Model (enough TCP for FTP, nothing more):
//   - one control connection, opened at start(); bytes arrive in order after `latency`;
//     CloseControl reaches the peer as on_control_closed after the bytes queued before it;
//   - ListenData binds (address of the side, a port: the one asked for, else an ephemeral one)
//     and answers on_data_listening at once; a ConnectData reaches the listener after
//     `latency`, and both ends get on_data_connected then (or the connector on_data_failed
//     "connection refused" a latency later). A listener takes one connection; CloseData with
//     keep_listening refuses it (the connector gets on_data_failed) and listens on;
//   - SendData arrives as bytes cut into `segment`-sized pieces after `latency`; the sender's
//     on_data_sent comes at the same time (an ACK-less model: written = delivered);
//   - CloseData reaches the peer as on_data_closed (EOF) after what was sent before it, or as
//     on_data_failed "connection reset" with reset; events for a channel its owner closed are
//     dropped, as a closed socket reports nothing;
//   - PauseReading holds what arrives on that channel until `until`, then delivers it in order.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/engine/actions.hpp"

namespace ftpsim::sim::test {

enum class Side { kClient = 0, kServer = 1 };
inline Side other(Side s) { return s == Side::kClient ? Side::kServer : Side::kClient; }
inline const char* name(Side s) { return s == Side::kClient ? "client" : "server"; }

class PairNetwork {
public:
    PairNetwork(SessionEngine& client, SessionEngine& server) : engines_{&client, &server} {}

    Nanos now = 0;
    Nanos latency = kMillisecond;
    std::size_t segment = 16 * 1024;
    net::Endpoint client_control = make_endpoint("10.0.0.2", 40000);
    net::Endpoint server_control = make_endpoint("10.0.0.1", 21);
    // Everything each side wrote on the control connection, for assertions.
    std::string control_sent[2];
    // One line per event delivered, for failure messages.
    std::vector<std::string> trace;

    static net::Endpoint make_endpoint(const std::string& ip, std::uint16_t port) {
        net::Endpoint ep;
        net::IpAddress::parse(ip, ep.addr);
        ep.port = port;
        return ep;
    }

    // Both ends of the control connection are up.
    void start() {
        deliver(Side::kServer, [&](SessionEngine& e) {
            e.on_control_connected(server_control, client_control, now);
        });
        deliver(Side::kClient, [&](SessionEngine& e) {
            e.on_control_connected(client_control, server_control, now);
        });
    }

    // Runs until nothing is left to happen (no event, no timer) or the clock passes `limit`.
    // Returns false when it stopped at the limit.
    bool run(Nanos limit = 3600 * kSecond) {
        for (std::uint64_t rounds = 0; rounds < 10'000'000; ++rounds) {
            std::optional<Nanos> next;
            if (!events_.empty()) next = events_.top().at;
            for (auto* e : engines_) {
                if (const auto t = e->poll_timeout(); t && (!next || *t < *next)) next = *t;
            }
            if (!next) return true;
            if (*next > limit) return false;
            now = std::max(now, *next);
            for (int i = 0; i < 2; ++i) {
                auto* e = engines_[i];
                if (const auto t = e->poll_timeout(); t && *t <= now) {
                    deliver(static_cast<Side>(i), [&](SessionEngine& s) { s.handle_timeout(now); });
                }
            }
            while (!events_.empty() && events_.top().at <= now) {
                Event ev = events_.top();
                events_.pop();
                ev.fire();
            }
        }
        return false;  // an engine keeps asking for a timer it does not consume
    }

    bool finished() const {
        return events_.empty() && engines_[0]->finished() && engines_[1]->finished();
    }

private:
    struct Event {
        Nanos at;
        std::uint64_t seq;
        std::function<void()> fire;
        bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    // One end of a data connection (or a listener), named by its owner's channel id.
    struct Socket {
        net::Endpoint local;
        bool listening = false;
        bool connected = false;
        bool closed = false;           // its owner closed it: nothing more is reported
        std::optional<std::pair<Side, ChannelId>> peer;
        Nanos paused_until = 0;
        std::vector<std::function<void()>> held;  // arrived while paused
    };
    using Key = std::pair<int, ChannelId>;  // side, channel

    static Key key(Side s, ChannelId id) { return {static_cast<int>(s), id}; }

    void at(Nanos when, std::function<void()> fire) {
        events_.push(Event{when, seq_++, std::move(fire)});
    }

    // Runs one input of `side`, then turns every action it emitted into future events.
    void deliver(Side side, const std::function<void(SessionEngine&)>& input) {
        SessionEngine& e = *engines_[static_cast<int>(side)];
        input(e);
        while (auto action = e.poll_action()) {
            std::visit([&](auto& a) { act(side, a); }, *action);
        }
    }

    // A data event for (side, id): dropped when the socket was closed by its owner, held
    // while it is paused (so `input` must own what it delivers: it may run after the event
    // that made it is gone).
    void deliver_data(Side side, ChannelId id, std::function<void(SessionEngine&)> input) {
        auto it = sockets_.find(key(side, id));
        if (it == sockets_.end() || it->second.closed) return;
        Socket& s = it->second;
        if (now < s.paused_until || !s.held.empty()) {
            s.held.push_back([this, side, id, input] {
                const auto again = sockets_.find(key(side, id));
                if (again != sockets_.end() && !again->second.closed) deliver(side, input);
            });
            return;
        }
        deliver(side, input);
    }

    void act(Side side, SendControl& a) {
        if (control_closed_[static_cast<int>(side)]) return;
        control_sent[static_cast<int>(side)] += a.bytes;
        const Side to = other(side);
        at(now + latency, [this, to, bytes = std::move(a.bytes)] {
            if (control_closed_[static_cast<int>(to)]) return;
            trace.push_back(std::string(name(to)) + " <- " + std::to_string(bytes.size()) + " control bytes");
            deliver(to, [&](SessionEngine& e) {
                e.on_control_bytes({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, now);
            });
        });
    }

    void act(Side side, CloseControl&) {
        if (control_closed_[static_cast<int>(side)]) return;
        control_closed_[static_cast<int>(side)] = true;
        const Side to = other(side);
        at(now + latency, [this, to] {
            if (control_closed_[static_cast<int>(to)]) return;  // closed itself meanwhile
            trace.push_back(std::string(name(to)) + " <- control closed");
            deliver(to, [&](SessionEngine& e) { e.on_control_closed(now); });
        });
    }

    void act(Side side, ListenData& a) {
        const net::Endpoint& control = side == Side::kClient ? client_control : server_control;
        std::uint16_t port = a.port_min;
        if (port == 0) {
            while (bound_.count({control.addr, next_ephemeral_})) ++next_ephemeral_;
            port = next_ephemeral_++;
        }
        const net::Endpoint local{control.addr, port};
        const ChannelId id = a.id;
        if (bound_.count(local)) {
            at(now, [this, side, id] {
                deliver(side, [&](SessionEngine& e) { e.on_data_failed(id, "address in use", now); });
            });
            return;
        }
        Socket& s = sockets_[key(side, id)];
        s.local = local;
        s.listening = true;
        bound_[local] = {side, id};
        at(now, [this, side, id, port] {
            trace.push_back(std::string(name(side)) + " listening #" + std::to_string(id) + " on " +
                            std::to_string(port));
            deliver_data(side, id, [=, this](SessionEngine& e) { e.on_data_listening(id, port, now); });
        });
    }

    void act(Side side, ConnectData& a) {
        const net::Endpoint& control = side == Side::kClient ? client_control : server_control;
        const ChannelId id = a.id;
        Socket& s = sockets_[key(side, id)];
        s.local = {control.addr, a.local_port != 0 ? a.local_port : next_ephemeral_++};
        const net::Endpoint remote = a.remote;
        at(now + latency, [this, side, id, remote] { arrive_syn(side, id, remote); });
    }

    void arrive_syn(Side side, ChannelId id, net::Endpoint remote) {
        Socket& c = sockets_[key(side, id)];
        if (c.closed) return;  // the connector gave up
        const auto b = bound_.find(remote);
        Socket* l = b == bound_.end() ? nullptr : &sockets_[key(b->second.first, b->second.second)];
        if (!l || l->closed || l->connected) {
            trace.push_back(std::string(name(side)) + " #" + std::to_string(id) +
                            " connection refused by " + remote.str());
            at(now + latency, [this, side, id] {
                deliver_data(side, id, [=, this](SessionEngine& e) {
                    e.on_data_failed(id, "connection refused", now);
                });
            });
            return;
        }
        const Side lside = b->second.first;
        const ChannelId lid = b->second.second;
        l->connected = true;
        l->peer = {side, id};
        c.connected = true;
        c.peer = {lside, lid};
        const net::Endpoint c_local = c.local;
        trace.push_back(std::string(name(side)) + " #" + std::to_string(id) + " connected to " +
                        name(lside) + " #" + std::to_string(lid));
        deliver_data(lside, lid, [=, this](SessionEngine& e) {
            e.on_data_connected(lid, remote, c_local, now);
        });
        // The listener may have refused it (CloseData keep_listening): then the connector
        // was told already.
        Socket& c2 = sockets_[key(side, id)];
        if (!c2.connected) return;
        deliver_data(side, id, [=, this](SessionEngine& e) {
            e.on_data_connected(id, c_local, remote, now);
        });
    }

    void act(Side side, SendData& a) {
        const ChannelId id = a.id;
        auto it = sockets_.find(key(side, id));
        if (it == sockets_.end() || !it->second.connected || it->second.closed) return;
        const auto [pside, pid] = *it->second.peer;
        const std::string bytes = read_source(a.source);
        for (std::size_t off = 0; off < bytes.size(); off += segment) {
            std::string piece = bytes.substr(off, segment);
            at(now + latency, [this, pside = pside, pid = pid, piece = std::move(piece)] {
                deliver_data(pside, pid, [=, this](SessionEngine& e) {
                    e.on_data_bytes(pid, {reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size()}, now);
                });
            });
        }
        at(now + latency, [this, side, id] {
            deliver_data(side, id, [=, this](SessionEngine& e) { e.on_data_sent(id, now); });
        });
    }

    void act(Side side, CloseData& a) {
        const ChannelId id = a.id;
        auto it = sockets_.find(key(side, id));
        if (it == sockets_.end() || it->second.closed) return;
        Socket& s = it->second;
        if (a.keep_listening && s.listening && s.connected && s.peer) {
            // Refuse the connection just accepted; listen on.
            const auto [pside, pid] = *s.peer;
            s.connected = false;
            s.peer.reset();
            sockets_[key(pside, pid)].connected = false;
            at(now + latency, [this, pside = pside, pid = pid] {
                deliver_data(pside, pid, [=, this](SessionEngine& e) {
                    e.on_data_failed(pid, "connection reset", now);
                });
            });
            return;
        }
        s.closed = true;
        if (s.listening) bound_.erase(s.local);
        if (!s.connected || !s.peer) return;
        const auto [pside, pid] = *s.peer;
        const bool reset = a.reset;
        at(now + latency, [this, pside = pside, pid = pid, reset] {
            deliver_data(pside, pid, [=, this](SessionEngine& e) {
                if (reset) {
                    e.on_data_failed(pid, "connection reset", now);
                } else {
                    e.on_data_closed(pid, now);
                }
            });
        });
    }

    void act(Side side, CommitUpload& a) {
        const FsError result = a.sink->commit();
        const ChannelId id = a.id;
        at(now, [this, side, id, result] {
            deliver(side, [=, this](SessionEngine& e) { e.on_upload_committed(id, result, now); });
        });
    }

    void act(Side side, PauseReading& a) {
        const ChannelId id = a.id;
        auto it = sockets_.find(key(side, id));
        if (it == sockets_.end()) return;
        it->second.paused_until = a.until;
        trace.push_back(std::string(name(side)) + " pauses #" + std::to_string(id));
        at(a.until, [this, side, id] {
            auto s = sockets_.find(key(side, id));
            if (s == sockets_.end()) return;
            auto held = std::move(s->second.held);
            s->second.held.clear();
            for (auto& f : held) f();
        });
    }

    static std::string read_source(const ByteSource& source) {
        if (const auto* m = std::get_if<MemorySlice>(&source)) {
            if (!m->buffer) return {};
            return m->buffer->substr(m->offset, m->length);
        }
        const auto& f = std::get<FileSlice>(source);
        std::ifstream in(f.path, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(f.offset));
        std::string out(f.length, '\0');
        in.read(out.data(), static_cast<std::streamsize>(f.length));
        out.resize(static_cast<std::size_t>(in.gcount()));
        return out;
    }

    SessionEngine* engines_[2];
    std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
    std::uint64_t seq_ = 0;
    bool control_closed_[2] = {false, false};  // closed by that side
    std::map<Key, Socket> sockets_;
    std::map<net::Endpoint, std::pair<Side, ChannelId>> bound_;
    std::uint16_t next_ephemeral_ = 50000;
};

}  // namespace ftpsim::sim::test
