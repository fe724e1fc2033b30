// Input side of the virtual TCP: the handshake, ACK processing, data and FIN reception.
#include "sim/vnet/tcp_socket.hpp"

#include <algorithm>

#include "sim/vnet/network.hpp"
#include "sim/vnet/tcp_stack.hpp"

namespace ftpsim::sim::vnet {
namespace {

std::int32_t diff(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b); }

}  // namespace

TcpSocket::TcpSocket(TcpStack& stack, net::Endpoint local, net::Endpoint remote,
                     std::uint32_t iss, std::uint32_t ts_offset, std::uint16_t mss,
                     const TcpProfile& profile, std::uint32_t receive_buffer)
    : stack_(stack), queue_(stack.network().queue()), p_(profile), local_(local),
      remote_(remote), mss_local_(mss), ts_offset_(ts_offset), iss_(iss),
      rto_(profile.rto_initial), receive_buffer_(receive_buffer) {
    // The connection's random IPv4 ID start, from bits already drawn for it (no extra draw, so
    // the seed's other numbers stay where they are).
    ip_id_next_ = static_cast<std::uint16_t>((ts_offset ^ iss) >> 8);
}

Nanos TcpSocket::now() const { return queue_.now(); }

void TcpSocket::open_active(std::uint32_t connection) {
    connection_ = connection;
    state_ = State::kSynSent;
    send_syn();
}

void TcpSocket::open_passive(const Segment& syn) {
    connection_ = syn.connection;
    irs_ = syn.seq;
    take_syn_options(syn);
    state_ = State::kSynReceived;
    send_syn();
}

void TcpSocket::take_syn_options(const Segment& s) {
    // RFC 9293 §3.7.1: without an MSS option the peer takes 536 (IPv4) / 1220 (IPv6).
    const std::uint32_t peer_mss = s.mss ? *s.mss : (local_.addr.v6 ? 1220 : 536);
    const std::uint32_t mss = std::min<std::uint32_t>(peer_mss, mss_local_);
    // RFC 7323 §2.2 and §3.2: scaling and timestamps only when both ends offer them.
    if (s.wscale && p_.window_scale != 0) {
        snd_shift_ = std::min<std::uint8_t>(*s.wscale, 14);
        rcv_shift_ = p_.window_scale;
    }
    ts_ok_ = p_.timestamps && s.timestamps.has_value();
    if (s.timestamps) ts_recent_ = s.timestamps->first;
    // RFC 7323 §3.2 / RFC 6691: the timestamp option (12 bytes with its NOPs) comes out of
    // the MSS, so a 1500-byte MTU carries 1448 payload bytes per segment.
    seg_payload_ = mss - (ts_ok_ ? 12 : 0);
    // The window in a SYN is never scaled (RFC 7323 §2.2).
    snd_wnd_ = s.window;
    max_snd_wnd_ = snd_wnd_;
    wl1_ = s.seq;
    wl2_ = s.ack;
    cwnd_ = static_cast<std::uint64_t>(p_.initial_cwnd_segments) * seg_payload_;
    rcv_edge_ = syn_window();
}

void TcpSocket::enter_established() {
    state_ = State::kEstablished;
    syn_acked_ = true;
    rto_timer_.cancel();
    retries_ = 0;
    rto_ = srtt_ != 0 ? rto_ : p_.rto_initial;
    established_report_ = true;
}

void TcpSocket::fail(const std::string& why) {
    state_ = State::kClosed;
    rto_timer_.cancel();
    delack_timer_.cancel();
    persist_timer_.cancel();
    if (!detached_ && callbacks.failed) {
        auto fn = callbacks.failed;
        fn(why);
    }
    detached_ = true;
}

void TcpSocket::update_rtt(const Segment& s) {
    // RFC 7323 §4.1 (RTTM): the echoed timestamp of an ACK for new data gives one sample.
    if (!ts_ok_ || !s.timestamps || s.timestamps->second == 0) return;
    const Nanos r = static_cast<Nanos>(ts_now() - s.timestamps->second) * kMillisecond;
    if (srtt_ == 0) {  // RFC 6298 §2.2
        srtt_ = r;
        rttvar_ = r / 2;
    } else {  // RFC 6298 §2.3, alpha 1/8, beta 1/4
        const Nanos delta = srtt_ > r ? srtt_ - r : r - srtt_;
        rttvar_ = (3 * rttvar_ + delta) / 4;
        srtt_ = (7 * srtt_ + r) / 8;
    }
    rto_ = std::clamp(srtt_ + std::max(kMillisecond, 4 * rttvar_), p_.rto_min, p_.rto_max);
}

void TcpSocket::on_segment(const Segment& s) {
    if (state_ == State::kClosed) {
        if (!s.has(kRst)) {  // RFC 9293 §3.10.7.1: a closed connection answers with RST
            Segment r = make_segment(kRst, s.has(kAck) ? s.ack : 0);
            if (!s.has(kAck)) {
                r.flags |= kAck;
                r.ack = s.seq + s.seq_length();
            }
            r.timestamps.reset();
            emit(std::move(r));
        }
        return;
    }
    if (state_ == State::kSynSent) {
        // RFC 9293 §3.10.7.3: only an ACK of our SYN is acceptable.
        if (!s.has(kAck) || s.ack != iss_ + 1) return;
        if (s.has(kRst)) {
            fail("connection refused");
            return;
        }
        if (!s.has(kSyn)) return;
        irs_ = s.seq;
        take_syn_options(s);
        wl2_ = s.ack;
        enter_established();
        send_ack_now();  // the handshake's third segment goes at once
        finish_input();
        return;
    }
    if (s.has(kRst)) {
        // RFC 5961 §3.2 narrows this to an exact match; a reset in the window is enough here.
        const std::int32_t d = diff(s.seq, rcv_nxt_wire());
        if (d >= 0 && static_cast<std::uint64_t>(d) <= std::max<std::uint64_t>(rcv_edge_ - rcv_off_, 1)) {
            fail(state_ == State::kSynReceived ? "connection refused" : "connection reset");
        }
        return;
    }
    if (s.has(kSyn)) {
        // A retransmitted SYN or SYN-ACK: our answer was lost or is late; acknowledge again
        // (RFC 9293 §3.10.7.4, the "fifth" check).
        if (state_ == State::kSynReceived && !s.has(kAck)) send_syn();
        else send_ack_now();
        return;
    }
    if (!s.has(kAck)) return;
    if (ts_ok_ && s.timestamps && diff(s.timestamps->first, ts_recent_) >= 0 &&
        diff(s.seq, rcv_nxt_wire()) <= 0) {
        ts_recent_ = s.timestamps->first;  // RFC 7323 §4.3
    }
    if (state_ == State::kSynReceived) {
        if (s.ack != iss_ + 1) return;
        enter_established();
        wl1_ = s.seq;
        wl2_ = s.ack;
        snd_wnd_ = static_cast<std::uint64_t>(s.window) << snd_shift_;
    }
    process_ack(s);
    if (state_ == State::kClosed) return;
    process_data(s);
    finish_input();
}

void TcpSocket::process_ack(const Segment& s) {
    const std::int32_t d = diff(s.ack, snd_wire(snd_una_));
    const std::uint64_t max_ack = snd_max_ - snd_una_;
    if (d > 0 && static_cast<std::uint64_t>(d) > max_ack) {
        ack_now_ = true;  // RFC 9293 §3.10.7.4: an ACK for something not yet sent
        return;
    }
    const std::uint64_t old_wnd = snd_wnd_;
    // RFC 9293 §3.10.7.4: take the window from the newest segment (SND.WL1/WL2 rule).
    if (diff(s.seq, wl1_) > 0 || (s.seq == wl1_ && diff(s.ack, wl2_) >= 0)) {
        snd_wnd_ = static_cast<std::uint64_t>(s.window) << snd_shift_;
        max_snd_wnd_ = std::max(max_snd_wnd_, snd_wnd_);
        wl1_ = s.seq;
        wl2_ = s.ack;
    }
    if (d > 0) {
        const std::uint64_t acked = static_cast<std::uint64_t>(d);
        update_rtt(s);
        snd_una_ += acked;
        if (snd_nxt_ < snd_una_) snd_nxt_ = snd_una_;
        const std::uint64_t data_acked_to = std::min(snd_una_, data_end());
        if (data_acked_to > sndq_start_) {
            sndq_head_ += static_cast<std::size_t>(data_acked_to - sndq_start_);
            sndq_start_ = data_acked_to;
            if (sndq_head_ >= 65536 && sndq_head_ * 2 >= sndq_.size()) {
                sndq_.erase(0, sndq_head_);
                sndq_head_ = 0;
            }
        }
        dupacks_ = 0;
        retries_ = 0;
        // RFC 5681 §3.1: slow start below ssthresh, then one segment per window.
        if (cwnd_ < ssthresh_) cwnd_ += std::min<std::uint64_t>(acked, seg_payload_);
        else cwnd_ += std::max<std::uint64_t>(1, std::uint64_t{seg_payload_} * seg_payload_ / cwnd_);
        // RFC 6298 §5.2/5.3: stop the timer when everything is acknowledged, else restart it.
        rto_timer_.cancel();
        if (snd_una_ < snd_max_) arm_rto();
        const bool fin_acked = fin_queued_ && snd_una_ == data_end() + 1;
        if (fin_acked) {
            if (state_ == State::kFinWait1) state_ = State::kFinWait2;
            else if (state_ == State::kClosing) state_ = State::kTimeWait;
            else if (state_ == State::kLastAck) state_ = State::kClosed;
        }
        check_written();
    } else if (d == 0 && s.payload.empty() && !s.has(kFin) && snd_nxt_ > snd_una_ &&
               snd_wnd_ == old_wnd && snd_wnd_ != 0) {
        // RFC 5681 §3.2: the third duplicate ACK triggers a fast retransmit of the first
        // unacknowledged segment.
        if (++dupacks_ == 3) {
            ssthresh_ = std::max<std::uint64_t>((snd_max_ - snd_una_) / 2, 2ULL * seg_payload_);
            cwnd_ = ssthresh_;
            const std::uint64_t len = std::min<std::uint64_t>(seg_payload_, data_end() - std::min(snd_una_, data_end()));
            if (len > 0) emit_data(snd_una_, len, false);
        }
    }
    if (snd_wnd_ > 0) {
        persist_timer_.cancel();
        persist_backoff_ = 0;
    }
}

void TcpSocket::process_data(const Segment& s) {
    const bool can_receive = state_ == State::kEstablished || state_ == State::kFinWait1 ||
                             state_ == State::kFinWait2;
    if (s.payload.empty() && !s.has(kFin)) {
        // An empty segment below RCV.NXT is unacceptable (RFC 9293 §3.10.7.4) and answered with
        // an ACK at once: Linux's zero-window probe and keep-alive are such segments.
        if (can_receive && diff(s.seq, rcv_nxt_wire()) < 0) ack_now_ = true;
        return;
    }
    if (!can_receive) {
        ack_now_ = true;  // a retransmitted FIN after ours was acknowledged
        return;
    }
    const std::int32_t d = diff(s.seq, rcv_nxt_wire());
    const std::int64_t start = static_cast<std::int64_t>(rcv_off_) + d;
    const std::int64_t end = start + static_cast<std::int64_t>(s.payload.size());
    const std::int64_t edge = static_cast<std::int64_t>(rcv_edge_);
    if (s.has(kFin) && end >= static_cast<std::int64_t>(rcv_off_) && end <= edge + 1) {
        peer_fin_off_ = static_cast<std::uint64_t>(end);
    }
    if (!s.payload.empty()) {
        // RFC 9293 §3.10.7.4: keep only what lies in the window; anything else (old duplicates,
        // a probe against a closed window) is answered with an ACK at once.
        const std::int64_t from = std::max<std::int64_t>(start, static_cast<std::int64_t>(rcv_off_));
        const std::int64_t to = std::min(end, edge);
        if (to <= from) {
            ack_now_ = true;
        } else if (from > static_cast<std::int64_t>(rcv_off_)) {
            // RFC 5681 §4.2: an out-of-order segment is acknowledged at once (a duplicate ACK).
            ooo_[static_cast<std::uint64_t>(from)] =
                s.payload.substr(static_cast<std::size_t>(from - start), static_cast<std::size_t>(to - from));
            ack_now_ = true;
        } else {
            const bool filled_gap = !ooo_.empty();
            accept_in_order(std::string_view(s.payload).substr(static_cast<std::size_t>(from - start),
                                                               static_cast<std::size_t>(to - from)));
            // A segment that fills a gap is acknowledged at once (RFC 5681 §4.2).
            if (filled_gap) ack_now_ = true;
            if (to < end) ack_now_ = true;
        }
    }
    if (peer_fin_off_ && *peer_fin_off_ == rcv_off_ && !fin_rcvd_) peer_fin_reached();
}

void TcpSocket::accept_in_order(std::string_view bytes) {
    rcvq_.append(bytes);
    rcv_off_ += bytes.size();
    unacked_rx_ += bytes.size();
    // Pull what the new bytes made contiguous.
    while (!ooo_.empty()) {
        auto it = ooo_.begin();
        if (it->first > rcv_off_) break;
        const std::uint64_t skip = rcv_off_ - it->first;
        if (skip < it->second.size()) {
            rcvq_.append(it->second, static_cast<std::size_t>(skip), std::string::npos);
            rcv_off_ += it->second.size() - skip;
        }
        ooo_.erase(it);
    }
    // RFC 1122 §4.2.3.2 / RFC 9293 §3.8.6.3: acknowledge at least every second full-sized
    // segment; otherwise within the delayed-ACK time.
    if (unacked_rx_ >= 2ULL * seg_payload_) ack_now_ = true;
    else ack_pending_ = true;
}

void TcpSocket::peer_fin_reached() {
    fin_rcvd_ = true;
    ack_now_ = true;  // Linux acknowledges a FIN at once
    switch (state_) {
    case State::kEstablished: state_ = State::kCloseWait; break;
    case State::kFinWait1:
        state_ = snd_una_ == data_end() + 1 ? State::kTimeWait : State::kClosing;
        break;
    case State::kFinWait2: state_ = State::kTimeWait; break;
    default: break;
    }
}

void TcpSocket::deliver_to_app() {
    if (detached_) {
        rcvq_.clear();  // the application closed: what arrives is acknowledged and dropped
        return;
    }
    if (now() < paused_until_) return;
    if (!rcvq_.empty() && callbacks.bytes) {
        std::string bytes;
        bytes.swap(rcvq_);
        auto fn = callbacks.bytes;
        fn(bytes);
    }
    if (fin_rcvd_ && rcvq_.empty() && !eof_delivered_ && !detached_ && callbacks.eof) {
        eof_delivered_ = true;
        auto fn = callbacks.eof;
        fn();
    }
}

// After a segment: report to the application, then acknowledge, so that an answer the
// application writes at once carries the ACK (as a real stack's delayed ACK allows).
void TcpSocket::finish_input() {
    if (established_report_) {
        established_report_ = false;
        if (on_established_) {
            auto fn = std::move(on_established_);
            on_established_ = nullptr;
            fn();
        }
        if (!detached_ && callbacks.connected) {
            auto fn = callbacks.connected;
            fn();
        }
    }
    const bool window_was_closed = last_window_sent_ == 0;
    deliver_to_app();
    output();
    if (state_ == State::kClosed) return;
    // Reading freed buffer space: tell the sender when the window opened from (nearly) closed
    // (RFC 9293 §3.8.6.2.2, receiver-side silly window avoidance).
    if (window_was_closed && advertised_window() != 0) ack_now_ = true;
    if (ack_now_) {
        send_ack_now();
    } else if (ack_pending_ && !delack_timer_.armed()) {
        delack_timer_.arm(queue_, now() + p_.delayed_ack, [this] {
            if (ack_pending_) send_ack_now();
        });
    }
}

}  // namespace ftpsim::sim::vnet
