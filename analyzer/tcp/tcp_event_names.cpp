#include "tcp/tcp_tracker.hpp"

namespace ftpsim::tcp {

std::string_view tcp_event_name(TcpEvent e) {
    switch (e) {
        case TcpEvent::kZeroWindow: return "zero_window";
        case TcpEvent::kWindowFull: return "window_full";
        case TcpEvent::kZeroWindowProbe: return "zero_window_probe";
        case TcpEvent::kKeepAlive: return "keep_alive";
        case TcpEvent::kWindowUpdate: return "window_update";
        case TcpEvent::kRetransmission: return "retransmission";
        case TcpEvent::kOutOfOrder: return "out_of_order";
        case TcpEvent::kDupAck: return "dup_ack";
        case TcpEvent::kLostSegment: return "lost_segment";
        case TcpEvent::kRst: return "rst";
        case TcpEvent::kInconsistentRetransmission: return "inconsistent_retransmission";
    }
    return "unknown";
}

// The bracketed text Wireshark prepends to the Info column (col_prepend_fence_fstr in
// packet-tcp.c). Wireshark adds the frame and count to a dup ACK ("TCP Dup ACK 12#1"); callers
// that want that append it. An RST has no analysis label: Wireshark shows it through the flags,
// "[RST]" or "[RST, ACK]", and its expert info says "Connection reset (RST)"; "RST" is that flag.
std::string_view tcp_event_label(TcpEvent e) {
    switch (e) {
        case TcpEvent::kZeroWindow: return "TCP ZeroWindow";
        case TcpEvent::kWindowFull: return "TCP Window Full";
        case TcpEvent::kZeroWindowProbe: return "TCP ZeroWindowProbe";
        case TcpEvent::kKeepAlive: return "TCP Keep-Alive";
        case TcpEvent::kWindowUpdate: return "TCP Window Update";
        case TcpEvent::kRetransmission: return "TCP Retransmission";
        case TcpEvent::kOutOfOrder: return "TCP Out-Of-Order";
        case TcpEvent::kDupAck: return "TCP Dup ACK";
        case TcpEvent::kLostSegment: return "TCP Previous segment not captured";
        case TcpEvent::kRst: return "RST";
        // Zeek's notice for it (Conn::Retransmission_Inconsistency); Wireshark has none.
        case TcpEvent::kInconsistentRetransmission: return "TCP Inconsistent Retransmission";
    }
    return "unknown";
}

}  // namespace ftpsim::tcp
