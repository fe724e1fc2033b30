// A scripted server and driver for ClientSession tests: the test feeds the server's reply bytes
// and answers the engine's data-connection actions by hand, with a clock it advances itself.
// Every action the engine emits is rendered as one line, so a test states the exact traffic:
//   "> USER anonymous\r\n"        SendControl (bytes verbatim)
//   "CLOSE"                        CloseControl
//   "LISTEN #1 0-0"                ListenData (" v6" appended for IPv6)
//   "CONNECT #1 10.0.0.1:50000"    ConnectData
//   "SEND #1 0+1048576"            SendData of a MemorySlice (offset+length)
//   "CLOSEDATA #1"                 CloseData (" RST" when reset)
//   "PAUSE #1 until 5000000000"    PauseReading
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::test {

inline net::Endpoint endpoint(const std::string& ip, std::uint16_t port) {
    net::Endpoint ep;
    EXPECT_TRUE(net::IpAddress::parse(ip, ep.addr)) << ip;
    ep.port = port;
    return ep;
}

inline std::string render(const Action& action) {
    struct Visitor {
        std::string operator()(const SendControl& a) const { return "> " + a.bytes; }
        std::string operator()(const CloseControl& a) const {
            return a.reset ? "CLOSE RST" : "CLOSE";
        }
        std::string operator()(const ListenData& a) const {
            return "LISTEN #" + std::to_string(a.id) + " " + std::to_string(a.port_min) + "-" +
                   std::to_string(a.port_max) + (a.ipv6 ? " v6" : "");
        }
        std::string operator()(const ConnectData& a) const {
            std::string out = "CONNECT #" + std::to_string(a.id) + " " + a.remote.str();
            if (a.local_port != 0) out += " from " + std::to_string(a.local_port);
            return out;
        }
        std::string operator()(const SendData& a) const {
            std::string out = "SEND #" + std::to_string(a.id) + " ";
            if (const auto* m = std::get_if<MemorySlice>(&a.source)) {
                return out + std::to_string(m->offset) + "+" + std::to_string(m->length);
            }
            const auto& f = std::get<FileSlice>(a.source);
            return out + f.path + "@" + std::to_string(f.offset) + "+" + std::to_string(f.length);
        }
        std::string operator()(const CloseData& a) const {
            return "CLOSEDATA #" + std::to_string(a.id) + (a.reset ? " RST" : "");
        }
        std::string operator()(const PauseReading& a) const {
            return "PAUSE #" + std::to_string(a.id) + " until " + std::to_string(a.until);
        }
        std::string operator()(const CommitUpload& a) const { return "COMMIT #" + std::to_string(a.id); }
    };
    return std::visit(Visitor{}, action);
}

inline std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

using Lines = std::vector<std::string>;

class ClientHarness {
public:
    explicit ClientHarness(std::vector<ClientOp> ops, ClientConfig config = {})
        : session(std::move(config), std::move(ops)) {}

    ClientSession session;
    Nanos now = 0;
    net::Endpoint local = endpoint("10.0.0.2", 40000);
    net::Endpoint peer = endpoint("10.0.0.1", 21);
    std::vector<Action> log;  // every action taken so far, in order

    // ---- control connection ----
    void connect() { session.on_control_connected(local, peer, now); }
    void feed(std::string_view bytes) { session.on_control_bytes(bytes_of(bytes), now); }
    void reply(std::string_view line) { feed(std::string(line) + "\r\n"); }
    void close() { session.on_control_closed(now); }

    // ---- data connections ----
    void listening(ChannelId id, std::uint16_t port) { session.on_data_listening(id, port, now); }
    void connected(ChannelId id, net::Endpoint data_peer = endpoint("10.0.0.1", 20)) {
        net::Endpoint data_local = local;
        data_local.port = 50000 + static_cast<std::uint16_t>(id);
        session.on_data_connected(id, data_local, data_peer, now);
    }
    void data(ChannelId id, std::string_view bytes) { session.on_data_bytes(id, bytes_of(bytes), now); }
    void sent(ChannelId id) { session.on_data_sent(id, now); }
    void data_closed(ChannelId id) { session.on_data_closed(id, now); }
    void data_failed(ChannelId id, const std::string& why) { session.on_data_failed(id, why, now); }

    // ---- time ----
    // Moves the clock and fires the engine's timer if it is due.
    void advance(Nanos by) {
        now += by;
        if (const auto due = session.poll_timeout(); due && *due <= now) {
            session.handle_timeout(now);
        }
    }

    // ---- what came out ----
    std::vector<Action> take_actions() {
        std::vector<Action> out;
        while (auto a = session.poll_action()) {
            log.push_back(*a);
            out.push_back(std::move(*a));
        }
        return out;
    }
    Lines take() {
        Lines out;
        for (const auto& a : take_actions()) out.push_back(render(a));
        return out;
    }
    std::vector<OpResult> results() {
        std::vector<OpResult> out;
        while (auto r = session.poll_result()) out.push_back(std::move(*r));
        return out;
    }

    // Greeting and USER/PASS with the default configuration, checking the exact commands.
    void login(const std::string& user = "anonymous",
               const std::string& password = "ftpsim@example.com") {
        connect();
        reply("220 (vsFTPd 3.0.3)");
        EXPECT_EQ(take(), Lines{"> USER " + user + "\r\n"});
        reply("331 Please specify the password.");
        EXPECT_EQ(take(), Lines{"> PASS " + password + "\r\n"});
        reply("230 Login successful.");
    }
};

inline ClientOp make_op(ClientOp::Kind kind, std::string arg = {}, std::string arg2 = {}) {
    ClientOp op;
    op.kind = kind;
    op.arg = std::move(arg);
    op.arg2 = std::move(arg2);
    return op;
}

inline std::vector<int> codes(const OpResult& r) {
    std::vector<int> out;
    for (const auto& reply : r.replies) out.push_back(reply.code);
    return out;
}

}  // namespace ftpsim::sim::test
