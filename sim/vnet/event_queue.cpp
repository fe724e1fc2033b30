#include "sim/vnet/event_queue.hpp"

#include <algorithm>
#include <utility>

namespace ftpsim::sim::vnet {

void EventQueue::at(Nanos when, std::function<void()> fn) {
    events_.push_back(Event{when < now_ ? now_ : when, seq_++, std::move(fn)});
    std::push_heap(events_.begin(), events_.end(), std::greater<>{});
}

std::optional<Nanos> EventQueue::next_time() const {
    if (events_.empty()) return std::nullopt;
    return events_.front().at;
}

bool EventQueue::run_one() {
    if (events_.empty()) return false;
    // Moved out before it runs: the event may schedule others, which reorders the heap.
    std::pop_heap(events_.begin(), events_.end(), std::greater<>{});
    Event ev = std::move(events_.back());
    events_.pop_back();
    advance(ev.at);
    ev.fn();
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
