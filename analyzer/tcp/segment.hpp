// One TCP segment as decoded from a captured frame: the unit the TCP layer consumes.
// Nothing here refers to libtins or libpcap, so the TCP layer can be tested without captures.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "net/endpoint.hpp"

namespace ftpsim::tcp {

// Capture time in nanoseconds since the Unix epoch, taken from the packet record,
// never from the wall clock.
using TimeNs = std::int64_t;

enum TcpFlag : std::uint8_t {
    kFin = 0x01,
    kSyn = 0x02,
    kRst = 0x04,
    kPsh = 0x08,
    kAck = 0x10,
    kUrg = 0x20,
    kEce = 0x40,
    kCwr = 0x80,
};

struct TcpSegment {
    std::uint64_t frame = 0;  // 1-based, as Wireshark numbers frames
    TimeNs time = 0;
    net::Endpoint src;
    net::Endpoint dst;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;                // as on the wire, unscaled
    std::optional<std::uint8_t> window_scale;  // option on SYN segments (RFC 7323 §2.2)
    std::optional<std::uint16_t> mss;
    // SACK blocks (RFC 2018 §3: at most 4 fit in the option space), left and right edges as on
    // the wire. The NAT check verifies that a device's sequence adjustment shifts them too.
    struct SackBlock {
        std::uint32_t left = 0, right = 0;
    };
    std::array<SackBlock, 4> sack{};
    std::uint8_t sack_count = 0;
    std::span<const std::uint8_t> payload;   // valid only during the call that receives it
    std::uint32_t captured_payload_missing = 0;  // bytes cut by the snap length

    bool has(TcpFlag f) const { return (flags & f) != 0; }
};

}  // namespace ftpsim::tcp
