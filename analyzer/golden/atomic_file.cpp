#include "golden/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace ftpsim::golden {
namespace {

constexpr std::string_view kPartial = ".partial.";

bool all_digits(std::string_view s) {
    return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The PID in ".NAME.partial.PID.N", or 0 when `name` is not such a temporary.
long owner_of_partial(std::string_view name) {
    if (name.size() < 2 || name[0] != '.') return 0;
    const auto last_dot = name.rfind('.');
    if (last_dot == std::string_view::npos || !all_digits(name.substr(last_dot + 1))) return 0;
    const std::string_view before = name.substr(0, last_dot);
    const auto pid_dot = before.rfind('.');
    if (pid_dot == std::string_view::npos || !all_digits(before.substr(pid_dot + 1))) return 0;
    // ".partial." ends right after the PID's dot, and a NAME of at least one character precedes it.
    if (pid_dot + 1 < kPartial.size() + 2 || before.substr(pid_dot + 1 - kPartial.size(), kPartial.size()) != kPartial)
        return 0;
    return std::stol(std::string(before.substr(pid_dot + 1)));
}


}  // namespace

std::string partial_path_beside(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path p(path);
    const std::string name = "." + p.filename().string() + std::string(kPartial) + std::to_string(::getpid()) + "." +
                             std::to_string(counter.fetch_add(1));
    return (p.parent_path() / name).string();
}

std::vector<std::string> remove_abandoned_partials(const std::string& dir) noexcept {
    std::vector<std::string> removed;
    try {
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec)) {
            const std::string name = e.path().filename().string();
            const long pid = owner_of_partial(name);
            if (pid == 0 || owner_running(pid)) continue;
            std::error_code rm;
            if (e.is_regular_file(rm) && std::filesystem::remove(e.path(), rm)) removed.push_back(name);
        }
    } catch (...) {  // bad_alloc, or a directory changing under the iterator: leave the rest
    }
    return removed;
}

AtomicFile::AtomicFile(std::string path, Replace replace, Sync sync)
    : path_(std::move(path)), temp_(partial_path_beside(path_)), replace_(replace), sync_(sync) {
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        const int e = errno;
        temp_.clear();  // nothing of ours to remove
        throw std::runtime_error(path_ + ": cannot write: " + std::strerror(e));
    }
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::write(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot write", errno);
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void AtomicFile::commit() {
    if (sync_ == Sync::kYes && ::fsync(fd_) != 0) fail("cannot write", errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("cannot write", errno);
    if (replace_ == Replace::kYes) {
        if (::rename(temp_.c_str(), path_.c_str()) != 0) fail("cannot replace", errno);
    } else if (::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE) != 0) {
        if (errno != EINVAL && errno != ENOSYS) fail("cannot create", errno);
        // A file system without RENAME_NOREPLACE: link(2) fails too when the path exists.
        if (::link(temp_.c_str(), path_.c_str()) != 0) fail("cannot create", errno);
        ::unlink(temp_.c_str());
    }
    temp_.clear();
}

void AtomicFile::fail(const std::string& what, int error) {
    discard();
    throw std::runtime_error(path_ + ": " + what + ": " + std::strerror(error));
}

void AtomicFile::discard() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (!temp_.empty()) ::unlink(temp_.c_str());
    temp_.clear();
}

void create_parent_directories(const std::string& path) {
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (dir.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error(dir.string() + ": cannot create the directory: " + ec.message());
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

bool owner_running(long pid) noexcept {
    if (pid <= 0 || pid > 0x7fffffff) return false;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
    try {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!std::getline(stat, line)) return true;  // no /proc to ask: kill(2) said it exists
        const auto name_end = line.rfind(')');       // "PID (NAME) STATE ...", NAME may hold ") "
        if (name_end == std::string::npos || name_end + 2 >= line.size()) return true;
        const char state = line[name_end + 2];
        return state != 'Z' && state != 'X';
    } catch (...) {
        return true;  // cannot tell: keep what it left
    }
}

}  // namespace ftpsim::golden
