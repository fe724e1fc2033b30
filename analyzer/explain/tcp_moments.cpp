#include "explain/tcp_moments.hpp"

namespace ftpsim::explain {
namespace {

std::string side(bool client) { return client ? "the client" : "the server"; }
std::string port_of(const net::Endpoint& e) { return std::to_string(e.port); }

}  // namespace

std::string lane_name(const Lane& lane) {
    if (lane.role == analyzer::ConnRole::kFtpControl) return "the control connection";
    if (lane.role == analyzer::ConnRole::kFtpData)
        return "the data connection" + (lane.transfer.empty() ? "" : " of " + lane.transfer);
    return "a TCP connection that is not FTP";
}

std::string explain_handshake(const Lane& lane) {
    const bool c = lane.opened_by_client;
    const net::Endpoint& from = c ? lane.client_end : lane.server_end;
    const net::Endpoint& to = c ? lane.server_end : lane.client_end;
    std::string out = side(c) + " opens " + lane_name(lane) + " from port " + port_of(from) +
                      " to port " + port_of(to) + ": SYN, SYN/ACK, ACK (RFC 9293 §3.5), each "
                      "side choosing its initial sequence number.";
    if (lane.role == analyzer::ConnRole::kFtpData && lane.mode == "active")
        out += " In active mode the server connects back to the address the client's PORT or "
               "EPRT named (RFC 959 §3.2).";
    else if (lane.role == analyzer::ConnRole::kFtpData && lane.mode == "passive")
        out += " In passive mode the client connects to the port the server's 227 or 229 reply "
               "announced.";
    else if (lane.role == analyzer::ConnRole::kFtpControl)
        out += " Commands and replies travel on it for the whole session.";
    return out;
}

std::string explain_fin(const Lane& lane, bool from_client, bool first) {
    std::string out = side(from_client) + " sends FIN on " + lane_name(lane) +
                      ": it has nothing more to send, though it still receives (RFC 9293 §3.6).";
    if (lane.role == analyzer::ConnRole::kFtpData)
        out += first ? " On a data connection this close marks the end of the file (RFC 959 §3.3)."
                     : " The other end's FIN answers it: the data connection is done.";
    return out;
}

std::string explain_rst(const Lane& lane, bool from_client) {
    return side(from_client) + " resets " + lane_name(lane) +
           ": RST ends it at once, without the FIN exchange, and bytes still in flight are "
           "dropped (RFC 9293 §3.5.2).";
}

std::string explain_tcp_event(tcp::TcpEvent event, const Lane& lane, bool from_client) {
    const std::string me = side(from_client), peer = side(!from_client);
    switch (event) {
    case tcp::TcpEvent::kZeroWindow:
        return me + " advertises a receive window of 0: its buffer is full, so " + peer +
               " must stop sending until the window opens (RFC 9293 §3.8.6).";
    case tcp::TcpEvent::kWindowFull:
        return me + " has filled the window " + peer +
               " advertised: it must wait for an ACK before sending more.";
    case tcp::TcpEvent::kZeroWindowProbe:
        return me + " sends a zero-window probe: one byte to ask whether " + peer +
               "'s window has opened, so a lost window update cannot stall the connection "
               "forever (RFC 9293 §3.8.6.1).";
    case tcp::TcpEvent::kKeepAlive:
        return me + " sends a keep-alive: a segment with an old sequence number that makes " +
               peer + " answer, to check the connection is still there (RFC 9293 §3.8.4).";
    case tcp::TcpEvent::kWindowUpdate:
        return me + " sends a window update: an ACK that only announces a larger window, so " +
               peer + " may send again.";
    case tcp::TcpEvent::kRetransmission:
        return me + " sends bytes again that it sent before: the first copy was lost or its ACK "
                    "came too late (RFC 6298).";
    case tcp::TcpEvent::kOutOfOrder:
        return me + "'s segment arrives out of order: it carries bytes before ones already seen.";
    case tcp::TcpEvent::kDupAck:
        return me + " repeats its last ACK: a segment after a gap arrived, and it still waits for "
                    "the missing bytes; three duplicates make " + peer +
               " retransmit at once (fast retransmit, RFC 5681 §3.2).";
    case tcp::TcpEvent::kLostSegment:
        return "bytes before this segment of " + me +
               " were not captured: lost on the way, or missed by the capture.";
    case tcp::TcpEvent::kRst:
        return explain_rst(lane, from_client);
    case tcp::TcpEvent::kInconsistentRetransmission:
        return me + " sends bytes again that differ from the first copy: the receiver keeps only "
                    "one of them, so the two ends may disagree about the data.";
    }
    return "";
}

}  // namespace ftpsim::explain
