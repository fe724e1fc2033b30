// Output side of the virtual TCP: segments, the application's calls, and the timers
// (retransmission, delayed ACK, persist).
#include <algorithm>

#include "sim/vnet/network.hpp"
#include "sim/vnet/tcp_socket.hpp"
#include "sim/vnet/tcp_stack.hpp"

namespace ftpsim::sim::vnet {

std::uint32_t TcpSocket::ts_now() const {
    // RFC 7323 §5.4: a clock ticking between 1 ms and 1 s; Linux ticks in milliseconds.
    return ts_offset_ + static_cast<std::uint32_t>(now() / kMillisecond);
}

std::uint16_t TcpSocket::advertised_window() {
    const std::uint64_t used = rcvq_.size();
    const std::uint64_t free_space = receive_buffer_ > used ? receive_buffer_ - used : 0;
    const std::uint64_t new_edge = rcv_off_ + free_space;
    // RFC 9293 §3.8.6.2.2 (receiver SWS avoidance): move the right edge only by at least
    // min(buffer / 2, MSS), and never move it back (RFC 9293 §3.8.6: do not shrink the window).
    const std::uint64_t step = std::min<std::uint64_t>(receive_buffer_ / 2, mss_local_);
    if (new_edge > rcv_edge_ && new_edge - rcv_edge_ >= step) rcv_edge_ = new_edge;
    const std::uint64_t wnd = rcv_edge_ > rcv_off_ ? rcv_edge_ - rcv_off_ : 0;
    const std::uint64_t field = std::min<std::uint64_t>(wnd >> rcv_shift_, 65535);
    // A window that rounds down to 0 is 0: retract the sub-unit remainder, so a probe against
    // it is refused rather than taken (RFC 7323 §2.3 accepts such rounding).
    if (field == 0) rcv_edge_ = rcv_off_;
    return static_cast<std::uint16_t>(field);
}

Segment TcpSocket::make_segment(std::uint8_t flags, std::uint32_t seq) {
    Segment s;
    s.src = local_;
    s.dst = remote_;
    s.seq = seq;
    s.flags = flags;
    s.connection = connection_;
    s.windows_option_order = p_.windows_option_order;
    if (p_.ip_id_per_connection) s.ip_id = ip_id_next_++;
    if (flags & kAck) s.ack = rcv_nxt_wire();
    if (!(flags & kRst)) {
        s.window = (flags & kSyn) ? syn_window() : advertised_window();
        if (ts_ok_ || ((flags & kSyn) && p_.timestamps && state_ == State::kSynSent)) {
            s.timestamps = std::make_pair(ts_now(), (flags & kAck) ? ts_recent_ : 0u);
        }
    }
    return s;
}

void TcpSocket::emit(Segment s) {
    if (!s.has(kSyn) && !s.has(kRst)) {
        if (s.window == 0) s.notes |= kNoteZeroWindow;
        if (s.payload.empty() && !s.has(kFin) && last_window_sent_ == 0 && s.window != 0 &&
            !(s.notes & kNoteZeroWindowProbe)) {
            s.notes |= kNoteWindowUpdate;
        }
    }
    if (s.has(kAck)) {
        // Any segment with an ACK acknowledges everything received (RFC 9293 §3.8.6.3).
        ack_now_ = false;
        ack_pending_ = false;
        unacked_rx_ = 0;
        delack_timer_.cancel();
    }
    if (!s.has(kRst)) last_window_sent_ = s.has(kSyn) ? 1 : s.window;
    stack_.transmit(std::move(s));
}

void TcpSocket::send_syn() {
    const bool synack = state_ == State::kSynReceived;
    Segment s = make_segment(synack ? (kSyn | kAck) : kSyn, iss_);
    s.mss = mss_local_;
    // Answer only the options the peer offered (RFC 7323 §2.2, §3.2; RFC 2018 §2).
    s.sack_permitted = p_.sack_permitted;
    if (p_.window_scale != 0 && (!synack || snd_shift_ != 0 || rcv_shift_ != 0)) s.wscale = p_.window_scale;
    if (synack && !ts_ok_) s.timestamps.reset();
    if (retries_ > 0) s.notes |= kNoteRetransmission;
    emit(std::move(s));
    arm_rto();
}

void TcpSocket::send_ack_now() {
    if (state_ == State::kClosed || state_ == State::kSynSent) return;
    emit(make_segment(kAck, snd_wire(snd_nxt_)));
}

void TcpSocket::send_rst() {
    // Linux's active reset carries ACK (tcp_send_active_reset).
    Segment s = make_segment(kRst | kAck, snd_wire(snd_nxt_));
    emit(std::move(s));
}

void TcpSocket::emit_data(std::uint64_t offset, std::uint64_t length, bool fin, std::uint8_t notes) {
    const std::size_t at = sndq_head_ + static_cast<std::size_t>(offset - sndq_start_);
    std::uint8_t flags = kAck;
    // PSH on the segment that empties the send queue, as Linux does at the end of a write.
    if (length > 0 && offset + length == data_end()) flags |= kPsh;
    if (fin) flags |= kFin;
    Segment s = make_segment(flags, snd_wire(offset));
    s.payload.assign(sndq_, at, static_cast<std::size_t>(length));
    s.notes = notes;
    if (!notes && (length > 0 || fin) && offset < snd_max_) s.notes |= kNoteRetransmission;
    emit(std::move(s));
    snd_max_ = std::max(snd_max_, offset + length + (fin ? 1 : 0));
    if (!rto_timer_.armed()) arm_rto();
}

void TcpSocket::output() {
    const bool can_send = state_ == State::kEstablished || state_ == State::kCloseWait ||
                          state_ == State::kFinWait1 || state_ == State::kLastAck ||
                          state_ == State::kClosing;
    if (!can_send) return;
    for (;;) {
        const std::uint64_t end = data_end();
        const std::uint64_t in_flight = snd_nxt_ - snd_una_;
        const std::uint64_t wnd = std::min(snd_wnd_, cwnd_);
        const std::uint64_t usable = wnd > in_flight ? wnd - in_flight : 0;
        if (snd_nxt_ < end) {
            const std::uint64_t left = end - snd_nxt_;
            // Data up to the peer's right edge only (snd_wnd_ counts from snd_una_).
            const std::uint64_t peer_room = snd_una_ + snd_wnd_ > snd_nxt_ ? snd_una_ + snd_wnd_ - snd_nxt_ : 0;
            const std::uint64_t len = std::min({std::uint64_t{seg_payload_}, usable, left, peer_room});
            // RFC 9293 §3.8.6.2.1 (sender SWS avoidance): a full segment, the last bytes, or
            // half the largest window the peer offered; otherwise wait for ACKs.
            const bool worth = len > 0 && (len == seg_payload_ || len == left || len >= max_snd_wnd_ / 2);
            if (!worth) {
                if (in_flight == 0 && snd_wnd_ < seg_payload_) arm_persist();
                return;
            }
            const bool fin = fin_queued_ && snd_nxt_ + len == end && len == left &&
                             state_ != State::kCloseWait && state_ != State::kEstablished;
            emit_data(snd_nxt_, len, fin);
            snd_nxt_ += len + (fin ? 1 : 0);
            continue;
        }
        if (fin_queued_ && snd_nxt_ == end) {
            emit_data(end, 0, true);
            snd_nxt_ = end + 1;
        }
        return;
    }
}

void TcpSocket::arm_rto() {
    // RFC 6298 §5.5: each expiry doubles the timeout, up to the maximum.
    Nanos t = rto_;
    for (int i = 0; i < retries_ && t < p_.rto_max; ++i) t *= 2;
    rto_timer_.arm(queue_, now() + std::min(t, p_.rto_max), [this] { on_rto(); });
}

void TcpSocket::on_rto() {
    const bool handshake = state_ == State::kSynSent || state_ == State::kSynReceived;
    if (state_ == State::kClosed || (!handshake && snd_una_ >= snd_max_)) return;
    if (++retries_ > (handshake ? p_.syn_retries : p_.max_retransmissions)) {
        fail("connection timed out");
        return;
    }
    if (handshake) {
        send_syn();
        return;
    }
    // RFC 5681 §3.1: after a timeout, ssthresh is half the flight and cwnd one segment; go
    // back to the first unacknowledged byte (no SACK scoreboard here).
    ssthresh_ = std::max<std::uint64_t>((snd_max_ - snd_una_) / 2, 2ULL * seg_payload_);
    cwnd_ = seg_payload_;
    dupacks_ = 0;
    snd_nxt_ = snd_una_;
    const std::uint64_t end = data_end();
    if (snd_una_ < end) {
        const std::uint64_t len = std::min<std::uint64_t>(seg_payload_, end - snd_una_);
        const bool fin = fin_queued_ && snd_una_ + len == end && snd_max_ > end;
        emit_data(snd_una_, len, fin);
        snd_nxt_ = snd_una_ + len + (fin ? 1 : 0);
    } else if (fin_queued_) {
        emit_data(end, 0, true);
        snd_nxt_ = end + 1;
    }
    arm_rto();
}

void TcpSocket::arm_persist() {
    if (persist_timer_.armed() || rto_timer_.armed()) return;
    // RFC 1122 §4.2.2.17 / RFC 9293 §3.8.6.1: probe a zero window, backing off exponentially.
    Nanos t = std::max(rto_, p_.rto_min);
    for (int i = 0; i < persist_backoff_ && t < p_.rto_max; ++i) t *= 2;
    persist_timer_.arm(queue_, now() + std::min(t, p_.rto_max), [this] { on_persist(); });
}

void TcpSocket::on_persist() {
    if (state_ == State::kClosed || snd_nxt_ >= data_end()) return;
    const std::uint64_t room = snd_una_ + snd_wnd_ > snd_nxt_ ? snd_una_ + snd_wnd_ - snd_nxt_ : 0;
    if (room > 0) {
        // A window too small for the SWS rule: after the persist timeout send what fits
        // (RFC 9293 §3.8.6.2.1, the override timeout).
        const std::uint64_t len = std::min({room, std::uint64_t{seg_payload_}, data_end() - snd_nxt_});
        persist_backoff_ = 0;
        emit_data(snd_nxt_, len, false);
        snd_nxt_ += len;
        return;
    }
    ++persist_backoff_;
    if (p_.probe_with_new_byte) {
        // The probe of RFC 9293 §3.8.6.1: one new byte beyond the closed window. It does not
        // advance SND.NXT, as the receiver is expected to refuse it.
        emit_data(snd_nxt_, 1, false, kNoteZeroWindowProbe);
    } else {
        // Linux's probe (tcp_xmit_probe_skb): no data, the sequence number one below SND.UNA,
        // which the receiver must answer with an ACK showing its window. Wireshark calls it a
        // Keep-Alive.
        Segment probe = make_segment(kAck, snd_wire(snd_una_) - 1);
        probe.notes = kNoteZeroWindowProbe;
        emit(std::move(probe));
    }
    rto_timer_.cancel();  // the persist timer, not the RTO, covers a probe
    arm_persist();
}

void TcpSocket::check_written() {
    if (!write_pending_) return;
    if (sndq_bytes() <= p_.send_buffer) {
        write_pending_ = false;
        if (!detached_ && callbacks.written) {
            queue_.at(now(), [this] {
                if (!detached_ && callbacks.written) {
                    auto fn = callbacks.written;
                    fn();
                }
            });
        }
    }
}

// ---- the application's calls ----

void TcpSocket::send(std::string_view bytes) {
    if (fin_queued_ || state_ == State::kClosed) return;
    sndq_.append(bytes);
    write_pending_ = true;
    check_written();
    output();
}

void TcpSocket::close() {
    if (fin_queued_) return;
    switch (state_) {
    case State::kSynSent:
    case State::kClosed:
        state_ = State::kClosed;
        rto_timer_.cancel();
        return;
    case State::kSynReceived:
    case State::kEstablished: state_ = State::kFinWait1; break;
    case State::kCloseWait: state_ = State::kLastAck; break;
    default: return;
    }
    fin_queued_ = true;
    output();
}

void TcpSocket::abort() {
    if (state_ != State::kClosed && state_ != State::kSynSent && state_ != State::kTimeWait) send_rst();
    state_ = State::kClosed;
    detached_ = true;
    rto_timer_.cancel();
    delack_timer_.cancel();
    persist_timer_.cancel();
    sndq_.clear();
    sndq_head_ = 0;
    rcvq_.clear();
}

void TcpSocket::detach() { detached_ = true; }

void TcpSocket::pause_reading_until(Nanos until) {
    paused_until_ = until;
    resume_timer_.arm(queue_, until, [this] {
        if (state_ == State::kClosed) return;
        const bool window_was_closed = last_window_sent_ == 0;
        deliver_to_app();
        output();
        // The window update a reader sends when it drains a full buffer (RFC 9293 §3.8.6.2.2).
        if (state_ != State::kClosed && window_was_closed && advertised_window() != 0) send_ack_now();
    });
}

}  // namespace ftpsim::sim::vnet
