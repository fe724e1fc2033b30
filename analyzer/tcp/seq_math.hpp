// 32-bit TCP sequence-number comparisons. Sequence numbers wrap modulo 2^32 (RFC 9293 §3.4), so
// "a before b" is decided with serial-number arithmetic (RFC 1982 §3.2): the signed distance
// b - a taken modulo 2^32. Stream offsets, which never wrap, are 64-bit elsewhere.
#pragma once

#include <cstdint>

namespace ftpsim::tcp {

// Signed distance from b to a: positive when a is after b. C++20 defines the modular conversion.
inline std::int32_t seq_diff(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b);
}
inline bool seq_lt(std::uint32_t a, std::uint32_t b) { return seq_diff(a, b) < 0; }
inline bool seq_le(std::uint32_t a, std::uint32_t b) { return seq_diff(a, b) <= 0; }
inline bool seq_gt(std::uint32_t a, std::uint32_t b) { return seq_diff(a, b) > 0; }
inline bool seq_ge(std::uint32_t a, std::uint32_t b) { return seq_diff(a, b) >= 0; }

// The largest window TCP can advertise: 65535 << 14, just under 2^30 (RFC 7323 §2.3). A sender
// never has more than this outstanding, so a segment or an ACK further ahead of what was seen is
// bogus (or belongs to another incarnation) rather than evidence of a hole.
inline constexpr std::uint64_t kMaxWindowSpan = std::uint64_t{1} << 30;

}  // namespace ftpsim::tcp
