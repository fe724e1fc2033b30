// One TCP segment of the virtual network and its encoding as an Ethernet frame (IPv4 or IPv6),
// with valid IP and TCP checksums, as a capture on the link would show it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.hpp"

namespace ftpsim::sim::vnet {

using MacAddress = std::array<std::uint8_t, 6>;

enum TcpFlags : std::uint8_t {
    kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
};

// Simulation only, never on the wire: why the sending TCP sent a segment, and what the network
// did to it; the ground truth for a dissector's TCP analysis (docs/ground-truth.md).
enum SegmentNote : std::uint8_t {
    kNoteRetransmission = 0x01,   // sequence space sent before (RTO, SYN retry)
    kNoteZeroWindow = 0x02,       // advertises a receive window of 0
    kNoteZeroWindowProbe = 0x04,  // the persist timer's probe of the peer's closed window
    kNoteWindowUpdate = 0x08,     // a pure ACK sent because the closed window opened
    kNoteDuplicate = 0x10,        // a second copy the network made (impairment)
    kNoteReordered = 0x20,        // held by the network and sent after a later segment
    kNoteLost = 0x40,             // lost on the link after the sender's capture point
};

struct Segment {
    net::Endpoint src, dst;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;  // as on the wire (scaled down by the sender's shift)
    // Options (RFC 9293 §3.2, RFC 7323, RFC 2018). SYN options are written in Linux's order.
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> wscale;
    bool sack_permitted = false;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> timestamps;  // TSval, TSecr
    std::string payload;
    // IPv4 identification chosen by the sender's connection (unset: the network's per-host
    // counter gives one), and the SYN options' order (Windows' rather than Linux's).
    std::optional<std::uint16_t> ip_id;
    bool windows_option_order = false;
    // IPv4 Don't Fragment: set by every sending TCP here (Linux does, for path MTU discovery);
    // a NAT64 clears it on a small translated packet (RFC 7915 §5.1).
    bool df = true;
    // IPv4 TTL / IPv6 hop limit: set from the sender's profile when it leaves its host, one
    // less at every router on the way.
    std::uint8_t ttl = 64;
    // Simulation only, never on the wire: the 1-based number of the connection (in SYN order),
    // for loss rules and tests; and a SYN the receiving host's firewall drops (after its
    // capture point saw it, as libpcap sees packets before netfilter's INPUT chain).
    std::uint32_t connection = 0;
    bool firewalled = false;
    std::uint8_t notes = 0;  // SegmentNote bits

    bool has(TcpFlags f) const { return (flags & f) != 0; }
    // Sequence space the segment occupies: payload, plus one each for SYN and FIN.
    std::uint32_t seq_length() const {
        return static_cast<std::uint32_t>(payload.size()) + (has(kSyn) ? 1 : 0) + (has(kFin) ? 1 : 0);
    }
};

// Bytes of TCP options the segment carries (padded to a multiple of 4).
std::size_t tcp_options_length(const Segment& s);
// Bytes of IP + TCP headers and payload (what the MTU limits).
std::size_t ip_packet_length(const Segment& s);

struct FrameAddressing {
    MacAddress src_mac{}, dst_mac{};
    std::uint16_t ip_id = 0;  // IPv4 only
    std::uint8_t ttl = 64;    // IPv4 TTL / IPv6 hop limit
    std::uint32_t flow_label = 0;  // IPv6 only
};

// Ethernet II + IPv4 (DF set, no options) or IPv6 (no extension headers) + TCP.
std::vector<std::uint8_t> encode_frame(const Segment& s, const FrameAddressing& a);
// The same at `out`, which has room for 14 + ip_packet_length(s) bytes.
void encode_frame_at(const Segment& s, const FrameAddressing& a, std::uint8_t* out);

// The Internet checksum (RFC 1071) over `data`, folded and complemented, starting from `sum`.
std::uint16_t internet_checksum(const std::uint8_t* data, std::size_t length, std::uint32_t sum = 0);

}  // namespace ftpsim::sim::vnet
