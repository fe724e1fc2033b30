// One TCP connection of the virtual network (RFC 9293), with what FTP traffic shows in real
// captures: the handshake with MSS, SACK-permitted, window scale and timestamp options
// (RFC 7323), segmentation at the MSS, delayed ACKs (RFC 1122 §4.2.3.2), a receive window from
// a buffer the application drains (zero window while it does not, then a window update),
// persist-timer probes (RFC 9293 §3.8.6.1), retransmission on timeout (RFC 6298) and after three
// duplicate ACKs (RFC 5681 §3.2), FIN in either order, and RST.
// Not modelled: SACK blocks (SACK is offered, never used), urgent data, PAWS, path MTU changes,
// TIME-WAIT expiry (a 4-tuple in TIME-WAIT is simply replaced by a new SYN).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "net/endpoint.hpp"
#include "sim/vnet/event_queue.hpp"
#include "sim/vnet/tcp_profile.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::vnet {

class TcpStack;

struct SocketCallbacks {
    std::function<void()> connected;                    // active open completed
    std::function<void(std::string_view)> bytes;        // in-order bytes, while reading
    std::function<void()> eof;                          // the peer's FIN, after every byte
    std::function<void(const std::string&)> failed;     // refused, reset, timed out
    std::function<void()> written;                      // the last send() fits the send buffer
};

class TcpSocket {
public:
    enum class State {
        kClosed, kSynSent, kSynReceived, kEstablished, kFinWait1, kFinWait2, kCloseWait,
        kClosing, kLastAck, kTimeWait,
    };

    TcpSocket(TcpStack& stack, net::Endpoint local, net::Endpoint remote, std::uint32_t iss,
              std::uint32_t ts_offset, std::uint16_t mss, const TcpProfile& profile,
              std::uint32_t receive_buffer);

    // ---- the application's side ----
    SocketCallbacks callbacks;
    void send(std::string_view bytes);   // queue; callbacks.written when it fits the buffer
    void close();                        // FIN after everything queued (RFC 9293 §3.10.4)
    void abort();                        // RST now, drop everything (RFC 9293 §3.10.5)
    void pause_reading_until(Nanos until);
    // Stop reporting anything to the application (it closed the socket); TCP carries on.
    void detach();

    const net::Endpoint& local() const { return local_; }
    const net::Endpoint& remote() const { return remote_; }
    State state() const { return state_; }
    bool closed() const { return state_ == State::kClosed || state_ == State::kTimeWait; }
    std::uint32_t connection() const { return connection_; }
    std::uint32_t iss() const { return iss_; }

    // ---- the stack's side ----
    void open_active(std::uint32_t connection);
    void open_passive(const Segment& syn);
    void set_on_established(std::function<void()> fn) { on_established_ = std::move(fn); }
    void on_segment(const Segment& s);

private:
    // tcp_socket.cpp: input
    void take_syn_options(const Segment& s);
    void enter_established();
    void process_ack(const Segment& s);
    void process_data(const Segment& s);
    void accept_in_order(std::string_view bytes);
    void peer_fin_reached();
    void deliver_to_app();
    void finish_input();
    void fail(const std::string& why);
    void update_rtt(const Segment& s);
    // tcp_output.cpp: output and timers
    Segment make_segment(std::uint8_t flags, std::uint32_t seq);
    void emit(Segment s);
    void send_syn();
    void send_ack_now();
    void send_rst();
    void output();
    // `notes`: SegmentNote bits the caller knows (a probe); a resend is marked here.
    void emit_data(std::uint64_t offset, std::uint64_t length, bool fin, std::uint8_t notes = 0);
    void arm_rto();
    void on_rto();
    void arm_persist();
    void on_persist();
    void check_written();
    std::uint16_t advertised_window();
    std::uint32_t ts_now() const;
    // The window of our SYN: Linux's 64240, or less when the buffer is smaller.
    std::uint16_t syn_window() const {
        return static_cast<std::uint16_t>(std::min<std::uint32_t>(p_.syn_window, receive_buffer_));
    }
    std::uint32_t snd_wire(std::uint64_t offset) const { return iss_ + 1 + static_cast<std::uint32_t>(offset); }
    std::uint32_t rcv_nxt_wire() const {
        return irs_ + 1 + static_cast<std::uint32_t>(rcv_off_) + (fin_rcvd_ ? 1 : 0);
    }
    std::uint64_t data_end() const { return sndq_start_ + sndq_bytes(); }
    std::size_t sndq_bytes() const { return sndq_.size() - sndq_head_; }
    Nanos now() const;

    TcpStack& stack_;
    EventQueue& queue_;
    const TcpProfile& p_;
    net::Endpoint local_, remote_;
    State state_ = State::kClosed;
    std::uint32_t connection_ = 0;
    std::uint16_t ip_id_next_ = 0;  // profile ip_id_per_connection
    std::function<void()> on_established_;
    bool detached_ = false;

    // Options agreed in the handshake.
    std::uint16_t mss_local_;
    std::uint32_t seg_payload_ = 536;  // payload bytes per full segment
    bool ts_ok_ = false;
    std::uint8_t snd_shift_ = 0, rcv_shift_ = 0;
    std::uint32_t ts_offset_;
    std::uint32_t ts_recent_ = 0;

    // Send side, in offsets of the byte stream (byte k has sequence number ISS + 1 + k; the
    // FIN takes offset data_end()).
    std::uint32_t iss_;
    // Unacknowledged and unsent bytes: stream offset sndq_start_ is sndq_[sndq_head_]. Bytes
    // before the head are acknowledged; they are erased in bulk, not on every ACK (which would
    // move the whole queue each time: quadratic in the transfer).
    std::string sndq_;
    std::size_t sndq_head_ = 0;
    std::uint64_t sndq_start_ = 0;
    std::uint64_t snd_una_ = 0, snd_nxt_ = 0, snd_max_ = 0;
    bool syn_acked_ = false;
    bool fin_queued_ = false;
    std::uint64_t snd_wnd_ = 0, max_snd_wnd_ = 0;
    std::uint32_t wl1_ = 0, wl2_ = 0;  // RFC 9293 §3.10.7.4: SND.WL1, SND.WL2
    std::uint64_t cwnd_ = 0, ssthresh_ = UINT64_MAX;
    int dupacks_ = 0;
    bool write_pending_ = false;
    Timer rto_timer_, delack_timer_, persist_timer_, resume_timer_;
    Nanos srtt_ = 0, rttvar_ = 0, rto_;
    int retries_ = 0;
    int persist_backoff_ = 0;

    // Receive side.
    std::uint32_t irs_ = 0;
    std::uint64_t rcv_off_ = 0;     // next byte expected
    std::uint64_t rcv_edge_ = 0;    // right edge of the window last advertised
    std::uint32_t receive_buffer_;
    std::string rcvq_;              // received, not yet read by the application
    std::map<std::uint64_t, std::string> ooo_;  // out of order, by offset
    std::optional<std::uint64_t> peer_fin_off_;
    bool fin_rcvd_ = false;
    bool eof_delivered_ = false;
    Nanos paused_until_ = 0;
    std::uint64_t unacked_rx_ = 0;  // bytes received since the last ACK sent
    bool ack_now_ = false, ack_pending_ = false;
    bool established_report_ = false;
    std::uint16_t last_window_sent_ = 1;
};

}  // namespace ftpsim::sim::vnet
