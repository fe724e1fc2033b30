// Uploads through a temporary file renamed over the target (atomic_upload.hpp).
#include "sim/fs/atomic_upload.hpp"

#include <fcntl.h>
#include <linux/fs.h>  // RENAME_NOREPLACE
#include <stdio.h>     // renameat2 (glibc 2.28)
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <ctime>
#include <utility>

namespace ftpsim::sim {
namespace {

constexpr std::string_view kTempMarker = ".ftpsim-upload-";
constexpr std::size_t kRandomChars = 6;

void close_quietly(int fd) {
    if (fd >= 0) ::close(fd);
}

// Six characters from [A-Za-z0-9], as mkstemp(3) would choose them.
std::string random_suffix() {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char raw[kRandomChars] = {};
    if (::getrandom(raw, sizeof raw, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof raw)) {
        // No entropy yet (early boot): the pid and the clock still make a clash unlikely, and
        // O_EXCL turns one into a retry, never into a shared file.
        const auto seed = static_cast<std::uint64_t>(::getpid()) * 0x9E3779B97F4A7C15ULL ^
                          static_cast<std::uint64_t>(::time(nullptr));
        for (std::size_t i = 0; i < kRandomChars; ++i) raw[i] = static_cast<unsigned char>(seed >> (8 * i));
    }
    std::string out;
    for (unsigned char c : raw) out.push_back(kAlphabet[c % (sizeof kAlphabet - 1)]);
    return out;
}

// ".NAME.ftpsim-upload-XXXXXX", NAME shortened so that the whole stays within NAME_MAX.
std::string temporary_name(const std::string& name) {
    const std::size_t room = NAME_MAX - 1 - kTempMarker.size() - kRandomChars;
    return "." + name.substr(0, std::min(name.size(), room)) + std::string(kTempMarker) +
           random_suffix();
}

// Copies `length` bytes of `from` to the start of `to`. copy_file_range(2) first (in-kernel,
// a reflink on btrfs/XFS), read/write where it is refused. 0 or an errno.
int copy_contents(int from, int to, std::uint64_t length) {
    loff_t in = 0;
    loff_t out = 0;
    bool fallback = false;
    while (static_cast<std::uint64_t>(in) < length && !fallback) {
        const ssize_t n = ::copy_file_range(from, &in, to, &out,
                                            static_cast<std::size_t>(length - static_cast<std::uint64_t>(in)), 0);
        if (n > 0) continue;
        if (n == 0) return 0;  // the file shrank meanwhile: what there is
        if (errno == EINTR) continue;
        if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) return errno;
        fallback = true;
    }
    char buf[64 * 1024];
    while (static_cast<std::uint64_t>(in) < length) {
        const ssize_t n = ::pread(from, buf, sizeof buf, in);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return 0;
        ssize_t done = 0;
        while (done < n) {
            const ssize_t w = ::pwrite(to, buf + done, static_cast<std::size_t>(n - done), out);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) return w < 0 ? errno : EIO;
            done += w;
            out += w;
        }
        in += n;
    }
    return 0;
}

class TemporaryFileSink : public UploadSink {
public:
    TemporaryFileSink(int dir_fd, std::string name, std::string temp, int fd, std::uint64_t offset,
                      bool exclusive)
        : dir_fd_(dir_fd), name_(std::move(name)), temp_(std::move(temp)), fd_(fd),
          offset_(offset), exclusive_(exclusive) {}
    ~TemporaryFileSink() override {
        close_quietly(fd_);
        if (!committed_) ::unlinkat(dir_fd_, temp_.c_str(), 0);  // abandoned: the target untouched
        close_quietly(dir_fd_);
    }
    TemporaryFileSink(const TemporaryFileSink&) = delete;
    TemporaryFileSink& operator=(const TemporaryFileSink&) = delete;

    FsError write(std::span<const std::uint8_t> bytes) override {
        if (state_ != FsError::kNone) return state_;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                                       static_cast<off_t>(offset_));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return state_ = upload_error_from_errno(n < 0 ? errno : EIO);
            done += static_cast<std::size_t>(n);
            offset_ += static_cast<std::uint64_t>(n);
        }
        return FsError::kNone;
    }

    // fsync twice and a rename: a driver may run commit() on another thread; it uses only this
    // sink's own descriptors and names.
    bool commit_blocks() const override { return true; }

    FsError commit() override {
        if (state_ != FsError::kNone) return state_;
        state_ = FsError::kIo;  // whatever happens below, at most once
        // The data on disk before the name points at it: after a crash the target is either
        // the old file or the whole new one (ext4's auto_da_alloc does this only for some
        // patterns; fsync is the portable way). ENOSPC and EDQUOT can surface only here on
        // delayed-allocation file systems, and on NFS at close.
        if (::fsync(fd_) != 0) return state_ = upload_error_from_errno(errno);
        const int fd = std::exchange(fd_, -1);
        if (::close(fd) != 0 && errno != EINTR) return state_ = upload_error_from_errno(errno);
        if (!put_in_place()) {
            const int e = errno;
            return state_ = e == EISDIR    ? FsError::kIsADirectory
                            : e == EEXIST ? FsError::kExists
                                          : upload_error_from_errno(e);
        }
        committed_ = true;
        ::fsync(dir_fd_);  // the rename itself durable; a failure here changes nothing visible
        return state_ = FsError::kNone;
    }

private:
    // The temporary renamed to the target's name; false and errno otherwise.
    bool put_in_place() {
        if (!exclusive_) return ::renameat(dir_fd_, temp_.c_str(), dir_fd_, name_.c_str()) == 0;
        if (::renameat2(dir_fd_, temp_.c_str(), dir_fd_, name_.c_str(), RENAME_NOREPLACE) == 0) {
            return true;
        }
        if (errno != EINVAL && errno != ENOSYS) return false;
        // No RENAME_NOREPLACE on this file system (some network ones): link(2) refuses an
        // existing name just as well; the temporary's name then goes.
        if (::linkat(dir_fd_, temp_.c_str(), dir_fd_, name_.c_str(), 0) != 0) return false;
        ::unlinkat(dir_fd_, temp_.c_str(), 0);
        return true;
    }

    int dir_fd_;
    std::string name_;
    std::string temp_;
    int fd_;
    std::uint64_t offset_;
    bool exclusive_;
    FsError state_ = FsError::kNone;
    bool committed_ = false;
};

}  // namespace

FsError upload_error_from_errno(int e) {
    switch (e) {
        case ENOSPC: return FsError::kNoSpace;
        case EDQUOT: return FsError::kQuota;
        case EACCES:
        case EPERM:
        case EROFS: return FsError::kPermission;
        case ENOENT: return FsError::kNotFound;  // the directory went away meanwhile
        default: return FsError::kIo;
    }
}

bool is_upload_temporary(std::string_view name) {
    if (name.size() < 1 + kTempMarker.size() + kRandomChars || name.front() != '.') return false;
    const std::size_t marker = name.size() - kRandomChars - kTempMarker.size();
    return name.substr(marker, kTempMarker.size()) == kTempMarker;
}

std::unique_ptr<UploadSink> open_atomic_upload(int dir_fd, const std::string& name,
                                               UploadPlacement placement, FsError& err) {
    const auto fail = [&](FsError e, int fd) -> std::unique_ptr<UploadSink> {
        close_quietly(fd);
        close_quietly(dir_fd);
        err = e;
        return nullptr;
    };
    // The target as it is: never a symlink (the upload would land outside the root), a
    // directory or a device; and writable by us, as open(O_WRONLY) on it would have checked
    // (a rename needs only the directory's permission, which would let a read-only file be
    // replaced).
    struct stat target {};
    bool exists = false;
    if (::fstatat(dir_fd, name.c_str(), &target, AT_SYMLINK_NOFOLLOW) == 0) {
        exists = true;
        if (placement.exclusive) return fail(FsError::kExists, -1);
        if (S_ISLNK(target.st_mode)) return fail(FsError::kOutsideRoot, -1);
        if (S_ISDIR(target.st_mode)) return fail(FsError::kIsADirectory, -1);
        if (!S_ISREG(target.st_mode)) return fail(FsError::kPermission, -1);
        if (::faccessat(dir_fd, name.c_str(), W_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW) != 0) {
            return fail(FsError::kPermission, -1);
        }
    } else if (errno != ENOENT) {
        return fail(upload_error_from_errno(errno), -1);
    }

    std::string temp;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temp = temporary_name(name);
        fd = ::openat(dir_fd, temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST) return fail(upload_error_from_errno(errno), -1);
    }
    if (fd < 0) return fail(FsError::kIo, -1);
    // From here on the sink owns the temporary: returning it early (or dropping it) unlinks it.
    std::uint64_t offset = placement.offset;
    if (exists) {
        ::fchmod(fd, target.st_mode & 07777);  // the replacement keeps the file's permissions
        if (placement.append || placement.offset != 0) {
            const int original = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            int rc = original < 0 ? errno : 0;
            struct stat now {};
            if (rc == 0 && ::fstat(original, &now) != 0) rc = errno;
            if (rc == 0) rc = copy_contents(original, fd, static_cast<std::uint64_t>(now.st_size));
            close_quietly(original);
            if (rc != 0) {
                TemporaryFileSink discard(dir_fd, name, temp, fd, 0, false);  // unlinks the temporary
                err = upload_error_from_errno(rc);
                return nullptr;
            }
            if (placement.append) offset = static_cast<std::uint64_t>(now.st_size);
        }
    } else if (placement.append) {
        offset = 0;
    }
    err = FsError::kNone;
    return std::make_unique<TemporaryFileSink>(dir_fd, name, std::move(temp), fd, offset,
                                               placement.exclusive);
}

}  // namespace ftpsim::sim
