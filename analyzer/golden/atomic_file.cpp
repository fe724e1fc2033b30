#include "golden/atomic_file.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace ftpsim::golden {
namespace {

// Unique per process and per object, so threads writing beside one another (ftpsim test -j)
// never share a temporary. Hidden (a leading dot) and named after the file it will become.
std::string temp_beside(const std::string& path) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path p(path);
    const std::string name = "." + p.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                             std::to_string(counter.fetch_add(1));
    return (p.parent_path() / name).string();
}

}  // namespace

AtomicFile::AtomicFile(std::string path, Replace replace)
    : path_(std::move(path)), temp_(temp_beside(path_)), replace_(replace) {
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
    if (::fsync(fd_) != 0) fail("cannot write", errno);
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

}  // namespace ftpsim::golden
