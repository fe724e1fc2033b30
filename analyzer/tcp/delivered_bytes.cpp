#include "tcp/delivered_bytes.hpp"

#include <algorithm>

namespace ftpsim::tcp {

void DeliveredBytes::append(std::uint64_t offset, std::span<const std::uint8_t> bytes) {
    if (offset != end()) {
        buf_.clear();
        head_ = 0;
        begin_ = offset;
    }
    if (bytes.size() >= max_kept_) {
        // Only the newest max_kept_ bytes can stay: start over with them.
        const std::size_t skip = bytes.size() - max_kept_;
        buf_.assign(bytes.begin() + static_cast<std::ptrdiff_t>(skip), bytes.end());
        head_ = 0;
        begin_ = offset + skip;
        return;
    }
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    const std::size_t kept = buf_.size() - head_;
    if (kept > max_kept_) forget_before(end() - max_kept_);
}

void DeliveredBytes::forget_before(std::uint64_t offset) {
    if (offset <= begin_) return;
    const std::uint64_t n = std::min(offset, end()) - begin_;
    head_ += static_cast<std::size_t>(n);
    begin_ += n;
    if (head_ == buf_.size()) {
        buf_.clear();
        head_ = 0;
        begin_ = offset;  // nothing kept: the next append at a later offset starts there
    } else if (head_ >= 4096 && head_ * 2 >= buf_.size()) {
        // Moving the live half down costs no more than the bytes appended since the last move.
        buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
}

}  // namespace ftpsim::tcp
