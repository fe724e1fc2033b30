// What the FTP server serves: an in-memory tree given by configuration, or a real directory
// that no path can get out of. Paths are the server's view: absolute, '/'-separated, already
// resolved against the session's working directory and normalised (no "." or "..").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/engine/actions.hpp"

namespace ftpsim::sim {

struct FileInfo {
    std::string name;  // last path component
    bool directory = false;
    std::uint64_t size = 0;
    std::int64_t mtime = 0;  // seconds since the Unix epoch (from configuration for memory trees)
};

enum class FsError { kNone, kNotFound, kNotADirectory, kIsADirectory, kExists, kNotEmpty,
                     kPermission, kOutsideRoot, kIo,
                     kNoSpace,   // the file system is full (ENOSPC): RFC 959 §4.2 452
                     kQuota };   // the user's allocation is used up (EDQUOT): 552

// Receives an upload (STOR/APPE/STOU) as it arrives. Data is never lost: nothing the sink takes
// is visible at the target until commit(), which puts the whole upload in place in one step
// (a rename over the target on a real directory). A sink destroyed without a successful
// commit() abandons the upload: the target keeps its old bytes (an aborted APPE or REST+STOR
// included) or stays absent, and whatever the sink kept on the side is removed. So an ABOR, a
// reset data connection, a timeout or a full disk can neither destroy the file being replaced
// nor leave a partial file that looks complete.
//
// Two calls and the destructor: abandoning needs no call of its own, so that every way a
// transfer can end without success (an early return, a session torn down) abandons by default
// and only the one success path has to say so.
class UploadSink {
public:
    virtual ~UploadSink() = default;
    // kNone, or why the bytes could not be kept (kNoSpace, kQuota, kIo ...); after a failure
    // the sink takes nothing more and the upload can only be abandoned.
    virtual FsError write(std::span<const std::uint8_t> bytes) = 0;
    // Makes what was written the target's content (durably, on a real directory). kNone, or the
    // error, in which case the target is as before. Called at most once.
    virtual FsError commit() = 0;
    // Whether commit() may block on the disk (fsync): the server then hands it to its driver
    // (CommitUpload, actions.hpp), which may run it on another thread, so it must touch nothing
    // the sessions share without a lock. An in-memory sink commits at once, in the engine.
    virtual bool commit_blocks() const { return false; }
};

class FileSystem {
public:
    virtual ~FileSystem() = default;
    virtual std::optional<FileInfo> stat(const std::string& path) const = 0;
    // Entries sorted by name (listings must be reproducible).
    virtual std::vector<FileInfo> list(const std::string& dir, FsError& err) const = 0;
    // The file's bytes from `offset`, as a source the driver can send without copying.
    virtual std::optional<ByteSource> read(const std::string& path, std::uint64_t offset,
                                           FsError& err) const = 0;
    virtual std::unique_ptr<UploadSink> write(const std::string& path, bool append,
                                              FsError& err) = 0;
    virtual FsError make_dir(const std::string& path) = 0;
    virtual FsError remove_dir(const std::string& path) = 0;
    virtual FsError remove_file(const std::string& path) = 0;
    virtual FsError rename(const std::string& from, const std::string& to) = 0;

    // At most `max_length` bytes of the file from `offset`: the server sends big files slice by
    // slice, so a file system that generates or loads content can do it a chunk at a time. The
    // default trims what read() returns. A slice shorter than asked (or empty) is end of file.
    virtual std::optional<ByteSource> read_chunk(const std::string& path, std::uint64_t offset,
                                                 std::uint64_t max_length, FsError& err) const;
    // The same chunk as read_chunk(), as bytes in memory: TYPE A conversion rewrites line ends
    // (RFC 959 §3.1.1.1), so it has to see every byte. The default copies the MemorySlice that
    // read_chunk() gives; a file system whose read_chunk() hands out FileSlices reads the file
    // itself here, so the engine never does I/O of its own.
    virtual std::optional<std::string> read_chunk_bytes(const std::string& path,
                                                        std::uint64_t offset,
                                                        std::uint64_t max_length,
                                                        FsError& err) const;
    // An upload written from `offset` on (REST before STOR, RFC 3659 §5.5): bytes before it are
    // kept, as pwrite(2) after lseek would. The default handles offset 0 (write) and offset ==
    // size (append) and answers kPermission otherwise.
    virtual std::unique_ptr<UploadSink> write_at(const std::string& path, std::uint64_t offset,
                                                 FsError& err);
    // An upload that must not replace anything (STOU, RFC 959 §4.1.3: a name unique in the
    // directory): kExists at the open if `path` exists, and its commit() fails with kExists,
    // the other file untouched, if one appeared at `path` meanwhile (another session's STOU
    // that chose the same name). The default checks at the open only.
    virtual std::unique_ptr<UploadSink> create(const std::string& path, FsError& err);
};

// The source shortened to at most `length` bytes.
ByteSource trim_source(ByteSource source, std::uint64_t length);

// Joins `arg` to the working directory `cwd` and normalises it; ".." never climbs above "/".
std::string resolve_path(const std::string& cwd, const std::string& arg);

}  // namespace ftpsim::sim
