// Reassembly of one direction of a TCP connection into an ordered byte stream.
//
// Sequence numbers are mapped to 64-bit stream offsets (0 = first byte after the SYN, or the
// first byte seen when the connection was picked up mid-stream), so a stream may be longer than
// 4 GiB and its sequence numbers may wrap. Every stream byte is delivered at most once, in order:
// the first captured copy wins, as in most reassemblers (Wireshark, Zeek, Suricata's default).
// In-order payload is handed to the sink straight from the caller's buffer; only out-of-order
// data is copied, up to a bound per direction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace ftpsim::tcp {

// Receives what a StreamReassembler makes deliverable, in stream order.
class StreamSink {
public:
    virtual ~StreamSink() = default;
    virtual void stream_data(std::uint64_t offset, std::span<const std::uint8_t> bytes) = 0;
    // Bytes [offset, offset + length) will never be delivered.
    virtual void stream_gap(std::uint64_t offset, std::uint64_t length) = 0;
};

class StreamReassembler {
public:
    explicit StreamReassembler(std::size_t max_buffered = 256 * 1024)
        : max_buffered_(max_buffered) {}

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
    // reported as a gap, and buffered data behind them delivered.
    void acked(std::uint32_t ack, StreamSink& sink);

    // Nothing will fill the holes any more (RST, end of capture, connection reused): report them
    // as gaps and deliver all buffered data, up to the FIN when one was seen.
    void flush(StreamSink& sink);

    bool fin_seen() const { return fin_offset_.has_value(); }
    bool fin_delivered() const { return fin_delivered_; }
    std::uint64_t next_offset() const { return next_; }
    std::size_t buffered_bytes() const { return buffered_; }

private:
    // Stream offset of sequence number `seq`, measured from the delivery point so that wrapped
    // sequence numbers compare correctly (RFC 1982). May be negative: before the stream start.
    std::int64_t offset_of(std::uint32_t seq) const;
    void advance(std::uint64_t n);
    void deliver_in_order(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                          StreamSink& sink);
    void deliver_front_chunk(StreamSink& sink);
    void drain(StreamSink& sink);
    void fill_to(std::uint64_t target, StreamSink& sink);
    void buffer(std::uint64_t offset, std::span<const std::uint8_t> bytes);
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
    // after next_.
    std::map<std::uint64_t, std::vector<std::uint8_t>> pending_;
    std::size_t buffered_ = 0;
};

}  // namespace ftpsim::tcp
