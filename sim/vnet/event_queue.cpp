#include "sim/vnet/event_queue.hpp"

#include <algorithm>
#include <utility>

namespace ftpsim::sim::vnet {

void EventQueue::at(Nanos when, Task fn) {
    std::uint32_t slot;
    if (free_slots_.empty()) {
        slot = static_cast<std::uint32_t>(tasks_.size());
        tasks_.push_back(std::move(fn));
    } else {
        slot = free_slots_.back();
        free_slots_.pop_back();
        tasks_[slot] = std::move(fn);
    }
    events_.push_back(Event{when < now_ ? now_ : when, seq_++, slot});
    std::push_heap(events_.begin(), events_.end(), std::greater<>{});
}

std::optional<Nanos> EventQueue::next_time() const {
    if (events_.empty()) return std::nullopt;
    return events_.front().at;
}

bool EventQueue::run_one() {
    if (events_.empty()) return false;
    // Moved out before it runs: the task may schedule others, which reorders the heap and may
    // grow the slots.
    std::pop_heap(events_.begin(), events_.end(), std::greater<>{});
    const Event ev = events_.back();
    events_.pop_back();
    Task fn = std::move(tasks_[ev.slot]);
    free_slots_.push_back(ev.slot);
    advance(ev.at);
    fn();
    return true;
}

void Timer::arm(EventQueue& q, Nanos when, std::function<void()> fn) {
    const std::uint64_t token = ++token_;
    deadline_ = when;
    q.at(when, [this, token, fn = std::move(fn)] {
        if (token != token_) return;  // re-armed or cancelled since
        deadline_.reset();
        fn();
    });
}

}  // namespace ftpsim::sim::vnet
