#include "tcp/tcp_connection.hpp"

#include <algorithm>
#include <cstring>

namespace ftpsim::tcp {

namespace {

// splitmix64's finalizer: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t address_hash(const net::IpAddress& a, std::uint64_t h) {
    std::uint64_t w[2];
    std::memcpy(w, a.bytes.data(), sizeof w);
    return mix(mix(h ^ w[0]) ^ w[1]);
}

// RFC 7323 §2.3: a shift above 14 is treated as 14.
constexpr std::uint8_t kMaxWindowShift = 14;

}  // namespace

std::size_t FlowKeyHash::operator()(const FlowKey& k) const noexcept {
    std::uint64_t h = (std::uint64_t{k.lo.port} << 16) | k.hi.port;
    if (k.lo.addr.v6) h |= std::uint64_t{1} << 32;
    h = address_hash(k.lo.addr, h);
    h = address_hash(k.hi.addr, h);
    return static_cast<std::size_t>(h);
}

void Connection::note_syn(int i, const TcpSegment& seg) {
    if (!syn_isn[i]) syn_isn[i] = seg.seq;
    if (!syn_seen[i]) syn_wscale[i] = seg.window_scale;
    syn_seen[i] = true;
    if (seg.has(kAck)) syn_acked[1 - i] = seg.ack;
    if (!seg.has(kAck)) mru_syn = seg.time;
    if (syn_seen[0] && syn_seen[1] && !scale_known) {
        // Scaling is in effect only if both SYNs carried the option (RFC 7323 §2.2); then each
        // side's windows are shifted by the value it sent.
        scale_known = true;
        const bool both = syn_wscale[0].has_value() && syn_wscale[1].has_value();
        for (int d = 0; d < 2; ++d) {
            shift[d] = both ? std::min(*syn_wscale[d], kMaxWindowShift) : std::uint8_t{0};
        }
    }
}

std::uint64_t Connection::scaled_window(int i, const TcpSegment& seg) const {
    if (seg.has(kSyn) || !scale_known) return seg.window;  // a SYN's window is never scaled
    return std::uint64_t{seg.window} << shift[i];
}

bool starts_new_incarnation(const Connection& c, Direction d, const TcpSegment& syn) {
    const int i = dir_index(d);
    // Same ISN as this side's SYN: a retransmission, whatever state the connection is in.
    if (c.syn_isn[i]) return *c.syn_isn[i] != syn.seq;
    // The connection ended without this side ever sending a SYN: the tuple is being reused.
    if (c.closed) return true;
    // A SYN-ACK answering the SYN this connection opened with.
    if (syn.has(kAck)) return false;
    // The peer's SYN-ACK was captured before this SYN: it belongs if the SYN-ACK acknowledges it.
    if (c.syn_acked[i]) return *c.syn_acked[i] != syn.seq + 1;
    // A SYN on a connection picked up mid-stream: a new connection on the same ports.
    return true;
}

}  // namespace ftpsim::tcp
