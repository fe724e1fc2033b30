// TCP connection tracking and per-direction stream reassembly for captured traffic.
//
// The tracker is I/O-free: it consumes decoded TcpSegments in capture order and reports, through
// a TcpObserver, connections opening and closing, in-order stream bytes, gaps (bytes that were
// never captured) and Wireshark-style tcp.analysis events. Memory is bounded: out-of-order data
// is buffered up to a per-stream limit, and closed connections are forgotten after a while.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "net/endpoint.hpp"
#include "tcp/segment.hpp"

namespace ftpsim::tcp {

enum class Direction : std::uint8_t { kClientToServer = 0, kServerToClient = 1 };

// Named as Wireshark's tcp.analysis flags so users recognise them; the last, which Wireshark does
// not flag, as Zeek's rexmit_inconsistency event.
enum class TcpEvent : std::uint8_t {
    kZeroWindow,       // tcp.analysis.zero_window
    kWindowFull,       // tcp.analysis.window_full
    kZeroWindowProbe,  // tcp.analysis.zero_window_probe
    kKeepAlive,        // tcp.analysis.keep_alive
    kWindowUpdate,     // tcp.analysis.window_update
    kRetransmission,   // tcp.analysis.retransmission
    kOutOfOrder,       // tcp.analysis.out_of_order
    kDupAck,           // tcp.analysis.duplicate_ack
    kLostSegment,      // tcp.analysis.lost_segment ("previous segment not captured")
    kRst,              // a segment with RST set
    // A segment's bytes differ from an earlier copy of the same bytes (TcpObserver::
    // on_inconsistency). Never in SegmentSummary::events: it is a fact of the stream, not of the
    // segment's header, and Wireshark's packet list shows no such flag.
    kInconsistentRetransmission,
};
inline constexpr int kTcpEventCount = 11;

// "zero_window", "window_full", ... (the and the JSON schema's names).
std::string_view tcp_event_name(TcpEvent e);
// Wireshark's Info-column text: "TCP ZeroWindow", "TCP Retransmission", ...
std::string_view tcp_event_label(TcpEvent e);

struct ConnectionInfo {
    std::uint64_t id = 0;       // 1-based, in order of first appearance: deterministic
    net::Endpoint client;       // the SYN sender; without a handshake, a guess (see tcp_tracker.cpp)
    net::Endpoint server;
    bool saw_handshake = false;
    std::uint64_t first_frame = 0;
    TimeNs first_time = 0;
};

enum class CloseReason : std::uint8_t { kFin, kRst, kCaptureEnd };

// Bytes of one direction seen twice with different contents (stream_reassembler.hpp says which
// copy a receiving TCP reads, and so which the stream keeps).
struct InconsistentBytes {
    std::uint32_t relative_seq = 0;  // of the first differing byte, numbered as Wireshark does
    std::uint64_t offset = 0;        // its stream offset
    std::uint64_t length = 0;        // up to and including the last differing byte
    // True: the later copy replaced one held out of order. False: the first copy stayed.
    bool later_copy_kept = false;
};

// What the tracker made of one segment; returned by TcpTracker::process for per-packet output
// (the packet table).
struct SegmentSummary {
    const ConnectionInfo* conn = nullptr;  // valid until the next process()/finish() call
    Direction dir = Direction::kClientToServer;
    std::uint32_t relative_seq = 0;  // relative to the ISN as Wireshark shows it (SYN = 0)
    std::uint32_t relative_ack = 0;
    std::uint64_t scaled_window = 0;  // window << scale when the handshake was seen
    std::uint16_t events = 0;         // bit (1 << TcpEvent) for every event flagged on the segment
    bool has(TcpEvent e) const { return (events >> static_cast<int>(e)) & 1; }
};

class TcpObserver {
public:
    virtual ~TcpObserver() = default;
    // A new connection: a SYN, or a first segment of a connection whose handshake was not captured.
    virtual void on_open(const ConnectionInfo& c, const TcpSegment& first) = 0;
    // Whether the connection's payload matters (asked for every segment, so the answer may
    // change once the first bytes tell what a connection is). When not, its bytes are neither
    // buffered nor delivered: on_data is not called and on_gap reports them instead, while
    // sequence analysis, on_event and on_close go on as for any connection.
    virtual bool wants_payload(const ConnectionInfo& /*c*/) { return true; }
    // In-order bytes of one direction. offset is the stream offset of bytes[0] (0 = first byte
    // after the SYN, or the first byte seen on a mid-stream connection). frame/time are those of
    // the segment whose arrival made the bytes deliverable.
    virtual void on_data(const ConnectionInfo& c, Direction d, std::uint64_t offset,
                         std::span<const std::uint8_t> bytes, std::uint64_t frame, TimeNs time) = 0;
    // Bytes [offset, offset + length) of a direction were never captured; delivery resumes after.
    virtual void on_gap(const ConnectionInfo& c, Direction d, std::uint64_t offset,
                        std::uint64_t length, std::uint64_t frame, TimeNs time) = 0;
    virtual void on_event(const ConnectionInfo& c, Direction d, TcpEvent e,
                          const TcpSegment& seg) = 0;
    // Segment `seg` of direction d carried bytes that differ from an earlier copy of them (the
    // event kInconsistentRetransmission). Called before the segment's bytes are delivered.
    virtual void on_inconsistency(const ConnectionInfo& /*c*/, Direction /*d*/,
                                  const InconsistentBytes& /*bytes*/, const TcpSegment& /*seg*/) {}
    // Called once per connection, after all its data: both FINs, an RST, or the end of capture.
    virtual void on_close(const ConnectionInfo& c, CloseReason why, std::uint64_t frame,
                          TimeNs time) = 0;
};

struct TrackerLimits {
    std::size_t max_out_of_order_bytes = 256 * 1024;  // per direction; past it, declare a gap
    TimeNs forget_closed_after = 120'000'000'000;     // 2*MSL of capture time (RFC 9293 §3.6.1)
    // Over all connections: out-of-order bytes held and delivered bytes kept for comparison.
    // The per-direction bounds above do not bound a capture with thousands of open connections
    // (one side of each, never acknowledged, keeps its last bytes), so the total is checked every
    // `memory_check_every` segments; past it, the connections holding most give it up (kept bytes
    // forgotten, held bytes declared gaps) until half the budget is free.
    std::size_t max_total_memory = 32 * 1024 * 1024;
    std::uint32_t memory_check_every = 1024;
};

class TcpTracker {
public:
    explicit TcpTracker(TcpObserver& observer, TrackerLimits limits = {});
    ~TcpTracker();
    TcpTracker(const TcpTracker&) = delete;
    TcpTracker& operator=(const TcpTracker&) = delete;

    SegmentSummary process(const TcpSegment& seg);
    // Out-of-order bytes held for reassembly over all connections (bounded by
    // TrackerLimits::max_out_of_order_bytes per direction).
    std::size_t buffered_bytes() const;
    // Out-of-order and kept delivered bytes over all connections (TrackerLimits::max_total_memory).
    std::size_t memory_bytes() const;
    // End of capture: report remaining buffered data after gaps, close every open connection.
    void finish(std::uint64_t last_frame, TimeNs last_time);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ftpsim::tcp
