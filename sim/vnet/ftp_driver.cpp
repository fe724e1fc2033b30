#include "sim/vnet/ftp_driver.hpp"

#include <map>
#include <memory>
#include <optional>
#include <variant>

#include "sim/engine/server_session.hpp"
#include "sim/fs/byte_source_io.hpp"
#include "sim/vnet/tcp_stack.hpp"

namespace ftpsim::sim::vnet {
namespace {

net::IpAddress ip(const char* text) {
    net::IpAddress a;
    net::IpAddress::parse(text, a);
    return a;
}

// One engine on one host with its sockets. Sockets belong to the stack; the driver only
// points at them (they live until the network is destroyed).
struct Slot {
    SessionEngine* engine = nullptr;
    int host = 0;
    TcpSocket* control = nullptr;
    net::Endpoint control_local;
    bool control_closed = false;  // closed by this engine: nothing more is reported
    std::uint64_t control_written = 0;  // bytes written on the control connection so far
    struct Channel {
        std::optional<net::Endpoint> listener;
        TcpSocket* conn = nullptr;
        bool closed = false;
        bool refused = false;  // set by CloseData keep_listening during on_data_connected
    };
    std::map<ChannelId, Channel> channels;
};

class Driver {
public:
    Driver(const VnetScenario& sc, const ServerConfig& server_config, FileSystem& fs,
           const ClientConfig& client_config, std::vector<ClientOp> ops, const std::vector<CaptureSpec>& captures)
        : sc_(sc), server_config_(server_config), fs_(fs), net_(sc.network, captures),
          client_(client_config, std::move(ops)), control_port_(client_config.control_port) {}

    VnetResult run();

private:
    net::Endpoint address(int host, bool v6, std::uint16_t port) const {
        const HostConfig& h = sc_.network.hosts[host];
        return net::Endpoint{v6 ? h.ipv6 : h.ipv4, port};
    }
    EventQueue& q() { return net_.queue(); }
    Nanos now() { return q().now(); }

    // Runs one input of an engine, then performs every action it emitted.
    template <typename F>
    void input(Slot& ep, F&& fn) {
        fn(*ep.engine);
        drain(ep);
    }
    void drain(Slot& ep);
    void perform(Slot& ep, Action& a);
    void wire_control(Slot& ep, TcpSocket& s);
    void wire_data(Slot& ep, ChannelId id, TcpSocket& s);
    void accept_control(TcpSocket& s);
    void close_channel(Slot& ep, ChannelId id, bool reset);
    void update_syn_drops();

    const VnetScenario& sc_;
    const ServerConfig& server_config_;
    FileSystem& fs_;
    Network net_;
    ClientSession client_;
    std::uint16_t control_port_ = 0;  // the client control connection's source port; 0: any
    Slot client_ep_;
    std::vector<std::unique_ptr<ServerSession>> servers_;
    std::vector<std::unique_ptr<Slot>> server_eps_;
    std::vector<OpResult> results_;
    std::vector<int> syn_drop_state_ = std::vector<int>(sc_.syn_drops.size(), 0);  // 0 before, 1 in, 2 after
    std::vector<std::uint32_t> syn_drop_hits_ = std::vector<std::uint32_t>(sc_.syn_drops.size(), 0);
    void close_syn_drop(std::size_t i);
};

void Driver::drain(Slot& ep) {
    while (auto a = ep.engine->poll_action()) perform(ep, *a);
    if (ep.engine == &client_) {
        while (auto r = client_.poll_result()) results_.push_back(std::move(*r));
        update_syn_drops();
    }
}

// Ops start one after another, op n once n results are in; the op's first data SYN comes a
// round trip after its first command at the earliest, so this is always in time.
void Driver::update_syn_drops() {
    for (std::size_t i = 0; i < sc_.syn_drops.size(); ++i) {
        const SynDropWindow& w = sc_.syn_drops[i];
        if (syn_drop_state_[i] == 0 && results_.size() >= w.first_op) {
            syn_drop_state_[i] = 1;
            net_.drop_opening_syns(w.count, sc_.server_port);
        }
        if (syn_drop_state_[i] == 1 && results_.size() >= w.end_op) close_syn_drop(i);
    }
}

void Driver::close_syn_drop(std::size_t i) {
    syn_drop_state_[i] = 2;
    syn_drop_hits_[i] = sc_.syn_drops[i].count - net_.syn_drops_left();
    net_.drop_opening_syns(0, sc_.server_port);
}

void Driver::wire_control(Slot& ep, TcpSocket& s) {
    ep.control = &s;
    s.callbacks.bytes = [this, &ep](std::string_view b) {
        input(ep, [&](SessionEngine& e) {
            e.on_control_bytes({reinterpret_cast<const std::uint8_t*>(b.data()), b.size()}, now());
        });
    };
    // The peer closed: tell the engine, then close our side as an application reading EOF does.
    s.callbacks.eof = [this, &ep, &s] {
        input(ep, [&](SessionEngine& e) { e.on_control_closed(now()); });
        if (!ep.control_closed) {
            ep.control_closed = true;
            s.close();
            s.detach();
        }
    };
    s.callbacks.failed = [this, &ep](const std::string&) {
        if (ep.control_closed) return;
        ep.control_closed = true;
        input(ep, [&](SessionEngine& e) { e.on_control_closed(now()); });
    };
}

void Driver::wire_data(Slot& ep, ChannelId id, TcpSocket& s) {
    s.callbacks.bytes = [this, &ep, id](std::string_view b) {
        input(ep, [&](SessionEngine& e) {
            e.on_data_bytes(id, {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()}, now());
        });
    };
    s.callbacks.eof = [this, &ep, id, &s] {
        input(ep, [&](SessionEngine& e) { e.on_data_closed(id, now()); });
        auto& ch = ep.channels[id];
        if (!ch.closed && ch.conn == &s) {  // the reader closes its end after EOF
            ch.closed = true;
            s.close();
            s.detach();
        }
    };
    s.callbacks.failed = [this, &ep, id](const std::string& why) {
        auto& ch = ep.channels[id];
        if (ch.closed) return;
        ch.closed = true;
        input(ep, [&](SessionEngine& e) { e.on_data_failed(id, why, now()); });
    };
    s.callbacks.written = [this, &ep, id] {
        if (ep.channels[id].closed) return;
        input(ep, [&](SessionEngine& e) { e.on_data_sent(id, now()); });
    };
}

void Driver::accept_control(TcpSocket& s) {
    auto session = std::make_unique<ServerSession>(server_config_, fs_);
    auto ep = std::make_unique<Slot>();
    ep->engine = session.get();
    ep->host = 1;
    ep->control_local = s.local();
    Slot& ref = *ep;
    servers_.push_back(std::move(session));
    server_eps_.push_back(std::move(ep));
    wire_control(ref, s);
    input(ref, [&](SessionEngine& e) { e.on_control_connected(s.local(), s.remote(), now()); });
}

void Driver::close_channel(Slot& ep, ChannelId id, bool reset) {
    auto& ch = ep.channels[id];
    if (ch.listener) {
        net_.stack(ep.host).unlisten(*ch.listener);
        ch.listener.reset();
    }
    if (ch.closed) return;
    ch.closed = true;
    if (ch.conn) {
        if (reset) ch.conn->abort();
        else ch.conn->close();
        ch.conn->detach();
    }
}

void Driver::perform(Slot& ep, Action& action) {
    TcpStack& stack = net_.stack(ep.host);
    if (auto* a = std::get_if<SendControl>(&action)) {
        if (!ep.control || ep.control_closed) return;
        if (sc_.ledger) {
            sc_.ledger->control_sent(ep.control->connection(), &ep == &client_ep_, ep.control_written,
                                     a->bytes, a->messages);
        }
        ep.control_written += a->bytes.size();
        ep.control->send(a->bytes);
    } else if (auto* a = std::get_if<CloseControl>(&action)) {
        if (!ep.control || ep.control_closed) return;
        ep.control_closed = true;
        if (a->reset) ep.control->abort();
        else ep.control->close();
        ep.control->detach();
    } else if (auto* a = std::get_if<ListenData>(&action)) {
        const ChannelId id = a->id;
        const net::IpAddress addr = ep.control_local.addr;
        const std::uint16_t port = stack.pick_port(addr, a->port_min, a->port_min ? a->port_max : 0);
        const net::Endpoint local{addr, port};
        if (port == 0 || !stack.listen(local, [this, &ep, id](TcpSocket& s) {
                auto& ch = ep.channels[id];
                if (ch.closed || ch.conn) {  // one connection per listener
                    s.abort();
                    return;
                }
                ch.conn = &s;
                ch.refused = false;
                wire_data(ep, id, s);
                input(ep, [&](SessionEngine& e) { e.on_data_connected(id, s.local(), s.remote(), now()); });
                // Refused (CloseData keep_listening): listen on; else the listener is done.
                auto& again = ep.channels[id];
                if (!again.refused && again.listener) {
                    net_.stack(ep.host).unlisten(*again.listener);
                    again.listener.reset();
                }
            }, a->receive_buffer)) {
            q().at(now(), [this, &ep, id] {
                input(ep, [&](SessionEngine& e) { e.on_data_failed(id, "address in use", now()); });
            });
            return;
        }
        ep.channels[id].listener = local;
        q().at(now(), [this, &ep, id, port] {
            if (ep.channels[id].closed) return;
            input(ep, [&](SessionEngine& e) { e.on_data_listening(id, port, now()); });
        });
    } else if (auto* a = std::get_if<ConnectData>(&action)) {
        const ChannelId id = a->id;
        const net::Endpoint local = address(ep.host, a->remote.addr.v6, a->local_port);
        if (local.addr.v6 != a->remote.addr.v6 || !net_.reaches(ep.host, a->remote.addr)) {
            // connect(2) fails with ENETUNREACH: an IPv6-only client told to connect to the
            // IPv4 address of a 227 behind a NAT64, or a server to an EPRT |2| address.
            q().at(now(), [this, &ep, id] {
                input(ep, [&](SessionEngine& e) { e.on_data_failed(id, "network unreachable", now()); });
            });
            return;
        }
        TcpSocket& s = stack.connect(local, a->remote, a->receive_buffer);
        ep.channels[id].conn = &s;
        wire_data(ep, id, s);
        s.callbacks.connected = [this, &ep, id, &s] {
            input(ep, [&](SessionEngine& e) { e.on_data_connected(id, s.local(), s.remote(), now()); });
        };
    } else if (auto* a = std::get_if<SendData>(&action)) {
        auto& ch = ep.channels[a->id];
        std::string bytes;
        if (!ch.conn || ch.closed) return;
        if (!load_bytes(a->source, bytes)) {
            const ChannelId id = a->id;
            q().at(now(), [this, &ep, id] {
                input(ep, [&](SessionEngine& e) { e.on_data_failed(id, "read error", now()); });
            });
            return;
        }
        ch.conn->send(bytes);
    } else if (auto* a = std::get_if<CloseData>(&action)) {
        auto& ch = ep.channels[a->id];
        if (a->keep_listening && ch.listener && ch.conn && !ch.closed) {
            ch.conn->abort();
            ch.conn->detach();
            ch.conn = nullptr;
            ch.refused = true;
            return;
        }
        close_channel(ep, a->id, a->reset);
    } else if (auto* a = std::get_if<PauseReading>(&action)) {
        auto& ch = ep.channels[a->id];
        if (ch.conn && !ch.closed) ch.conn->pause_reading_until(a->until);
    } else if (auto* a = std::get_if<CommitUpload>(&action)) {
        // Virtual time does not pass while a disk works: committed now, answered as an event.
        const ChannelId id = a->id;
        const FsError result = a->sink->commit();
        q().at(now(), [this, &ep, id, result] {
            input(ep, [&](SessionEngine& e) { e.on_upload_committed(id, result, now()); });
        });
    }
}

VnetResult Driver::run() {
    const net::Endpoint server_ep = address(1, sc_.ipv6, sc_.server_port);
    net_.stack(1).listen(server_ep, [this](TcpSocket& s) { accept_control(s); }, 0);

    client_ep_.engine = &client_;
    client_ep_.host = 0;
    update_syn_drops();
    const net::Endpoint connect_ep = sc_.connect_to ? net::Endpoint{*sc_.connect_to, sc_.server_port} : server_ep;
    // The client's own address in the family it connects in: across a NAT64 (RFC 6146) an
    // IPv6 client reaches an IPv4 server.
    // control_port 0: an ephemeral port drawn from the seed, as the kernel would pick one.
    TcpSocket& ctl = net_.stack(0).connect(address(0, connect_ep.addr.v6, control_port_), connect_ep, 0);
    client_ep_.control_local = ctl.local();
    wire_control(client_ep_, ctl);
    ctl.callbacks.connected = [this, &ctl] {
        input(client_ep_, [&](SessionEngine& e) { e.on_control_connected(ctl.local(), ctl.remote(), now()); });
    };
    ctl.callbacks.failed = [this](const std::string&) {
        if (client_ep_.control_closed) return;
        client_ep_.control_closed = true;
        input(client_ep_, [&](SessionEngine& e) { e.on_control_closed(now()); });
    };

    VnetResult result;
    // A bound on steps, against an engine that keeps asking for a timer it does not consume.
    for (std::uint64_t steps = 0; steps < 100'000'000; ++steps) {
        // The earliest of: the next network event, the next engine timer.
        std::optional<Nanos> next = q().next_time();
        Slot* timer_owner = nullptr;
        auto consider = [&](Slot& ep) {
            const auto t = ep.engine->poll_timeout();
            if (t && (!next || *t < *next)) {
                next = *t;
                timer_owner = &ep;
            }
        };
        // Once the client is done only the network matters: the server's idle timer would
        // otherwise keep the run going.
        const bool client_done = client_.finished();
        if (!client_done) {
            consider(client_ep_);
            for (auto& ep : server_eps_) consider(*ep);
        }
        if (!next) break;
        if (*next > sc_.deadline) break;
        if (timer_owner) {
            q().advance(*next);
            input(*timer_owner, [&](SessionEngine& e) { e.handle_timeout(now()); });
        } else {
            q().run_one();
        }
    }
    result.client_finished = client_.finished();
    result.end_time = now();
    result.results = std::move(results_);
    result.frames = net_.frames();
    result.dropped = net_.dropped();
    for (std::size_t i = 0; i < syn_drop_state_.size(); ++i)
        if (syn_drop_state_[i] == 1) close_syn_drop(i);  // the run ended inside the window
    result.syn_drop_hits = syn_drop_hits_;
    result.impairment_hits = net_.impairment_hits();
    result.data_segments = net_.data_segments();
    result.all_segments = net_.all_segments();
    result.capture_ok = net_.finish_capture();
    return result;
}

}  // namespace

NetworkConfig VnetScenario::default_network() {
    NetworkConfig n;
    n.hosts[0] = HostConfig{"client", ip("10.0.0.2"), ip("fd00::2"), {0x02, 0x00, 0x00, 0x00, 0x00, 0x02}, std::nullopt};
    n.hosts[1] = HostConfig{"server", ip("10.0.0.1"), ip("fd00::1"), {0x02, 0x00, 0x00, 0x00, 0x00, 0x01}, std::nullopt};
    return n;
}

VnetResult run_ftp_session(const VnetScenario& scenario, const ServerConfig& server,
                           FileSystem& fs, const ClientConfig& client, std::vector<ClientOp> ops,
                           const std::vector<CaptureSpec>& captures) {
    Driver d(scenario, server, fs, client, std::move(ops), captures);
    return d.run();
}

VnetResult run_ftp_session(const VnetScenario& scenario, const ServerConfig& server,
                           FileSystem& fs, const ClientConfig& client, std::vector<ClientOp> ops,
                           const std::string& pcap_path, FrameTap* tap) {
    std::vector<CaptureSpec> captures;
    if (!pcap_path.empty() || tap) captures.push_back(CaptureSpec{0, 0, pcap_path, tap});
    return run_ftp_session(scenario, server, fs, client, std::move(ops), captures);
}

}  // namespace ftpsim::sim::vnet
