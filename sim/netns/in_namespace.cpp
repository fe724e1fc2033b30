// setns(2) on a dedicated thread; see in_namespace.hpp for why a thread per namespace.
#include "sim/netns/in_namespace.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ftpsim::sim::netns {

void enter_namespace(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos)
        throw std::invalid_argument("bad namespace name '" + name + "'");
    const std::string path = "/var/run/netns/" + name;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    const int r = ::setns(fd, CLONE_NEWNET);
    const int err = errno;
    ::close(fd);
    if (r != 0) throw std::runtime_error("setns(" + path + "): " + std::strerror(err));
}

NamespaceThread::NamespaceThread(std::string name) : name_(std::move(name)) {
    std::promise<void> entered;
    auto ready = entered.get_future();
    thread_ = std::thread([this, &entered] { loop(entered); });
    try {
        ready.get();  // rethrows a failed setns, after which the thread has already returned
    } catch (...) {
        thread_.join();
        throw;
    }
}

NamespaceThread::~NamespaceThread() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void NamespaceThread::post(std::function<void()> job) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) throw std::logic_error("NamespaceThread is stopping");
        jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
}

void NamespaceThread::loop(std::promise<void>& entered) {
    try {
        enter_namespace(name_);
    } catch (...) {
        entered.set_exception(std::current_exception());
        return;
    }
    entered.set_value();  // `entered` is dead after this: the constructor returns
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping and drained
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();  // packaged_task stores any exception in its future
    }
}

}  // namespace ftpsim::sim::netns
