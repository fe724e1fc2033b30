// The bytes a StreamReassembler has delivered and the peer has not yet acknowledged, kept so that
// a retransmission of them can be compared with what the application already read.
//
// A conforming sender retransmits only what is unacknowledged (RFC 9293 §3.10.7.4: SND.UNA
// advances with every acceptable ACK), so bytes below the peer's ACK are settled for both ends
// and are dropped; Zeek's reassembler keeps data until it is acknowledged for the same check
// (its rexmit_inconsistency event). A segment that overlaps acknowledged bytes is therefore not
// compared: a middlebox that grew a segment without fixing sequence numbers up makes the sender's
// next segment start inside bytes the receiver has acknowledged, and that is judged elsewhere
// (nat-check's sequence continuity), not as a retransmission. Bounded like the out-of-order
// buffer: past the bound the oldest bytes are forgotten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ftpsim::tcp {

class DeliveredBytes {
public:
    explicit DeliveredBytes(std::size_t max_kept) : max_kept_(max_kept) {}

    // Bytes delivered at stream offset `offset`, which must be end(); anything else (a gap was
    // delivered in between) starts the record afresh there.
    void append(std::uint64_t offset, std::span<const std::uint8_t> bytes);
    // Everything before stream offset `offset` is acknowledged (or no longer comparable).
    void forget_before(std::uint64_t offset);
    // Forgets everything and frees the memory.
    void clear() {
        std::vector<std::uint8_t>().swap(buf_);
        head_ = 0;
    }

    // Memory the record holds, kept bytes or not (its buffer's capacity).
    std::size_t memory() const { return buf_.capacity(); }

    std::uint64_t begin() const { return begin_; }
    std::uint64_t end() const { return begin_ + (buf_.size() - head_); }
    // The n kept bytes from stream offset `offset`: begin() <= offset, offset + n <= end().
    std::span<const std::uint8_t> bytes_at(std::uint64_t offset, std::size_t n) const {
        return std::span<const std::uint8_t>(buf_).subspan(head_ + static_cast<std::size_t>(offset - begin_), n);
    }

private:
    std::size_t max_kept_;
    std::vector<std::uint8_t> buf_;  // buf_[head_] is the byte at stream offset begin_
    std::size_t head_ = 0;
    std::uint64_t begin_ = 0;
};

}  // namespace ftpsim::tcp
