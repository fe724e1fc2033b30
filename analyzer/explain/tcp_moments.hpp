// TCP's own moments explained for a student where they happen on a lane: the handshake, the
// FINs and RSTs that end a connection, and the tcp.analysis events Wireshark flags (zero window,
// probe, window update, retransmission, duplicate ACK ...). Pure functions of the lane and the
// direction: the builder decides when a moment happened.
#pragma once

#include <string>

#include "explain/lesson.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::explain {

// "the control connection", "data connection 2 (RETR data.bin)".
std::string lane_name(const Lane& lane);

// At the SYN: who opens the lane, from which port, and why (RFC 9293 §3.5, RFC 959 §3.2).
std::string explain_handshake(const Lane& lane);
// A FIN from one end (RFC 9293 §3.6): that end has nothing more to send. `first`: the lane's
// first FIN, which on a data connection ends the transfer (RFC 959 §3.3).
std::string explain_fin(const Lane& lane, bool from_client, bool first);
// An RST from one end (RFC 9293 §3.5.2): the connection ends at once.
std::string explain_rst(const Lane& lane, bool from_client);
// A tcp.analysis event on a segment sent by one end.
std::string explain_tcp_event(tcp::TcpEvent event, const Lane& lane, bool from_client);

}  // namespace ftpsim::explain
