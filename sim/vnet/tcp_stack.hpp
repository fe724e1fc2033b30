// One host's TCP: demultiplexes arriving segments to connections by (local, remote) endpoint,
// answers SYNs on listening ports, and allocates ephemeral ports and ISNs from the host's PRNG.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/engine/prng.hpp"
#include "sim/vnet/tcp_socket.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::vnet {

class Network;

class TcpStack {
public:
    // Called when a connection to a listening endpoint completes its handshake (as accept(2)
    // returns only established connections).
    using AcceptFn = std::function<void(TcpSocket&)>;

    TcpStack(Network& net, int host, Prng prng);

    // Active open from `local` (port 0: an ephemeral port) to `remote`. `receive_buffer` 0: the
    // profile's.
    TcpSocket& connect(net::Endpoint local, const net::Endpoint& remote, std::uint32_t receive_buffer);
    // False when the endpoint is already listening.
    bool listen(const net::Endpoint& local, AcceptFn on_accept, std::uint32_t receive_buffer);
    void unlisten(const net::Endpoint& local);
    bool listening(const net::Endpoint& local) const { return listeners_.count(local) != 0; }
    // A free port: random in the profile's ephemeral range (Linux: [32768, 60999]), or the first
    // free one in [lo, hi]; 0 when none.
    std::uint16_t pick_port(const net::IpAddress& addr, std::uint16_t lo = 0, std::uint16_t hi = 0);

    void receive(const Segment& s);

    // For sockets.
    void transmit(Segment s);
    Network& network() { return net_; }
    Prng& prng() { return prng_; }

private:
    struct Listener {
        AcceptFn on_accept;
        std::uint32_t receive_buffer = 0;
    };
    using Key = std::pair<net::Endpoint, net::Endpoint>;  // local, remote

    bool port_used(const net::IpAddress& addr, std::uint16_t port) const;
    void reset_unknown(const Segment& s);
    TcpSocket& make_socket(const net::Endpoint& local, const net::Endpoint& remote,
                           std::uint32_t receive_buffer);

    Network& net_;
    int host_;
    Prng prng_;
    std::map<Key, std::unique_ptr<TcpSocket>> sockets_;
    // Sockets replaced by a new connection on the same 4-tuple: kept alive, since timer events
    // still point at them.
    std::vector<std::unique_ptr<TcpSocket>> retired_;
    std::map<net::Endpoint, Listener> listeners_;
};

}  // namespace ftpsim::sim::vnet
