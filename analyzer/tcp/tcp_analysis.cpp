#include "tcp/tcp_analysis.hpp"

#include "tcp/seq_math.hpp"

namespace ftpsim::tcp {

namespace {

constexpr TimeNs kFastRetransmissionWindow = 20'000'000;  // 20 ms after the last dup ACK
constexpr TimeNs kDefaultOutOfOrderWindow = 3'000'000;    // 3 ms when no RTT is known

}  // namespace

std::uint16_t analysis_events(std::uint32_t flags) {
    std::uint32_t events = flags & ((1u << kTcpEventCount) - 1);
    if (flags & (kAFastRetransmission | kASpuriousRetransmission)) events |= kARetransmission;
    return static_cast<std::uint16_t>(events);
}

std::uint32_t analyze_segment(const SegmentFacts& s, FlowAnalysis& fwd, FlowAnalysis& rev,
                              TimeNs first_rtt, bool scale_known) {
    const bool syn = (s.flags & kSyn) != 0;
    const bool fin = (s.flags & kFin) != 0;
    const bool rst = (s.flags & kRst) != 0;
    const bool has_ack = (s.flags & kAck) != 0;
    const bool syn_fin_rst = syn || fin || rst;
    std::uint32_t fl = 0;

    // Relative sequence numbers: a SYN is 0; without one, Wireshark starts the first segment at
    // 1 so the numbers look the same as if the handshake had been captured. The other direction's
    // base comes from the first ACK (ack - 1 is its ISN, or as good a guess as any).
    if (!fwd.base_set) {
        fwd.base_seq = syn ? s.seq : s.seq - 1;
        fwd.base_set = true;
    }
    if (!rev.base_set && has_ack) {
        rev.base_seq = s.ack - 1;
        rev.base_set = true;
    }

    const bool at_nextseq = fwd.nextseq_set && s.seq == fwd.nextseq;
    // Same SEQ and ACK as this direction's previous segment: the shape of every "empty repeat"
    // below (window update, keep-alive ACK, zero window probe ACK, duplicate ACK).
    const bool repeats = s.seglen == 0 && fwd.seen && at_nextseq && s.ack == fwd.lastack &&
                         !syn_fin_rst;

    if (s.seglen == 1 && at_nextseq && rev.seen && rev.window == 0) {
        // Zero window probe: one byte at the next expected sequence number while the receiver's
        // window is closed (RFC 9293 §3.8.6.1). Wireshark checks nothing else for it.
        fl |= kAZeroWindowProbe;
    } else {
        if (s.window == 0 && !syn_fin_rst) fl |= kAZeroWindow;

        // A segment beyond the highest sequence number seen: something before it was not
        // captured. Not checked on RSTs, whose sequence numbers may be anything.
        if (fwd.nextseq_set && seq_gt(s.seq, fwd.nextseq) && !rst) fl |= kALostSegment;

        // Keep-alive: 0 or 1 byte one sequence number before the next expected one
        // (RFC 9293 §3.8.4: an old sequence number makes the peer answer with an ACK).
        if (s.seglen <= 1 && fwd.nextseq_set && s.seq == fwd.nextseq - 1 && !syn_fin_rst) {
            fl |= kAKeepAlive;
        }

        if (repeats && s.window != 0 && s.window != fwd.window) fl |= kAWindowUpdate;

        // Window full: the data reaches exactly the right edge of the receiver's window. Only
        // meaningful when window scaling is known (Wireshark requires it too).
        if (s.seglen > 0 && scale_known && rev.seen && !syn_fin_rst &&
            s.seq + s.seglen == rev.lastack + static_cast<std::uint32_t>(rev.window)) {
            fl |= kAWindowFull;
        }

        if (repeats && s.window != 0 && s.window == fwd.window &&
            (rev.last_flags & kAKeepAlive)) {
            fl |= kAKeepAliveAck;
        } else if (repeats && s.window == 0 && fwd.window == 0 &&
                   (rev.last_flags & kAZeroWindowProbe)) {
            fl |= kAZeroWindowProbeAck;
        } else if (repeats && has_ack && s.window != 0 && s.window == fwd.window) {
            // Duplicate ACK: nothing changed but the segment was sent anyway, which a receiver
            // does for each out-of-order segment it gets (RFC 5681 §4.2 / §3.2).
            ++fwd.dupacks;
            fl |= kADupAck;
        }
    }

    if (s.ack != fwd.lastack) fwd.dupacks = 0;

    // Retransmission, fast retransmission, spurious retransmission or out-of-order: a segment
    // occupying sequence space that does not advance past the highest seen. A keep-alive is
    // none of these.
    if ((s.seglen > 0 || syn || fin) && !(fl & kAKeepAlive)) {
        bool not_advanced = fwd.nextseq_set && seq_lt(s.seq, fwd.nextseq);
        // More than one byte starting one before nextseq: new data after a zero window probe
        // whose byte it repeats, not a retransmission.
        if (s.seglen > 1 && fwd.nextseq_set && fwd.nextseq - 1 == s.seq) not_advanced = false;

        const TimeNs since_dupack = s.time - rev.lastack_time;
        const TimeNs since_nextseq = s.time - fwd.nextseq_time;
        const TimeNs ooo_window = first_rtt > 0 ? first_rtt : kDefaultOutOfOrderWindow;
        if (not_advanced && rev.dupacks >= 2 && rev.lastack == s.seq &&
            since_dupack < kFastRetransmissionWindow) {
            fl |= kAFastRetransmission;  // RFC 5681 §3.2 fast retransmit after dup ACKs
        } else if (not_advanced && since_nextseq < ooo_window &&
                   fwd.nextseq != s.seq + s.seglen) {
            // Too soon after the highest segment to be a reaction to loss: it was reordered.
            fl |= kAOutOfOrder;
        } else if (s.seglen > 0 && rev.lastack_valid && seq_le(s.seq + s.seglen, rev.lastack)) {
            fl |= kASpuriousRetransmission;  // everything in it was already acknowledged
        } else if (not_advanced) {
            fl |= kARetransmission;
        }
    }

    const std::uint32_t nextseq = s.seq + s.seglen + ((syn || fin) ? 1u : 0u);
    if ((!fwd.nextseq_set || seq_gt(nextseq, fwd.nextseq)) && !(fl & kAZeroWindowProbe)) {
        // A zero window probe's byte is not accepted yet, so it does not move nextseq.
        fwd.nextseq = nextseq;
        fwd.nextseq_set = true;
        fwd.nextseq_time = s.time;
    }

    fwd.seen = true;
    fwd.window = s.window;
    fwd.lastack = s.ack;
    fwd.lastack_valid = has_ack;
    fwd.lastack_time = s.time;
    fwd.last_flags = fl;
    return fl;
}

}  // namespace ftpsim::tcp
