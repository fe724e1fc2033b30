#include "sim/vnet/tcp_stack.hpp"

#include "sim/vnet/network.hpp"

namespace ftpsim::sim::vnet {

TcpStack::TcpStack(Network& net, int host, Prng prng) : net_(net), host_(host), prng_(prng) {}

void TcpStack::transmit(Segment s) { net_.transmit(host_, std::move(s)); }

bool TcpStack::port_used(const net::IpAddress& addr, std::uint16_t port) const {
    const net::Endpoint ep{addr, port};
    if (listeners_.count(ep)) return true;
    for (const auto& [key, sock] : sockets_) {
        if (key.first == ep && !sock->closed()) return true;
    }
    return false;
}

std::uint16_t TcpStack::pick_port(const net::IpAddress& addr, std::uint16_t lo, std::uint16_t hi) {
    if (lo != 0) {
        for (std::uint32_t p = lo; p <= hi; ++p) {
            if (!port_used(addr, static_cast<std::uint16_t>(p))) return static_cast<std::uint16_t>(p);
        }
        return 0;
    }
    const TcpProfile& profile = net_.profile(host_);
    const std::uint32_t first = profile.ephemeral_first, count = profile.ephemeral_last - first + 1u;
    for (int tries = 0; tries < 1000; ++tries) {
        const auto p = static_cast<std::uint16_t>(first + prng_.below(count));
        if (!port_used(addr, p)) return p;
    }
    return 0;
}

TcpSocket& TcpStack::make_socket(const net::Endpoint& local, const net::Endpoint& remote,
                                 std::uint32_t receive_buffer) {
    auto& slot = sockets_[{local, remote}];
    if (slot) retired_.push_back(std::move(slot));
    const TcpProfile& p = net_.profile(host_);
    // RFC 9293 §3.4.1 wants ISNs unpredictable (RFC 6528); here they come from the seeded PRNG,
    // which keeps them arbitrary yet reproducible. The timestamp clock gets a random offset
    // per connection, as Linux does (RFC 7323 §7.1).
    const std::uint32_t iss = prng_.next32();
    const std::uint32_t ts_offset = prng_.next32();
    const std::uint32_t mtu = net_.host_mtu(host_);
    // RFC 9293 §3.7.1: the MSS is the MTU less the fixed IP and TCP headers.
    const auto mss = static_cast<std::uint16_t>(mtu - (local.addr.v6 ? 60 : 40));
    slot = std::make_unique<TcpSocket>(*this, local, remote, iss, ts_offset, mss, p,
                                       receive_buffer != 0 ? receive_buffer : p.receive_buffer);
    return *slot;
}

TcpSocket& TcpStack::connect(net::Endpoint local, const net::Endpoint& remote,
                             std::uint32_t receive_buffer) {
    if (local.port == 0) local.port = pick_port(local.addr);
    TcpSocket& s = make_socket(local, remote, receive_buffer);
    s.open_active(net_.next_connection_number());
    return s;
}

bool TcpStack::listen(const net::Endpoint& local, AcceptFn on_accept, std::uint32_t receive_buffer) {
    if (listeners_.count(local)) return false;
    listeners_[local] = Listener{std::move(on_accept), receive_buffer};
    return true;
}

void TcpStack::unlisten(const net::Endpoint& local) { listeners_.erase(local); }

void TcpStack::reset_unknown(const Segment& s) {
    // RFC 9293 §3.10.7.1: a segment for no connection is answered with a reset; one that
    // carries an ACK gets <SEQ=SEG.ACK><CTL=RST>, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
    if (s.has(kRst)) return;
    Segment r;
    r.src = s.dst;
    r.dst = s.src;
    r.connection = s.connection;
    if (s.has(kAck)) {
        r.seq = s.ack;
        r.flags = kRst;
    } else {
        r.seq = 0;
        r.ack = s.seq + s.seq_length();
        r.flags = kRst | kAck;
    }
    transmit(std::move(r));
}

void TcpStack::receive(const Segment& s) {
    const Key key{s.dst, s.src};
    if (auto it = sockets_.find(key); it != sockets_.end()) {
        TcpSocket& sock = *it->second;
        // A new SYN on a 4-tuple whose old connection is over starts a new connection.
        if (!(s.has(kSyn) && !s.has(kAck) && sock.closed())) {
            sock.on_segment(s);
            return;
        }
    }
    const auto l = listeners_.find(s.dst);
    if (l == listeners_.end() || !s.has(kSyn) || s.has(kAck) || s.has(kRst)) {
        reset_unknown(s);
        return;
    }
    TcpSocket& sock = make_socket(s.dst, s.src, l->second.receive_buffer);
    const net::Endpoint listen_ep = s.dst;
    sock.set_on_established([this, listen_ep, &sock] {
        // The listener may be gone by now (closed by its owner): then nobody accepts.
        const auto again = listeners_.find(listen_ep);
        if (again == listeners_.end()) {
            sock.abort();
            return;
        }
        AcceptFn fn = again->second.on_accept;  // a copy: the callback may unlisten
        fn(sock);
    });
    sock.open_passive(s);
}

}  // namespace ftpsim::sim::vnet
