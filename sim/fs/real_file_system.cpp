// The confined real-directory file tree (real_file_system.hpp).
#include "sim/fs/real_file_system.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include "sim/fs/atomic_upload.hpp"
#include "sim/fs/byte_source_io.hpp"

namespace ftpsim::sim {
namespace {

FsError from_errno(int e) {
    switch (e) {
        case ENOENT: return FsError::kNotFound;
        case ENOTDIR: return FsError::kNotADirectory;
        case EISDIR: return FsError::kIsADirectory;
        case EEXIST: return FsError::kExists;
        case ENOTEMPTY: return FsError::kNotEmpty;
        case EACCES:
        case EPERM:
        case EROFS: return FsError::kPermission;
        // EXDEV: RESOLVE_BENEATH met an escape; ELOOP: a symlink under O_NOFOLLOW or a magic
        // link under RESOLVE_NO_MAGICLINKS. Both mean "that path leads somewhere not allowed".
        case EXDEV:
        case ELOOP: return FsError::kOutsideRoot;
        default: return FsError::kIo;
    }
}

long raw_openat2(int dirfd, const char* path, int flags) {
    open_how how{};
    how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return ::syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

// "/a/b" -> "a/b", "/" -> "." (paths relative to the root's descriptor).
std::string relative(const std::string& path) {
    std::size_t i = 0;
    while (i < path.size() && path[i] == '/') ++i;
    return i == path.size() ? std::string(".") : path.substr(i);
}

bool under(const std::string& real, const std::string& root) {
    if (root == "/") return true;
    return real == root || (real.size() > root.size() && real.compare(0, root.size(), root) == 0 &&
                            real[root.size()] == '/');
}

// The server paths come from resolve_path(): absolute, no "." or "..". A NUL would cut the
// C string short and name another file: refused outright.
bool acceptable(const std::string& path) {
    return !path.empty() && path.front() == '/' && path.find('\0') == std::string::npos;
}

FileInfo info_of(const std::string& name, const struct stat& st) {
    FileInfo info;
    info.name = name;
    info.directory = S_ISDIR(st.st_mode);
    info.size = static_cast<std::uint64_t>(st.st_size);
    info.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec);
    return info;
}

}  // namespace

RealFileSystem::RealFileSystem(const std::string& root, Confinement mode) {
    char buf[PATH_MAX];
    if (::realpath(root.c_str(), buf) == nullptr) return;
    root_ = buf;
    root_fd_ = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root_fd_ < 0 || mode == Confinement::kRealpath) return;
    // Probe once: ENOSYS (kernel < 5.6) or EPERM (seccomp) means the fallback.
    const long fd = raw_openat2(root_fd_, ".", O_PATH | O_DIRECTORY);
    if (fd >= 0) {
        ::close(static_cast<int>(fd));
        openat2_ = true;
    }
}

RealFileSystem::~RealFileSystem() {
    if (root_fd_ >= 0) ::close(root_fd_);
}

int RealFileSystem::open_beneath(const std::string& path, int flags, FsError& err) const {
    err = FsError::kNone;
    if (root_fd_ < 0) {
        err = FsError::kIo;
        return -1;
    }
    if (!acceptable(path)) {
        err = FsError::kNotFound;
        return -1;
    }
    const std::string rel = relative(path);
    if (openat2_) {
        long fd;
        do {
            fd = raw_openat2(root_fd_, rel.c_str(), flags);
        } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
        if (fd < 0) err = from_errno(errno);
        return static_cast<int>(fd);
    }
    const std::string full = rel == "." ? root_ : root_ + "/" + rel;
    char buf[PATH_MAX];
    if (::realpath(full.c_str(), buf) == nullptr) {
        err = from_errno(errno);
        return -1;
    }
    if (!under(buf, root_)) {
        err = FsError::kOutsideRoot;
        return -1;
    }
    const int fd = ::open(buf, flags | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) err = from_errno(errno);
    return fd;
}

int RealFileSystem::open_parent(const std::string& path, std::string& name, FsError& err,
                                int flags) const {
    if (!acceptable(path) || relative(path) == ".") {
        err = FsError::kPermission;  // the root itself is not created, removed or renamed
        return -1;
    }
    const std::size_t slash = path.rfind('/');
    name = path.substr(slash + 1);
    if (name.empty() || name == "." || name == "..") {
        err = FsError::kPermission;
        return -1;
    }
    return open_beneath(slash == 0 ? std::string("/") : path.substr(0, slash),
                        flags | O_DIRECTORY, err);
}

std::optional<FileInfo> RealFileSystem::stat(const std::string& path) const {
    // An upload's temporary is not there for clients (SIZE, MDTM, MLST, RETR), as in listings.
    if (is_upload_temporary(std::string_view(path).substr(path.rfind('/') + 1))) return std::nullopt;
    FsError err;
    const int fd = open_beneath(path, O_PATH, err);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    const int rc = ::fstat(fd, &st);
    ::close(fd);
    if (rc != 0) return std::nullopt;
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) return std::nullopt;
    const std::string name = path == "/" ? "/" : path.substr(path.rfind('/') + 1);
    return info_of(name, st);
}

std::vector<FileInfo> RealFileSystem::list(const std::string& dir, FsError& err) const {
    std::vector<FileInfo> out;
    const int fd = open_beneath(dir, O_RDONLY | O_DIRECTORY, err);
    if (fd < 0) return out;
    DIR* d = ::fdopendir(fd);
    if (d == nullptr) {
        err = from_errno(errno);
        ::close(fd);
        return out;
    }
    const std::string prefix = dir == "/" ? "/" : dir + "/";
    while (const dirent* entry = ::readdir(d)) {
        const std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        if (is_upload_temporary(name)) continue;  // an upload not yet committed (or abandoned by a crash)
        struct stat st {};
        if (::fstatat(::dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISLNK(st.st_mode)) {
            // Shown only when it resolves inside the root, as what it points to.
            const std::optional<FileInfo> target = stat(prefix + name);
            if (!target) continue;
            FileInfo info = *target;
            info.name = name;
            out.push_back(std::move(info));
            continue;
        }
        if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) continue;
        out.push_back(info_of(name, st));
    }
    ::closedir(d);
    err = FsError::kNone;
    std::sort(out.begin(), out.end(),
              [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
    return out;
}

std::optional<ByteSource> RealFileSystem::slice(const std::string& path, std::uint64_t offset,
                                                std::uint64_t max_length, FsError& err) const {
    const int fd = open_beneath(path, O_RDONLY, err);
    if (fd < 0) return std::nullopt;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        err = from_errno(errno);
        ::close(fd);
        return std::nullopt;
    }
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
        err = S_ISDIR(st.st_mode) ? FsError::kIsADirectory : FsError::kPermission;
        ::close(fd);
        return std::nullopt;
    }
    // Name the file by what the descriptor really is: no symlink left in the path the driver
    // opens, and one more check that it is under the root.
    std::string real;
    char buf[PATH_MAX];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
    if (n > 0) {
        real.assign(buf, static_cast<std::size_t>(n));
    } else {
        real = root_ + (path == "/" ? "" : path);  // no /proc: the confined path as given
    }
    ::close(fd);
    if (!under(real, root_)) {
        err = FsError::kOutsideRoot;
        return std::nullopt;
    }
    err = FsError::kNone;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::uint64_t from = std::min(offset, size);
    return ByteSource{FileSlice{real, from, std::min(max_length, size - from)}};
}

std::optional<ByteSource> RealFileSystem::read(const std::string& path, std::uint64_t offset,
                                               FsError& err) const {
    return slice(path, offset, UINT64_MAX, err);
}

std::optional<ByteSource> RealFileSystem::read_chunk(const std::string& path,
                                                     std::uint64_t offset,
                                                     std::uint64_t max_length,
                                                     FsError& err) const {
    return slice(path, offset, max_length, err);
}

std::optional<std::string> RealFileSystem::read_chunk_bytes(const std::string& path,
                                                            std::uint64_t offset,
                                                            std::uint64_t max_length,
                                                            FsError& err) const {
    std::optional<ByteSource> chunk = slice(path, offset, max_length, err);
    if (!chunk) return std::nullopt;
    std::string bytes;
    if (!load_bytes(*chunk, bytes)) {
        err = FsError::kIo;
        return std::nullopt;
    }
    return bytes;
}

std::unique_ptr<UploadSink> RealFileSystem::open_upload(const std::string& path,
                                                        UploadPlacement placement,
                                                        FsError& err) {
    std::string name;
    // Readable, not O_PATH: the sink fsyncs the directory after the rename.
    const int parent = open_parent(path, name, err, O_RDONLY);
    if (parent < 0) return nullptr;
    return open_atomic_upload(parent, name, placement, err);
}

std::unique_ptr<UploadSink> RealFileSystem::write(const std::string& path, bool append,
                                                  FsError& err) {
    return open_upload(path, UploadPlacement{append, 0, false}, err);
}

std::unique_ptr<UploadSink> RealFileSystem::write_at(const std::string& path,
                                                     std::uint64_t offset, FsError& err) {
    return open_upload(path, UploadPlacement{false, offset, false}, err);
}

std::unique_ptr<UploadSink> RealFileSystem::create(const std::string& path, FsError& err) {
    return open_upload(path, UploadPlacement{false, 0, true}, err);
}

FsError RealFileSystem::make_dir(const std::string& path) {
    FsError err;
    std::string name;
    const int parent = open_parent(path, name, err);
    if (parent < 0) return relative(path) == "." ? FsError::kExists : err;
    const int rc = ::mkdirat(parent, name.c_str(), 0755);
    const int saved = errno;
    ::close(parent);
    return rc == 0 ? FsError::kNone : from_errno(saved);
}

FsError RealFileSystem::remove_dir(const std::string& path) {
    FsError err;
    std::string name;
    const int parent = open_parent(path, name, err);
    if (parent < 0) return err;
    const int rc = ::unlinkat(parent, name.c_str(), AT_REMOVEDIR);
    const int saved = errno;
    ::close(parent);
    return rc == 0 ? FsError::kNone : from_errno(saved);
}

FsError RealFileSystem::remove_file(const std::string& path) {
    FsError err;
    std::string name;
    const int parent = open_parent(path, name, err);
    if (parent < 0) return err;
    // Removes a symlink itself, never its target. unlink(2) of a directory is EISDIR on Linux.
    const int rc = ::unlinkat(parent, name.c_str(), 0);
    const int saved = errno;
    ::close(parent);
    return rc == 0 ? FsError::kNone : from_errno(saved);
}

FsError RealFileSystem::rename(const std::string& from, const std::string& to) {
    FsError err;
    std::string from_name;
    std::string to_name;
    const int from_parent = open_parent(from, from_name, err);
    if (from_parent < 0) return err;
    const int to_parent = open_parent(to, to_name, err);
    if (to_parent < 0) {
        ::close(from_parent);
        return err;
    }
    const int rc = ::renameat(from_parent, from_name.c_str(), to_parent, to_name.c_str());
    const int saved = errno;
    ::close(from_parent);
    ::close(to_parent);
    return rc == 0 ? FsError::kNone : from_errno(saved);
}

}  // namespace ftpsim::sim
