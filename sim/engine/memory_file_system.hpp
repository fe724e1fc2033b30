// An FTP server's file tree held in memory and built from configuration: literal files,
// generated files whose bytes come from a seeded generator (any size, nothing stored), empty
// directories, and whatever clients upload. Every entry has a fixed modification time, so
// listings and MDTM replies are the same on every run.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "sim/engine/file_system.hpp"

namespace ftpsim::sim {

class MemoryFileSystem : public FileSystem {
public:
    // `mtime`: seconds since the Unix epoch given to every entry that does not set its own
    // (default 2019-12-02 12:00:00 UTC, the date of the vsftpd capture the seeds come from).
    explicit MemoryFileSystem(std::int64_t mtime = 1575288000);

    // Paths are absolute server paths; missing parent directories are created. Adding over an
    // existing entry replaces it.
    void add_file(const std::string& path, std::string content,
                  std::optional<std::int64_t> mtime = std::nullopt);
    // `size` bytes of a splitmix64 stream seeded with `seed`: byte i is byte (i % 8), little
    // endian, of splitmix64 output number i / 8. Random access, so any slice is produced alone.
    void add_generated(const std::string& path, std::uint64_t size, std::uint64_t seed,
                       std::optional<std::int64_t> mtime = std::nullopt);
    void add_dir(const std::string& path, std::optional<std::int64_t> mtime = std::nullopt);

    // The whole content of a file (tests; generated files are produced here): nullopt for a
    // directory or a missing path.
    std::optional<std::string> content(const std::string& path) const;

    // At most `bytes` of file content in the tree (none: no limit). An upload that would go past
    // it fails with kNoSpace, as ENOSPC would on a real disk: the tests' full disk.
    void set_capacity(std::optional<std::uint64_t> bytes);

    // The largest file an upload may leave behind. The tree holds every byte in memory, holes
    // included, so without a bound one REST 400000000000000000 + STOR would ask for 400 PB
    // (found by fuzzing). An upload past it fails with kQuota: 552, "exceeded storage
    // allocation" (RFC 959 §4.2), as a real file system's file size limit stops a write.
    static constexpr std::uint64_t kDefaultMaxFileBytes = std::uint64_t{1} << 30;
    void set_max_file_bytes(std::uint64_t bytes);

    // The generator behind add_generated, for callers that want to check received bytes.
    static void generate(std::uint64_t seed, std::uint64_t offset, std::uint64_t length,
                         std::string& out);

    std::optional<FileInfo> stat(const std::string& path) const override;
    std::vector<FileInfo> list(const std::string& dir, FsError& err) const override;
    std::optional<ByteSource> read(const std::string& path, std::uint64_t offset,
                                   FsError& err) const override;
    std::optional<ByteSource> read_chunk(const std::string& path, std::uint64_t offset,
                                         std::uint64_t max_length, FsError& err) const override;
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
    struct Node {
        bool directory = false;
        std::int64_t mtime = 0;
        std::uint64_t size = 0;
        // Literal (or uploaded) content; for a generated file, filled on the first whole read.
        std::shared_ptr<const std::string> content;
        std::optional<std::uint64_t> seed;  // generated file
    };
    class Sink;

    // Callers hold mutex_.
    // The file at `path`, or nullptr with err kNotFound / kIsADirectory (kNone when found).
    Node* file_node(const std::string& path, FsError& err) const;
    void ensure_parents(const std::string& path, std::int64_t mtime);
    FsError check_parent(const std::string& path) const;
    bool has_children(const std::string& dir) const;
    std::shared_ptr<const std::string> materialise(Node& node) const;
    FsError commit(const std::string& path, std::uint64_t offset, bool append, bool exclusive,
                   const std::string& data);
    std::uint64_t used_bytes() const;  // the sizes of all files
    std::unique_ptr<UploadSink> open_upload(const std::string& path, std::uint64_t offset,
                                            bool append, bool exclusive, FsError& err);

    std::int64_t mtime_;
    std::optional<std::uint64_t> capacity_;  // set_capacity()
    std::uint64_t max_file_bytes_ = kDefaultMaxFileBytes;
    // Whether a file of `size` bytes would be over max_file_bytes_ after `more` bytes (no overflow).
    bool too_big(std::uint64_t size, std::uint64_t more) const {
        return size > max_file_bytes_ || more > max_file_bytes_ - size;
    }
    mutable std::mutex mutex_;  // sessions on several threads may share one tree
    // The generated slice read last (read_chunk), so that repeated reads of it cost nothing.
    struct GeneratedSlice {
        std::uint64_t seed = 0, offset = 0, length = 0;
        std::shared_ptr<const std::string> bytes;
    };
    mutable GeneratedSlice last_slice_;
    // Keyed by absolute path, "/" included: sorted, so a directory's entries are a key range.
    mutable std::map<std::string, Node> nodes_;
};

}  // namespace ftpsim::sim
