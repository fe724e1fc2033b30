// An FTP server's file tree on a real directory, which no client path can get out of: not with
// "..", not with an absolute path, not through a symlink that points outside the root.
//
// Confinement: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS (Linux 5.6) resolves
// every path from the root's descriptor and fails with EXDEV on any escape, symlinks included,
// atomically. Where openat2 is missing (older kernels, seccomp filters answering ENOSYS/EPERM)
// the fallback resolves with realpath(3), checks that the result lies under the root and opens
// it with O_NOFOLLOW; that leaves a window for a local user swapping path components, which
// openat2 closes. Operations on a last component (create, mkdir, unlink, rename) open the
// parent directory confined, then act relative to it without following a symlink.
#pragma once

#include <fcntl.h>

#include <string>

#include "sim/engine/file_system.hpp"  // the engine's interface; this side does the I/O
#include "sim/fs/atomic_upload.hpp"

namespace ftpsim::sim {

class RealFileSystem : public FileSystem {
public:
    enum class Confinement { kAuto, kOpenat2, kRealpath };

    // `root` must be an existing directory; ok() says whether it could be opened. kOpenat2 falls
    // back to kRealpath when the kernel refuses openat2 (kRealpath is there to test the fallback).
    explicit RealFileSystem(const std::string& root, Confinement mode = Confinement::kAuto);
    ~RealFileSystem() override;
    RealFileSystem(const RealFileSystem&) = delete;
    RealFileSystem& operator=(const RealFileSystem&) = delete;

    bool ok() const { return root_fd_ >= 0; }
    const std::string& root() const { return root_; }  // canonical, no trailing '/'
    bool uses_openat2() const { return openat2_; }

    std::optional<FileInfo> stat(const std::string& path) const override;
    // Symlinks are listed as what they point to; those pointing out of the root (or nowhere)
    // and entries that are neither files nor directories (devices, sockets) are left out.
    std::vector<FileInfo> list(const std::string& dir, FsError& err) const override;
    // A FileSlice naming the file by its canonical absolute path (symlinks resolved, checked to
    // be under the root), which the driver can open with O_NOFOLLOW and hand to sendfile(2).
    std::optional<ByteSource> read(const std::string& path, std::uint64_t offset,
                                   FsError& err) const override;
    std::optional<ByteSource> read_chunk(const std::string& path, std::uint64_t offset,
                                         std::uint64_t max_length, FsError& err) const override;
    // The chunk read with pread(2) from a descriptor opened confined, for TYPE A conversion.
    std::optional<std::string> read_chunk_bytes(const std::string& path, std::uint64_t offset,
                                                std::uint64_t max_length,
                                                FsError& err) const override;
    // Uploads never write through a symlink (O_NOFOLLOW on the last component) and go to a
    // temporary file renamed over the target on commit (atomic_upload.hpp); LIST never shows
    // those temporaries.
    std::unique_ptr<UploadSink> write(const std::string& path, bool append,
                                      FsError& err) override;
    std::unique_ptr<UploadSink> write_at(const std::string& path, std::uint64_t offset,
                                         FsError& err) override;
    std::unique_ptr<UploadSink> create(const std::string& path, FsError& err) override;
    FsError make_dir(const std::string& path) override;
    FsError remove_dir(const std::string& path) override;
    FsError remove_file(const std::string& path) override;
    FsError rename(const std::string& from, const std::string& to) override;

private:
    // A descriptor for `path` (absolute server path) opened with `flags`, confined; -1 and err.
    int open_beneath(const std::string& path, int flags, FsError& err) const;
    // The confined parent directory of `path` (opened with `flags`, O_PATH unless told) and
    // the last component in `name`.
    int open_parent(const std::string& path, std::string& name, FsError& err,
                    int flags = O_PATH) const;
    std::unique_ptr<UploadSink> open_upload(const std::string& path, UploadPlacement placement,
                                            FsError& err);
    std::optional<ByteSource> slice(const std::string& path, std::uint64_t offset,
                                    std::uint64_t max_length, FsError& err) const;

    std::string root_;
    int root_fd_ = -1;
    bool openat2_ = false;
};

}  // namespace ftpsim::sim
