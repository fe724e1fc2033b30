// Reassembly of one direction of a TCP connection into an ordered byte stream.
//
// Sequence numbers are mapped to 64-bit stream offsets (0 = first byte after the SYN, or the
// first byte seen when the connection was picked up mid-stream), so a stream may be longer than
// 4 GiB and its sequence numbers may wrap. Every stream byte is delivered at most once, in order.
// In-order payload is handed to the sink straight from the caller's buffer; only out-of-order
// data is copied, up to a bound per direction.
//
// When two copies of the same bytes differ, the stream holds what a receiving Linux TCP hands
// its application (tcp_data_queue, tcp_data_queue_ofo and tcp_ofo_queue in net/ipv4/tcp_input.c;
// BSD's tcp_reass agrees but for the tie below), because the decode must show what the peer
// read, not what a passive observer saw first:
// - Bytes already delivered stay: the application has read them, and a later copy cannot
//   change that (Linux trims the segment to rcv_nxt).
// - Bytes held out of order are replaced by a segment that starts lower in the stream: an
//   in-order segment always does (Linux queues it, advances rcv_nxt past the held copy and drops
//   or trims that copy), and an out-of-order one does too, as Linux keeps its out-of-order queue
//   sorted by sequence number and delivers each byte from the segment that starts lowest. On the
//   same start, the longer segment wins (Linux replaces a held segment the new one covers; BSD
//   would keep the held one); otherwise the held copy stays. (Linux also merges a held segment
//   with the next one when they are contiguous; each held chunk here keeps its own segment's
//   start, which differs only when a third, differing copy overlaps two such segments.)
// This is what target-based reassemblers call the Linux policy (Suricata's "linux", after Novak
// and Sturges, "Target-Based TCP Stream Reassembly", 2007), and not the first-copy rule of
// Wireshark's reassembly, which this reassembler followed before. It matters on the far side
// of a device that drops part of a command and rewrites its retransmission (Linux's FTP helper
// does, nf_conntrack_ftp.c): the out-of-order copy of the command's tail and the rewritten whole
// line differ, and the server reads the latter.
// Either way the differing bytes are reported (StreamSink::stream_conflict, Zeek's
// rexmit_inconsistency). Delivered bytes can be compared only while they are kept: until the
// peer acknowledges them (delivered_bytes.hpp says why).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "tcp/delivered_bytes.hpp"

namespace ftpsim::tcp {

// Bytes seen twice with different contents: stream offsets from the first differing byte to the
// last, and which copy the stream kept.
struct StreamConflict {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    // True: the later copy replaced the one held out of order. False: the first copy stayed
    // (it was delivered already, or it is held and starts lower in the stream).
    bool later_copy_kept = false;
};

// Receives what a StreamReassembler makes deliverable, in stream order.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    virtual void stream_data(std::uint64_t offset, std::span<const std::uint8_t> bytes) = 0;
    // Bytes [offset, offset + length) will never be delivered.
    virtual void stream_gap(std::uint64_t offset, std::uint64_t length) = 0;
    // Called before the bytes of the segment that showed the conflict are delivered.
    virtual void stream_conflict(const StreamConflict& /*conflict*/) {}
};

class StreamReassembler {
public:
    explicit StreamReassembler(std::size_t max_buffered = 256 * 1024)
        : max_buffered_(max_buffered), delivered_(max_buffered) {}

    bool started() const { return started_; }
    // Anchors stream offset 0 at sequence number `seq`.
    void start(std::uint32_t seq);

    // One segment's payload, which starts at sequence number `seq` (after the SYN's sequence
    // number when SYN is set). `missing` bytes followed the captured ones on the wire but were
    // cut by the snap length. `fin`: the segment carries a FIN, which sits right after the
    // payload and consumes one sequence number (RFC 9293 §3.4).
    void add(std::uint32_t seq, std::span<const std::uint8_t> payload, std::uint32_t missing,
             bool fin, StreamSink& sink);

    // The peer acknowledged everything before `ack`: bytes below it that were never captured are
    // reported as a gap, and buffered data behind them delivered; delivered bytes below it are no
    // longer kept for comparison.
    void acked(std::uint32_t ack, StreamSink& sink);

    // Nothing will fill the holes any more (RST, end of capture, connection reused): report them
    // as gaps and deliver all buffered data, up to the FIN when one was seen.
    void flush(StreamSink& sink);

    // Nothing more will be compared (the connection is closed): frees the delivered bytes kept.
    void forget_delivered() { delivered_.clear(); }

    bool fin_seen() const { return fin_offset_.has_value(); }
    bool fin_delivered() const { return fin_delivered_; }
    std::uint64_t next_offset() const { return next_; }
    std::size_t buffered_bytes() const { return buffered_; }
    // What this direction holds in memory: out-of-order bytes and delivered bytes kept.
    std::size_t memory_bytes() const { return buffered_ + delivered_.memory(); }
    // The sequence number of stream offset `offset` (modulo 2^32).
    std::uint32_t seq_at(std::uint64_t offset) const {
        return next_seq_ + static_cast<std::uint32_t>(offset - next_);
    }

private:
    // Stream offset of sequence number `seq`, measured from the delivery point so that wrapped
    // sequence numbers compare correctly (RFC 1982). May be negative: before the stream start.
    std::int64_t offset_of(std::uint32_t seq) const;
    void advance(std::uint64_t n);
    // Hands bytes at next_ to the sink and keeps them for comparison with retransmissions.
    void emit(std::span<const std::uint8_t> bytes, StreamSink& sink);
    class Conflicts;
    // Notes where `bytes` (at stream offset `start`, which may be before the stream) differ from
    // the delivered bytes still kept.
    void compare_delivered(std::int64_t start, std::span<const std::uint8_t> bytes,
                           Conflicts& conflicts) const;
    // An in-order segment's bytes from next_ on replace the held copies they cover.
    void replace_held(std::span<const std::uint8_t> bytes, Conflicts& conflicts);
    void deliver_front_chunk(StreamSink& sink);
    void drain(StreamSink& sink);
    void fill_to(std::uint64_t target, StreamSink& sink);
    void buffer(std::uint64_t offset, std::span<const std::uint8_t> bytes, Conflicts& conflicts);
    void enforce_bound(StreamSink& sink);
    void check_fin();

    std::size_t max_buffered_;
    bool started_ = false;
    bool fin_delivered_ = false;
    std::uint64_t next_ = 0;        // stream offset of the next byte to deliver
    std::uint32_t next_seq_ = 0;    // its sequence number
    std::optional<std::uint64_t> fin_offset_;  // stream offset the FIN occupies
    // An ACK beyond every byte captured, with nothing buffered: a gap only if nothing later
    // contradicts it (acked()).
    std::optional<std::uint64_t> unproven_ack_;
    // Out-of-order data keyed by stream offset; chunks never overlap each other and all start
    // after next_. Each remembers the segment its bytes came from, which decides overlaps.
    struct Held {
        std::vector<std::uint8_t> bytes;
        std::uint64_t segment_begin = 0;
        std::uint64_t segment_end = 0;
    };
    std::map<std::uint64_t, Held> pending_;
    std::size_t buffered_ = 0;
    DeliveredBytes delivered_;
};

}  // namespace ftpsim::tcp
