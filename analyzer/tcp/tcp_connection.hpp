// Per-connection state of the TcpTracker, the 4-tuple key it is found by, and whether a SYN starts
// a new connection on a 4-tuple already in use. Internal to the tcp layer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "net/endpoint.hpp"
#include "tcp/segment.hpp"
#include "tcp/stream_reassembler.hpp"
#include "tcp/tcp_analysis.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::tcp {

// The 4-tuple in a canonical order, so both directions of a connection find the same entry.
struct FlowKey {
    net::Endpoint lo;
    net::Endpoint hi;

    static FlowKey of(const net::Endpoint& a, const net::Endpoint& b) {
        return a < b ? FlowKey{a, b} : FlowKey{b, a};
    }
    bool operator==(const FlowKey&) const = default;
};

// Mixes the addresses a word at a time: cheaper than a byte-wise hash on the per-segment path.
struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept;
};

inline int dir_index(Direction d) { return static_cast<int>(d); }
inline Direction opposite(Direction d) {
    return d == Direction::kClientToServer ? Direction::kServerToClient
                                           : Direction::kClientToServer;
}

struct Connection {
    explicit Connection(std::size_t max_buffered)
        : stream{StreamReassembler(max_buffered), StreamReassembler(max_buffered)} {}

    Direction direction_of(const TcpSegment& seg) const {
        return seg.src == info.client ? Direction::kClientToServer
                                      : Direction::kServerToClient;
    }
    // Records what a SYN of direction i tells: its ISN, its window scale option, and (on a
    // SYN-ACK) the other direction's ISN + 1.
    void note_syn(int i, const TcpSegment& seg);
    // The advertised window in bytes: scaled by the sender's shift once both SYNs were seen
    // with the option (RFC 7323 §2.2), never on a SYN, unscaled otherwise.
    std::uint64_t scaled_window(int i, const TcpSegment& seg) const;

    FlowKey key;
    ConnectionInfo info;
    std::array<FlowAnalysis, 2> flow;        // indexed by Direction
    std::array<StreamReassembler, 2> stream;
    std::array<std::optional<std::uint32_t>, 2> syn_isn;     // ISN of each direction's SYN
    std::array<std::optional<std::uint32_t>, 2> syn_acked;   // ISN + 1 as the peer's SYN-ACK says
    std::array<std::optional<std::uint8_t>, 2> syn_wscale;   // window scale option of the SYN
    std::array<bool, 2> syn_seen{};
    std::array<std::uint8_t, 2> shift{};
    bool scale_known = false;
    bool fin_seen = false;
    bool closed = false;
    std::optional<TimeNs> mru_syn;  // last SYN without ACK (Wireshark's ts_mru_syn)
    std::optional<TimeNs> first_rtt;
};

// Whether `syn` (a segment with SYN set, sent in direction d of c) belongs to a new connection
// reusing c's 4-tuple rather than to c.
bool starts_new_incarnation(const Connection& c, Direction d, const TcpSegment& syn);

}  // namespace ftpsim::tcp
