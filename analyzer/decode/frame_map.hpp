// Remembers which frame delivered which stretch of a stream, so that a line that began in an
// earlier segment can name the frame it began in. Only the stretch since the oldest unfinished
// line is kept, so memory stays bounded by the line-length limit's worth of segments.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>

namespace ftpsim::analyzer {

class FrameMap {
public:
    void add(std::uint64_t offset, std::uint64_t frame) {
        if (!chunks_.empty() && chunks_.back().second == frame) return;
        chunks_.emplace_back(offset, frame);
    }
    // The frame that delivered the byte at `offset` (0 if it was never recorded).
    std::uint64_t frame_at(std::uint64_t offset) const {
        std::uint64_t f = 0;
        for (const auto& [o, fr] : chunks_) {
            if (o > offset) break;
            f = fr;
        }
        return f;
    }
    // Bytes before `offset` will not be asked about again.
    void forget_before(std::uint64_t offset) {
        while (chunks_.size() > 1 && chunks_[1].first <= offset) chunks_.pop_front();
    }

private:
    std::deque<std::pair<std::uint64_t, std::uint64_t>> chunks_;  // (first offset, frame)
};

}  // namespace ftpsim::analyzer
