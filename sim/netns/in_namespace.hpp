// Running code with the calling thread inside a named network namespace. setns() moves only the
// calling thread, so each call gets a dedicated std::thread: the caller's own thread (and the rest
// of the process) never changes namespace. Sockets and pcap handles created inside keep belonging
// to that namespace after the thread ends, so one process can hold sockets in several of them.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>

namespace ftpsim::sim::netns {

// Moves the calling thread into /var/run/netns/NAME; throws std::runtime_error on failure.
void enter_namespace(const std::string& name);

// Runs fn() on a new thread inside namespace `name` and returns its result (or rethrows its
// exception). Blocks until fn returns: fn itself must be bounded in time.
template <class F>
auto in_namespace(const std::string& name, F&& fn) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    std::packaged_task<R()> task([&name, &fn]() -> R {
        enter_namespace(name);
        return fn();
    });
    auto result = task.get_future();
    std::thread(std::move(task)).join();
    return result.get();
}

// A long-lived thread inside one namespace that runs submitted functions in order, for callers
// that create many sockets there (cheaper than a thread per call). The destructor finishes the
// queued work and joins.
class NamespaceThread {
public:
    explicit NamespaceThread(std::string name);
    ~NamespaceThread();
    NamespaceThread(const NamespaceThread&) = delete;
    NamespaceThread& operator=(const NamespaceThread&) = delete;

    const std::string& name() const { return name_; }

    // Runs fn() on the namespace thread; returns a future for its result.
    template <class F>
    auto submit(F fn) -> std::future<std::invoke_result_t<F&>> {
        using R = std::invoke_result_t<F&>;
        auto task = std::make_shared<std::packaged_task<R()>>(std::move(fn));
        auto fut = task->get_future();
        post([task] { (*task)(); });
        return fut;
    }
    // submit() and wait for the result.
    template <class F>
    auto run(F fn) -> std::invoke_result_t<F&> {
        return submit(std::move(fn)).get();
    }

private:
    void post(std::function<void()> job);
    void loop(std::promise<void>& entered);

    std::string name_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace ftpsim::sim::netns
