// Small socket helpers shared by the control and data channels: endpoint conversion between
// Boost.Asio and the engines' net::Endpoint, the real clock, and the two ways to close a socket.
#pragma once

// <utility> first: Boost 1.74's awaitable.hpp uses std::exchange without including it (g++ 12).
#include <utility>

#include <boost/asio.hpp>
#include <chrono>
#include <string>
#include <system_error>

#include "net/endpoint.hpp"
#include "sim/engine/actions.hpp"

namespace ftpsim::sim::asio_io {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// The clock the engines' time comes from on kernel sockets: they only ever see its readings as
// Nanos. (sim/netns, sim/capture and sim/run read steady_clock too, for their own deadlines and
// the times a report shows; nothing that decides protocol behaviour does.)
inline Nanos now_nanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
inline std::chrono::steady_clock::time_point to_time_point(Nanos t) {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::nanoseconds(t)));
}

// IPv4-mapped IPv6 addresses (a dual-stack listener on ::) become plain IPv4, so that the
// engine compares a PORT argument with the control peer in the same family.
net::Endpoint to_net(const tcp::endpoint& ep);
asio::ip::address to_asio(const net::IpAddress& a);
tcp::endpoint to_asio(const net::Endpoint& ep);

// Abort with RST: SO_LINGER {1, 0}, then close. Errors are ignored (the socket may be dead).
void reset_close(tcp::socket& s);

// Graceful close that does not lose what was written: shutdown(send) so the peer sees FIN,
// then read and discard until the peer closes too (at most `linger`), then close. Closing at
// once with unread bytes in the receive buffer would send RST and could destroy data still in
// flight to the peer. The socket is moved into a self-owned object; the caller is done with it.
void graceful_close(tcp::socket&& s, std::chrono::milliseconds linger = std::chrono::milliseconds(1500));

// "cannot bind port 20: needs root or CAP_NET_BIND_SERVICE" for EACCES on a privileged port,
// else "cannot bind port N: <system message>".
std::string bind_error_text(std::uint16_t port, const boost::system::error_code& ec);

}  // namespace ftpsim::sim::asio_io
