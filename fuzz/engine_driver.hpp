// A driver for a sans-IO session engine (sim/engine/actions.hpp) whose every event comes from a
// fuzzer's input: control bytes, the clock, and the data connections' lives (listening,
// connected from the right or a foreign peer, bytes, closed, failed), in any order the input
// picks. Actions are performed as a well-behaved driver would (SendData is acknowledged), with
// every loop bounded. Properties any engine must keep:
//  * after handle_timeout(now) the engine never asks for a timeout it has already had, forever
//    (poll_timeout() <= now again and again is a busy loop in a real driver);
//  * it emits no action for a data channel it never opened.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <variant>

#include "fuzz_input.hpp"
#include "sim/engine/actions.hpp"

namespace ftpsim::fuzz {

class EngineDriver {
public:
    EngineDriver(sim::SessionEngine& engine, FuzzInput& in, std::string_view input, net::Endpoint local,
                 net::Endpoint peer)
        : engine_(engine), in_(in), input_(input), local_(local), peer_(peer) {}

    void run() {
        engine_.on_control_connected(local_, peer_, now_);
        settle();
        for (int steps = 0; !in_.empty() && steps < 2000 && !control_closed_; ++steps) {
            step();
            settle();
        }
        // The end of the input: time runs on until the engine has nothing left to wait for.
        for (int i = 0; i < 64 && !control_closed_; ++i) {
            const auto t = engine_.poll_timeout();
            if (!t) break;
            now_ = std::max(now_, *t);
            settle();
        }
    }

private:
    struct Channel {
        bool listening = false, connected = false, closed = false;
    };

    void step() {
        const std::uint8_t op = in_.byte();
        switch (op % 12) {
            case 0: case 1: case 2: case 3: case 4: {  // the common case: a line of control bytes
                const auto b = in_.line();
                engine_.on_control_bytes(b, now_);
                break;
            }
            case 5: now_ += static_cast<sim::Nanos>(in_.u16()) * sim::kMillisecond; break;
            case 6: if (auto t = engine_.poll_timeout()) now_ = std::max(now_, *t); break;
            case 7: if (auto* c = pick(op)) listen(*c); break;
            case 8: if (auto* c = pick(op)) connect(*c, (op & 0x80) != 0); break;
            case 9: {
                const auto b = in_.line();
                if (auto* c = pick(op); c && c->connected && !c->closed) engine_.on_data_bytes(id_, b, now_);
                break;
            }
            case 10:
                if (auto* c = pick(op); c && !c->closed) {
                    // A connection the peer closes, or one that failed (refused, reset, no listener).
                    c->closed = true;
                    if (c->connected && !(op & 0x80)) engine_.on_data_closed(id_, now_);
                    else engine_.on_data_failed(id_, "fuzz: connection failed", now_);
                }
                break;
            case 11: control_closed_ = true; engine_.on_control_closed(now_); break;
        }
    }

    // A channel the engine opened, chosen by the op byte; id_ is its id.
    Channel* pick(std::uint8_t op) {
        if (channels_.empty()) return nullptr;
        auto it = channels_.begin();
        std::advance(it, (op >> 4) % channels_.size());
        id_ = it->first;
        return &it->second;
    }
    void listen(Channel& c) {
        if (c.listening || c.closed) return;
        c.listening = true;
        engine_.on_data_listening(id_, static_cast<std::uint16_t>(50000 + id_ % 1000), now_);
    }
    void connect(Channel& c, bool foreign) {
        if (c.closed) return;
        c.connected = true;
        net::Endpoint from = peer_;
        from.port = static_cast<std::uint16_t>(40000 + id_ % 1000);
        if (foreign) from.addr.bytes[3] ^= 0x55;
        net::Endpoint to = local_;
        to.port = static_cast<std::uint16_t>(50000 + id_ % 1000);
        engine_.on_data_connected(id_, to, from, now_);
    }

    // Performs every action and due timer, until the engine is quiet (bounded).
    void settle() {
        int same_deadline = 0;
        for (int round = 0; round < 10000; ++round) {
            bool acted = false;
            while (auto a = engine_.poll_action()) {
                acted = true;
                perform(*a);
            }
            const auto t = engine_.poll_timeout();
            if (t && *t <= now_) {
                engine_.handle_timeout(now_);
                // The same or an earlier deadline asked for again and again: a busy loop.
                const auto again = engine_.poll_timeout();
                if (again && *again <= now_ && ++same_deadline > 1000)
                    property_failed("poll_timeout() stays at or before now after handle_timeout(now)", input_);
                continue;
            }
            if (!acted) return;
        }
    }

    void perform(const sim::Action& a) {
        if (const auto* l = std::get_if<sim::ListenData>(&a)) {
            channels_[l->id];
        } else if (const auto* c = std::get_if<sim::ConnectData>(&a)) {
            channels_[c->id];
        } else if (const auto* s = std::get_if<sim::SendData>(&a)) {
            known(s->id);
            if (!channels_[s->id].closed) engine_.on_data_sent(s->id, now_);
        } else if (const auto* d = std::get_if<sim::CloseData>(&a)) {
            known(d->id);
            if (d->keep_listening) channels_[d->id].connected = false;  // that connection is reset
            else channels_[d->id].closed = true;
        } else if (const auto* p = std::get_if<sim::PauseReading>(&a)) {
            known(p->id);
        } else if (const auto* cc = std::get_if<sim::CloseControl>(&a)) {
            (void)cc;
            control_closed_ = true;
        }
    }
    void known(sim::ChannelId id) {
        if (!channels_.count(id)) property_failed("an action for a data channel the engine never opened", input_);
    }

    sim::SessionEngine& engine_;
    FuzzInput& in_;
    std::string_view input_;
    net::Endpoint local_, peer_;
    sim::Nanos now_ = 0;
    bool control_closed_ = false;
    std::map<sim::ChannelId, Channel> channels_;
    sim::ChannelId id_ = 0;
};

}  // namespace ftpsim::fuzz
