#include "tcp/stream_reassembler.hpp"

#include <algorithm>
#include <iterator>

#include "tcp/seq_math.hpp"

namespace ftpsim::tcp {

void StreamReassembler::start(std::uint32_t seq) {
    started_ = true;
    next_ = 0;
    next_seq_ = seq;
}

std::int64_t StreamReassembler::offset_of(std::uint32_t seq) const {
    return static_cast<std::int64_t>(next_) + seq_diff(seq, next_seq_);
}

void StreamReassembler::advance(std::uint64_t n) {
    next_ += n;
    next_seq_ += static_cast<std::uint32_t>(n);  // wraps modulo 2^32 like the sequence space
}

void StreamReassembler::add(std::uint32_t seq, std::span<const std::uint8_t> payload,
                            std::uint32_t missing, bool fin, StreamSink& sink) {
    if (!started_) start(seq);
    if (fin_delivered_) return;  // the stream is complete: anything later is a retransmission

    const std::int64_t next = static_cast<std::int64_t>(next_);
    const std::int64_t start = offset_of(seq);
    if (start - next > static_cast<std::int64_t>(kMaxWindowSpan)) return;  // not in any window
    std::int64_t end = start + static_cast<std::int64_t>(payload.size()) + missing;
    // The sender sends at the delivery point: an earlier ACK beyond it was not of real bytes.
    if (unproven_ack_ && start <= next && end > next) unproven_ack_.reset();

    if (fin && !fin_offset_ && end >= next) {
        // The first FIN fixes the end of the stream; data buffered past it cannot be real.
        fin_offset_ = static_cast<std::uint64_t>(end);
        auto it = pending_.lower_bound(*fin_offset_);
        for (auto drop = it; drop != pending_.end(); ++drop) buffered_ -= drop->second.size();
        pending_.erase(it, pending_.end());
        if (!pending_.empty()) {
            auto& [off, bytes] = *std::prev(pending_.end());
            if (off + bytes.size() > *fin_offset_) {
                buffered_ -= off + bytes.size() - *fin_offset_;
                bytes.resize(*fin_offset_ - off);
            }
        }
    }
    if (fin_offset_) end = std::min(end, static_cast<std::int64_t>(*fin_offset_));
    const std::int64_t captured_end =
        std::min(end, start + static_cast<std::int64_t>(payload.size()));

    if (end > next) {
        if (start <= next) {
            // In order once the bytes already delivered are trimmed off (retransmission overlap).
            if (captured_end > next) {
                deliver_in_order(next_,
                                 payload.subspan(static_cast<std::size_t>(next - start),
                                                 static_cast<std::size_t>(captured_end - next)),
                                 sink);
            }
            // Bytes cut by the snap length were on the wire: nothing will bring them back, so
            // they are a gap now rather than a hole that stalls the stream.
            if (static_cast<std::uint64_t>(end) > next_) {
                fill_to(static_cast<std::uint64_t>(end), sink);
            }
            drain(sink);
        } else {
            if (captured_end > start) {
                buffer(static_cast<std::uint64_t>(start),
                       payload.first(static_cast<std::size_t>(captured_end - start)));
            }
            enforce_bound(sink);
        }
    }
    check_fin();
}

void StreamReassembler::acked(std::uint32_t ack, StreamSink& sink) {
    if (!started_ || fin_delivered_) return;
    const std::int64_t next = static_cast<std::int64_t>(next_);
    const std::int64_t acked_to = offset_of(ack);
    if (acked_to <= next || acked_to - next > static_cast<std::int64_t>(kMaxWindowSpan)) return;
    auto target = static_cast<std::uint64_t>(acked_to);
    if (fin_offset_) {
        target = std::min(target, *fin_offset_);  // the ACK of the FIN covers no stream byte
    } else if (pending_.empty()) {
        // Beyond every byte captured from the sender, with no later data buffered: either the ACK
        // of a FIN that was not captured (one sequence number, RFC 9293 §3.4), or of bytes the
        // sender never sent: a middlebox that grew a segment without fixing up sequence numbers
        // makes the receiver ACK bytes this side of it never carried, and the receiver's TCP
        // ignores such an ACK (RFC 9293 §3.10.7.4). So the claim is remembered, not acted on:
        // data arriving where it says bytes were withdraws it; a flush reports what stands.
        // The exact-FIN case (one beyond) is never a gap.
        if (target > next_ + 1) unproven_ack_ = target;
        return;
    } else {
        const auto& [off, bytes] = *std::prev(pending_.end());
        target = std::min<std::uint64_t>(target, off + bytes.size());
    }
    fill_to(target, sink);
    check_fin();
}

void StreamReassembler::flush(StreamSink& sink) {
    if (!started_ || fin_delivered_) return;
    if (unproven_ack_ && *unproven_ack_ > next_ && pending_.empty() && !fin_offset_) {
        fill_to(*unproven_ack_, sink);  // acknowledged, and nothing ever contradicted it
        unproven_ack_.reset();
    }
    std::uint64_t target = next_;
    if (!pending_.empty()) {
        const auto& [off, bytes] = *std::prev(pending_.end());
        target = off + bytes.size();
    }
    // Buffered chunks never pass the FIN, so a known FIN is the end of what can be delivered.
    if (fin_offset_) target = std::max(target, *fin_offset_);
    fill_to(target, sink);
    check_fin();
}

void StreamReassembler::deliver_in_order(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                                         StreamSink& sink) {
    std::uint64_t cur = offset;  // stream offset of bytes[0]; equals next_ on entry
    while (!bytes.empty()) {
        if (!pending_.empty() && pending_.begin()->first <= next_) {
            // A buffered copy of these bytes arrived first: it wins (first copy wins).
            deliver_front_chunk(sink);
        } else {
            std::size_t n = bytes.size();
            if (!pending_.empty()) {
                n = static_cast<std::size_t>(
                    std::min<std::uint64_t>(n, pending_.begin()->first - next_));
            }
            sink.stream_data(next_, bytes.first(n));  // straight from the capture buffer
            advance(n);
        }
        const auto skip =
            static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), next_ - cur));
        bytes = bytes.subspan(skip);
        cur += skip;
    }
}

void StreamReassembler::deliver_front_chunk(StreamSink& sink) {
    auto it = pending_.begin();
    const std::uint64_t off = it->first;
    const std::vector<std::uint8_t>& bytes = it->second;
    const std::uint64_t chunk_end = off + bytes.size();
    if (chunk_end > next_) {
        const auto skip = static_cast<std::size_t>(next_ - off);  // off <= next_ here
        sink.stream_data(next_, std::span<const std::uint8_t>(bytes).subspan(skip));
        advance(chunk_end - next_);
    }
    buffered_ -= bytes.size();
    pending_.erase(it);
}

void StreamReassembler::drain(StreamSink& sink) {
    while (!pending_.empty() && pending_.begin()->first <= next_) deliver_front_chunk(sink);
}

void StreamReassembler::fill_to(std::uint64_t target, StreamSink& sink) {
    while (next_ < target) {
        if (!pending_.empty() && pending_.begin()->first <= next_) {
            deliver_front_chunk(sink);
            continue;
        }
        std::uint64_t hole_end = target;
        if (!pending_.empty()) hole_end = std::min(hole_end, pending_.begin()->first);
        sink.stream_gap(next_, hole_end - next_);
        advance(hole_end - next_);
    }
    drain(sink);
}

void StreamReassembler::buffer(std::uint64_t offset, std::span<const std::uint8_t> bytes) {
    // Only the parts no buffered chunk covers are kept: the first copy of a byte wins.
    const std::uint64_t end = offset + bytes.size();
    std::uint64_t pos = offset;
    auto it = pending_.upper_bound(offset);
    if (it != pending_.begin()) {
        const auto& [prev_off, prev_bytes] = *std::prev(it);
        pos = std::max(pos, prev_off + prev_bytes.size());
    }
    while (pos < end) {
        const bool chunk_ahead = it != pending_.end() && it->first < end;
        const std::uint64_t piece_end = chunk_ahead ? it->first : end;  // it->first >= pos
        if (piece_end > pos) {
            const auto* from = bytes.data() + (pos - offset);
            pending_.emplace_hint(it, pos,
                                  std::vector<std::uint8_t>(from, from + (piece_end - pos)));
            buffered_ += static_cast<std::size_t>(piece_end - pos);
        }
        if (!chunk_ahead) break;
        pos = it->first + it->second.size();
        ++it;
    }
}

void StreamReassembler::enforce_bound(StreamSink& sink) {
    // Past the bound, stop waiting for the hole before the earliest buffered chunk: declare it a
    // gap and deliver what became contiguous, until the buffer fits again.
    while (buffered_ > max_buffered_ && !pending_.empty()) {
        fill_to(pending_.begin()->first, sink);
    }
}

void StreamReassembler::check_fin() {
    if (fin_offset_ && !fin_delivered_ && next_ >= *fin_offset_) {
        fin_delivered_ = true;
        pending_.clear();
        buffered_ = 0;
    }
}

}  // namespace ftpsim::tcp
