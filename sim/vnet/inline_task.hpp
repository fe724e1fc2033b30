// A move-only `void()` task stored inline when it fits, for the event queue: std::function
// allocates for any capture larger than two pointers, and almost every event of the virtual
// network captures a whole segment. Larger callables still work, on the heap.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace ftpsim::sim::vnet {

template <std::size_t Inline>
class InlineTask {
public:
    InlineTask() = default;
    template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineTask>>>
    InlineTask(F&& f) {  // NOLINT: converting, as std::function is
        using T = std::decay_t<F>;
        if constexpr (sizeof(T) <= Inline && alignof(T) <= alignof(std::max_align_t) &&
                      std::is_nothrow_move_constructible_v<T>) {
            ::new (static_cast<void*>(storage_)) T(std::forward<F>(f));
            ops_ = &kInlineOps<T>;
        } else {
            *reinterpret_cast<T**>(storage_) = new T(std::forward<F>(f));
            ops_ = &kHeapOps<T>;
        }
    }
    InlineTask(InlineTask&& o) noexcept : ops_(o.ops_) {
        if (ops_) ops_->move(storage_, o.storage_);
        o.ops_ = nullptr;
    }
    InlineTask& operator=(InlineTask&& o) noexcept {
        if (this != &o) {
            reset();
            ops_ = o.ops_;
            if (ops_) ops_->move(storage_, o.storage_);
            o.ops_ = nullptr;
        }
        return *this;
    }
    InlineTask(const InlineTask&) = delete;
    InlineTask& operator=(const InlineTask&) = delete;
    ~InlineTask() { reset(); }

    void operator()() { ops_->call(storage_); }
    explicit operator bool() const { return ops_ != nullptr; }

private:
    struct Ops {
        void (*call)(void*);
        void (*move)(void* to, void* from);  // move-constructs into `to`, destroys `from`
        void (*destroy)(void*);
    };
    template <typename T>
    static constexpr Ops kInlineOps = {
        [](void* p) { (*static_cast<T*>(p))(); },
        [](void* to, void* from) {
            ::new (to) T(std::move(*static_cast<T*>(from)));
            static_cast<T*>(from)->~T();
        },
        [](void* p) { static_cast<T*>(p)->~T(); },
    };
    template <typename T>
    static constexpr Ops kHeapOps = {
        [](void* p) { (**static_cast<T**>(p))(); },
        [](void* to, void* from) { *static_cast<T**>(to) = *static_cast<T**>(from); },
        [](void* p) { delete *static_cast<T**>(p); },
    };

    void reset() {
        if (ops_) ops_->destroy(storage_);
        ops_ = nullptr;
    }

    alignas(std::max_align_t) unsigned char storage_[Inline < sizeof(void*) ? sizeof(void*) : Inline];
    const Ops* ops_ = nullptr;
};

}  // namespace ftpsim::sim::vnet
