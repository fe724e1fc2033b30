#include "tcp/stream_reassembler.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>

#include "tcp/seq_math.hpp"

namespace ftpsim::tcp {

// The differing bytes one segment showed, merged per outcome: a segment gives at most one report
// of each (the first copy kept, the later copy kept), in that order.
class StreamReassembler::Conflicts {
public:
    // Two copies of the bytes at stream offset `offset`, of equal length.
    void compare(std::uint64_t offset, std::span<const std::uint8_t> later,
                 std::span<const std::uint8_t> first, bool later_kept) {
        const auto lead = std::mismatch(later.begin(), later.end(), first.begin());
        if (lead.first == later.end()) return;
        const auto tail = std::mismatch(later.rbegin(), later.rend(), first.rbegin());
        const auto from = offset + static_cast<std::uint64_t>(lead.first - later.begin());
        const auto to = offset + later.size() - static_cast<std::uint64_t>(tail.first - later.rbegin());
        auto& span = spans_[later_kept ? 1 : 0];
        if (!span) {
            span = StreamConflict{from, to - from, later_kept};
        } else {
            const std::uint64_t lo = std::min(span->offset, from);
            span->length = std::max(span->offset + span->length, to) - lo;
            span->offset = lo;
        }
    }
    void report(StreamSink& sink) {
        for (auto& span : spans_) {
            if (span) sink.stream_conflict(*span);
            span.reset();
        }
    }

private:
    std::array<std::optional<StreamConflict>, 2> spans_;
};

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
    Conflicts conflicts;
    const std::int64_t next = static_cast<std::int64_t>(next_);
    const std::int64_t start = offset_of(seq);
    if (fin_delivered_) {
        // The stream is complete: anything later is a retransmission, compared and dropped.
        compare_delivered(start, payload, conflicts);
        conflicts.report(sink);
        return;
    }

    if (start - next > static_cast<std::int64_t>(kMaxWindowSpan)) return;  // not in any window
    std::int64_t end = start + static_cast<std::int64_t>(payload.size()) + missing;
    // The sender sends at the delivery point: an earlier ACK beyond it was not of real bytes.
    if (unproven_ack_ && start <= next && end > next) unproven_ack_.reset();

    if (fin && !fin_offset_ && end >= next) {
        // The first FIN fixes the end of the stream; data buffered past it cannot be real.
        fin_offset_ = static_cast<std::uint64_t>(end);
        auto it = pending_.lower_bound(*fin_offset_);
        for (auto drop = it; drop != pending_.end(); ++drop) buffered_ -= drop->second.bytes.size();
        pending_.erase(it, pending_.end());
        if (!pending_.empty()) {
            auto& [off, held] = *std::prev(pending_.end());
            if (off + held.bytes.size() > *fin_offset_) {
                buffered_ -= off + held.bytes.size() - *fin_offset_;
                held.bytes.resize(*fin_offset_ - off);
            }
        }
    }
    if (fin_offset_) end = std::min(end, static_cast<std::int64_t>(*fin_offset_));
    const std::int64_t captured_end =
        std::min(end, start + static_cast<std::int64_t>(payload.size()));

    if (start < next && captured_end > start) {
        compare_delivered(start, payload.first(static_cast<std::size_t>(captured_end - start)),
                          conflicts);
    }
    if (end > next) {
        if (start <= next) {
            // In order once the bytes already delivered are trimmed off (retransmission overlap).
            if (captured_end > next) {
                const auto fresh = payload.subspan(static_cast<std::size_t>(next - start),
                                                   static_cast<std::size_t>(captured_end - next));
                replace_held(fresh, conflicts);
                conflicts.report(sink);
                emit(fresh, sink);  // straight from the capture buffer
            }
            conflicts.report(sink);
            // Bytes cut by the snap length were on the wire: nothing will bring them back, so
            // they are a gap now rather than a hole that stalls the stream.
            if (static_cast<std::uint64_t>(end) > next_) {
                fill_to(static_cast<std::uint64_t>(end), sink);
            }
            drain(sink);
        } else {
            if (captured_end > start) {
                buffer(static_cast<std::uint64_t>(start),
                       payload.first(static_cast<std::size_t>(captured_end - start)), conflicts);
            }
            conflicts.report(sink);
            enforce_bound(sink);
        }
    }
    conflicts.report(sink);
    check_fin();
}

void StreamReassembler::acked(std::uint32_t ack, StreamSink& sink) {
    if (!started_) return;
    const std::int64_t next = static_cast<std::int64_t>(next_);
    const std::int64_t acked_to = offset_of(ack);
    if (acked_to - next > static_cast<std::int64_t>(kMaxWindowSpan)) return;
    if (acked_to > 0) delivered_.forget_before(static_cast<std::uint64_t>(acked_to));
    if (fin_delivered_ || acked_to <= next) return;
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
        const auto& [off, held] = *std::prev(pending_.end());
        target = std::min<std::uint64_t>(target, off + held.bytes.size());
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
        const auto& [off, held] = *std::prev(pending_.end());
        target = off + held.bytes.size();
    }
    // Buffered chunks never pass the FIN, so a known FIN is the end of what can be delivered.
    if (fin_offset_) target = std::max(target, *fin_offset_);
    fill_to(target, sink);
    check_fin();
}

void StreamReassembler::emit(std::span<const std::uint8_t> bytes, StreamSink& sink) {
    delivered_.append(next_, bytes);
    sink.stream_data(next_, bytes);
    advance(bytes.size());
}

void StreamReassembler::compare_delivered(std::int64_t start, std::span<const std::uint8_t> bytes,
                                          Conflicts& conflicts) const {
    const std::int64_t from = std::max(start, static_cast<std::int64_t>(delivered_.begin()));
    const std::int64_t to = std::min(start + static_cast<std::int64_t>(bytes.size()),
                                     static_cast<std::int64_t>(delivered_.end()));
    if (from >= to) return;
    const auto n = static_cast<std::size_t>(to - from);
    conflicts.compare(static_cast<std::uint64_t>(from),
                      bytes.subspan(static_cast<std::size_t>(from - start), n),
                      delivered_.bytes_at(static_cast<std::uint64_t>(from), n), false);
}

void StreamReassembler::replace_held(std::span<const std::uint8_t> bytes, Conflicts& conflicts) {
    const std::uint64_t end = next_ + bytes.size();
    while (!pending_.empty() && pending_.begin()->first < end) {
        auto it = pending_.begin();
        const std::uint64_t off = it->first;  // > next_: held chunks start after it
        Held& held = it->second;
        const std::uint64_t held_end = off + held.bytes.size();
        const auto n = static_cast<std::size_t>(std::min(held_end, end) - off);
        conflicts.compare(off, bytes.subspan(static_cast<std::size_t>(off - next_), n),
                          std::span<const std::uint8_t>(held.bytes).first(n), true);
        buffered_ -= n;
        if (held_end > end) {
            Held rest{std::vector<std::uint8_t>(held.bytes.begin() + static_cast<std::ptrdiff_t>(n),
                                                held.bytes.end()),
                      held.segment_begin, held.segment_end};
            pending_.erase(it);
            pending_.emplace(end, std::move(rest));
        } else {
            pending_.erase(it);
        }
    }
}

void StreamReassembler::deliver_front_chunk(StreamSink& sink) {
    auto it = pending_.begin();
    const std::uint64_t off = it->first;
    const std::vector<std::uint8_t>& bytes = it->second.bytes;
    const std::uint64_t chunk_end = off + bytes.size();
    if (chunk_end > next_) {
        const auto skip = static_cast<std::size_t>(next_ - off);  // off <= next_ here
        emit(std::span<const std::uint8_t>(bytes).subspan(skip), sink);
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

void StreamReassembler::buffer(std::uint64_t offset, std::span<const std::uint8_t> bytes,
                               Conflicts& conflicts) {
    const std::uint64_t end = offset + bytes.size();
    // Held chunks this segment overlaps: compared, and where the segment wins (it starts lower
    // than the segment a chunk came from, or as low and ends later: the header says why), the
    // overlap is cut out of the chunk so that the segment's bytes fill it below.
    auto first = pending_.upper_bound(offset);
    if (first != pending_.begin() &&
        std::prev(first)->first + std::prev(first)->second.bytes.size() > offset) {
        --first;
    }
    std::vector<std::uint64_t> overlapped;
    for (auto it = first; it != pending_.end() && it->first < end; ++it) overlapped.push_back(it->first);
    for (const std::uint64_t off : overlapped) {
        auto it = pending_.find(off);
        Held& held = it->second;
        const std::uint64_t held_end = off + held.bytes.size();
        const std::uint64_t from = std::max(offset, off);
        const std::uint64_t to = std::min(end, held_end);
        const bool later_wins = offset < held.segment_begin ||
                                (offset == held.segment_begin && end > held.segment_end);
        const auto n = static_cast<std::size_t>(to - from);
        conflicts.compare(from, bytes.subspan(static_cast<std::size_t>(from - offset), n),
                          std::span<const std::uint8_t>(held.bytes).subspan(
                              static_cast<std::size_t>(from - off), n),
                          later_wins);
        if (!later_wins) continue;
        buffered_ -= n;
        if (to < held_end) {
            Held right{std::vector<std::uint8_t>(
                           held.bytes.begin() + static_cast<std::ptrdiff_t>(to - off), held.bytes.end()),
                       held.segment_begin, held.segment_end};
            pending_.emplace(to, std::move(right));
        }
        if (from > off) {
            held.bytes.resize(static_cast<std::size_t>(from - off));
        } else {
            pending_.erase(it);
        }
    }

    // The parts no held chunk covers now are the segment's.
    std::uint64_t pos = offset;
    auto it = pending_.upper_bound(offset);
    if (it != pending_.begin()) {
        const auto& [prev_off, prev] = *std::prev(it);
        pos = std::max(pos, prev_off + prev.bytes.size());
    }
    while (pos < end) {
        const bool chunk_ahead = it != pending_.end() && it->first < end;
        const std::uint64_t piece_end = chunk_ahead ? it->first : end;  // it->first >= pos
        if (piece_end > pos) {
            const auto* from = bytes.data() + (pos - offset);
            pending_.emplace_hint(it, pos,
                                  Held{std::vector<std::uint8_t>(from, from + (piece_end - pos)),
                                       offset, end});
            buffered_ += static_cast<std::size_t>(piece_end - pos);
        }
        if (!chunk_ahead) break;
        pos = it->first + it->second.bytes.size();
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
