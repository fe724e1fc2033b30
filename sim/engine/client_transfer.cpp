// Byte accounting of a client transfer.
#include "sim/engine/client_transfer.hpp"

#include <algorithm>

namespace ftpsim::sim::client {

DataStream::DataStream(const ClientOp& op, bool download, bool keep_listing, bool hash)
    : download_(download),
      keep_listing_(keep_listing),
      hashing_(hash),
      upload_(download ? nullptr : op.upload),
      stall_after_(op.stall_after),
      // Stalls are a receiver's behaviour (it stops reading, the sender sees a zero window),
      // so only downloads stall. stall_after 0 with a duration stalls from the first byte.
      stall_wanted_(download && op.stall_for > 0),
      abort_after_(op.abort_after) {}

void DataStream::received(std::span<const std::uint8_t> bytes) {
    bytes_ += bytes.size();
    if (hashing_) hash_.update(bytes);
    if (keep_listing_ && listing_.size() < kMaxListing) {
        const auto room = static_cast<std::size_t>(kMaxListing - listing_.size());
        const auto take = std::min(room, bytes.size());
        listing_.append(reinterpret_cast<const char*>(bytes.data()), take);
    }
}

std::uint64_t DataStream::upload_size() const { return upload_ ? upload_->size() : 0; }

std::optional<MemorySlice> DataStream::next_chunk() {
    if (download_ || outstanding_ > 0) return std::nullopt;
    std::uint64_t end = upload_size();
    if (abort_after_ > 0) end = std::min(end, abort_after_);
    if (bytes_ >= end) return std::nullopt;
    const std::uint64_t length = std::min(kUploadChunk, end - bytes_);
    outstanding_ = length;
    return MemorySlice{upload_, bytes_, length};
}

void DataStream::chunk_sent() {
    if (outstanding_ == 0) return;
    const auto* p = reinterpret_cast<const std::uint8_t*>(upload_->data()) + bytes_;
    if (hashing_) hash_.update({p, static_cast<std::size_t>(outstanding_)});
    bytes_ += outstanding_;
    outstanding_ = 0;
}

bool DataStream::upload_complete() const {
    return !download_ && outstanding_ == 0 && bytes_ >= upload_size();
}

bool DataStream::take_stall_due() {
    if (!stall_wanted_ || stall_done_ || bytes_ < stall_after_) return false;
    stall_done_ = true;
    return true;
}

bool DataStream::take_abort_due() {
    if (abort_after_ == 0 || abort_done_ || bytes_ < abort_after_) return false;
    // An upload shorter than the abort point just completes: nothing is left to interrupt.
    if (!download_ && upload_complete()) return false;
    abort_done_ = true;
    return true;
}

}  // namespace ftpsim::sim::client
