// The virtual clock and its event queue: the only notion of time in the virtual network.
// Events run in (time, sequence number) order, so two events due at the same instant run in
// the order they were scheduled and a run never depends on the host machine or on heap layout.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sim/engine/actions.hpp"
#include "sim/vnet/inline_task.hpp"

namespace ftpsim::sim::vnet {

class EventQueue {
public:
    // Room for a segment and a few pointers: the network's events fit without a heap allocation.
    using Task = InlineTask<208>;

    Nanos now() const { return now_; }
    // Runs `fn` at `when` (the past is clamped to now: time never goes backwards).
    void at(Nanos when, Task fn);
    std::optional<Nanos> next_time() const;
    // Moves the clock forward to `t` without running anything (t before now is ignored).
    void advance(Nanos t) { if (t > now_) now_ = t; }
    // Runs the earliest event; false when there is none.
    bool run_one();
    bool empty() const { return events_.empty(); }

private:
    struct Event {
        Nanos at;
        std::uint64_t seq;
        std::uint32_t slot;  // its task in tasks_
        bool operator>(const Event& o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    Nanos now_ = 0;
    std::uint64_t seq_ = 0;
    // A binary heap (std::push_heap/pop_heap, earliest first) of small entries; the tasks, which
    // hold whole segments, stay put in slots and are moved once, when they run.
    std::vector<Event> events_;
    std::vector<Task> tasks_;
    std::vector<std::uint32_t> free_slots_;
};

// A restartable one-shot timer on the queue. Re-arming or cancelling bumps a token, so an
// event scheduled for an older deadline fires as a no-op instead of being searched for and
// removed. The owner must outlive the queue's run (virtual sockets are never freed mid-run).
class Timer {
public:
    void arm(EventQueue& q, Nanos when, std::function<void()> fn);
    void cancel() { ++token_; deadline_.reset(); }
    bool armed() const { return deadline_.has_value(); }
    std::optional<Nanos> deadline() const { return deadline_; }

private:
    std::uint64_t token_ = 0;
    std::optional<Nanos> deadline_;
};

}  // namespace ftpsim::sim::vnet
