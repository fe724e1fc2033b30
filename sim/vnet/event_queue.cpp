#include "sim/vnet/event_queue.hpp"

#include <utility>

namespace ftpsim::sim::vnet {

void EventQueue::at(Nanos when, std::function<void()> fn) {
    events_.push(Event{when < now_ ? now_ : when, seq_++, std::move(fn)});
}

std::optional<Nanos> EventQueue::next_time() const {
    if (events_.empty()) return std::nullopt;
    return events_.top().at;
}

bool EventQueue::run_one() {
    if (events_.empty()) return false;
    // Copy out before popping: the event may schedule others, which reorders the heap.
    Event ev = events_.top();
    events_.pop();
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
