// Fixed-size, lock-free registry of owned namespaces plus the signal-safe removal path.
// A slot is claimed with a CAS, filled, then published; the handler reads only published slots.
#include "sim/netns/registry.hpp"

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "golden/atomic_file.hpp"
#include "sim/netns/command.hpp"

namespace ftpsim::sim::netns {
namespace {

constexpr std::size_t kNameMax = 128;
enum : int { kFree = 0, kClaimed = 1, kPublished = 2 };

struct Slot {
    std::atomic<int> state{kFree};
    char path[kNameMax + 32] = {};  // "/var/run/netns/NAME", ready for umount2/unlink
};
Slot g_slots[kMaxRegistered];
std::atomic<bool> g_handlers_installed{false};

constexpr const char* kNetnsDir = "/var/run/netns/";

void remove_path(const char* path) noexcept {
    // Same steps as iproute2's netns_delete; the namespace dies with its last reference and its
    // veths go with it.
    ::umount2(path, MNT_DETACH);
    ::unlink(path);
}


void on_signal(int sig) {
    const int saved = errno;
    cleanup_registered();
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    errno = saved;
}

}  // namespace

bool register_namespace(const std::string& name) {
    if (name.size() > kNameMax) return false;
    for (auto& s : g_slots) {
        int expected = kFree;
        if (!s.state.compare_exchange_strong(expected, kClaimed)) continue;
        std::string path = kNetnsDir + name;
        std::memcpy(s.path, path.c_str(), path.size() + 1);
        s.state.store(kPublished, std::memory_order_release);
        return true;
    }
    return false;
}

void unregister_namespace(const std::string& name) {
    const std::string path = kNetnsDir + name;
    for (auto& s : g_slots) {
        if (s.state.load(std::memory_order_acquire) == kPublished && path == s.path) {
            s.state.store(kFree, std::memory_order_release);
            return;
        }
    }
}

void cleanup_registered() noexcept {
    for (auto& s : g_slots) {
        int expected = kPublished;
        // Take the slot so a concurrent cleanup (signal during atexit) doesn't repeat it.
        if (s.state.compare_exchange_strong(expected, kClaimed)) {
            remove_path(s.path);
            s.state.store(kFree, std::memory_order_release);
        }
    }
}

void install_cleanup_handlers() {
    if (g_handlers_installed.exchange(true)) return;
    std::atexit([] { cleanup_registered(); });
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &sa, nullptr);
}

bool delete_namespace(const std::string& name) noexcept {
    try {
        const std::string path = kNetnsDir + name;
        if (::access(path.c_str(), F_OK) != 0) return true;
        const auto r = run_command({"ip", "netns", "del", name}, {std::chrono::milliseconds(5000), {}});
        if (r.exit_code == 0) return true;
        remove_path(path.c_str());  // ip failed or hung: fall back to the raw steps
        return ::access(path.c_str(), F_OK) != 0;
    } catch (...) {
        return false;
    }
}

std::vector<std::string> list_namespaces(const std::string& prefix) {
    std::vector<std::string> out;
    std::error_code ec;
    const std::string want = prefix + "-";
    for (const auto& e : std::filesystem::directory_iterator(kNetnsDir, ec)) {
        const std::string n = e.path().filename().string();
        if (n.rfind(want, 0) == 0) out.push_back(n);
    }
    return out;
}

std::vector<std::string> cleanup_stale(const std::string& prefix, bool include_live_owners) {
    std::vector<std::string> removed;
    for (const auto& name : list_namespaces(prefix)) {
        if (!include_live_owners) {
            // "prefix-<pid>-...": a name without a pid is not ours to judge; skip it.
            const std::string rest = name.substr(prefix.size() + 1);
            const auto dash = rest.find('-');
            const std::string digits = rest.substr(0, dash);
            if (digits.empty() || digits.size() > 9 ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                continue;
            if (golden::owner_running(std::stol(digits))) continue;
        }
        if (delete_namespace(name)) removed.push_back(name);
    }
    return removed;
}

}  // namespace ftpsim::sim::netns
