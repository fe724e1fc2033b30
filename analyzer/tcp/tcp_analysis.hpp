// Wireshark's tcp.analysis flags for one segment, computed from the sequence/ACK/window history
// of both directions of a connection. Mirrors tcp_analyze_sequence_number() in Wireshark's
// epan/dissectors/packet-tcp.c so that a user comparing our output with Wireshark's sees the same
// segments flagged: same conditions, same precedence ("supersedes" in the Wireshark User's Guide,
// §7.5 TCP Analysis), same per-direction state.
#pragma once

#include <cstdint>

#include "tcp/segment.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::tcp {

// Flags as computed. The low bits are the public TcpEvents at their enum positions; the others
// are Wireshark flags we do not report but which steer the rules (a keep-alive ACK is not a
// duplicate ACK, ...). Fast and spurious retransmissions are reported as retransmissions, which
// is also what Wireshark's tcp.analysis.retransmission filter matches for a fast one.
enum AnalysisFlag : std::uint32_t {
    kAZeroWindow = 1u << static_cast<int>(TcpEvent::kZeroWindow),
    kAWindowFull = 1u << static_cast<int>(TcpEvent::kWindowFull),
    kAZeroWindowProbe = 1u << static_cast<int>(TcpEvent::kZeroWindowProbe),
    kAKeepAlive = 1u << static_cast<int>(TcpEvent::kKeepAlive),
    kAWindowUpdate = 1u << static_cast<int>(TcpEvent::kWindowUpdate),
    kARetransmission = 1u << static_cast<int>(TcpEvent::kRetransmission),
    kAOutOfOrder = 1u << static_cast<int>(TcpEvent::kOutOfOrder),
    kADupAck = 1u << static_cast<int>(TcpEvent::kDupAck),
    kALostSegment = 1u << static_cast<int>(TcpEvent::kLostSegment),
    kAKeepAliveAck = 1u << 16,
    kAZeroWindowProbeAck = 1u << 17,
    kAFastRetransmission = 1u << 18,
    kASpuriousRetransmission = 1u << 19,
};

// The event bits of SegmentSummary::events for a set of AnalysisFlags.
std::uint16_t analysis_events(std::uint32_t flags);

// What Wireshark keeps per direction (tcp_flow_t and its tcp_analyze_seq_flow_info_t). Wireshark
// uses 0 as "not set" for sequence numbers; explicit booleans avoid its misfires when a real
// sequence number is 0.
struct FlowAnalysis {
    bool base_set = false;
    std::uint32_t base_seq = 0;  // relative sequence numbers are seq - base_seq

    bool seen = false;             // a segment was seen in this direction
    bool nextseq_set = false;
    std::uint32_t nextseq = 0;     // highest seq + len (+1 for SYN/FIN) seen
    TimeNs nextseq_time = 0;
    std::uint32_t lastack = 0;     // ACK field of the last segment, as Wireshark keeps it
    bool lastack_valid = false;    // ... and that segment had ACK set
    TimeNs lastack_time = 0;
    std::uint64_t window = 0;      // last advertised window, scaled when the scale is known
    std::uint32_t dupacks = 0;     // duplicate ACKs since the ACK number last changed
    std::uint32_t last_flags = 0;  // AnalysisFlags of the last segment
};

struct SegmentFacts {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t seglen = 0;  // payload length on the wire (captured or not), SYN/FIN excluded
    std::uint8_t flags = 0;
    std::uint64_t window = 0;  // scaled when the scale is known (RFC 7323 §2.2)
    TimeNs time = 0;
};

// Classifies one segment sent in direction fwd and updates both directions' state.
// first_rtt: SYN to the first pure ACK, 0 when unknown (Wireshark's ts_first_rtt), the bound
// below which a segment that does not advance the sequence is out of order rather than a
// retransmission. scale_known: both SYNs were seen, so windows are comparable to sequence
// distances (needed for Window Full).
std::uint32_t analyze_segment(const SegmentFacts& s, FlowAnalysis& fwd, FlowAnalysis& rev,
                              TimeNs first_rtt, bool scale_known);

}  // namespace ftpsim::tcp
