// A FileSystem that forwards to another and makes every upload's commit a blocking one, as a
// real disk's fsync is: its sinks say commit_blocks(), so the server hands the commit to its
// driver (CommitUpload), and `before_commit` runs inside commit(), on whatever thread the
// driver chose, before the inner sink's own commit (a test holds it there to see what the
// other sessions get meanwhile). Used by tests/engine and tests/asio.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "sim/engine/file_system.hpp"

namespace ftpsim::sim::test {

class BlockingCommits : public FileSystem {
public:
    explicit BlockingCommits(FileSystem& inner) : inner_(inner) {}

    std::function<void()> before_commit;  // set before the session starts; may block
    std::atomic<int> commits{0};          // commit() calls so far

    std::optional<FileInfo> stat(const std::string& path) const override { return inner_.stat(path); }
    std::vector<FileInfo> list(const std::string& dir, FsError& err) const override {
        return inner_.list(dir, err);
    }
    std::optional<ByteSource> read(const std::string& path, std::uint64_t offset,
                                   FsError& err) const override {
        return inner_.read(path, offset, err);
    }
    std::optional<ByteSource> read_chunk(const std::string& path, std::uint64_t offset,
                                         std::uint64_t max_length, FsError& err) const override {
        return inner_.read_chunk(path, offset, max_length, err);
    }
    std::optional<std::string> read_chunk_bytes(const std::string& path, std::uint64_t offset,
                                                std::uint64_t max_length,
                                                FsError& err) const override {
        return inner_.read_chunk_bytes(path, offset, max_length, err);
    }
    std::unique_ptr<UploadSink> write(const std::string& path, bool append, FsError& err) override {
        return wrap(inner_.write(path, append, err));
    }
    std::unique_ptr<UploadSink> write_at(const std::string& path, std::uint64_t offset,
                                         FsError& err) override {
        return wrap(inner_.write_at(path, offset, err));
    }
    std::unique_ptr<UploadSink> create(const std::string& path, FsError& err) override {
        return wrap(inner_.create(path, err));
    }
    FsError make_dir(const std::string& path) override { return inner_.make_dir(path); }
    FsError remove_dir(const std::string& path) override { return inner_.remove_dir(path); }
    FsError remove_file(const std::string& path) override { return inner_.remove_file(path); }
    FsError rename(const std::string& from, const std::string& to) override {
        return inner_.rename(from, to);
    }

private:
    class Sink : public UploadSink {
    public:
        Sink(std::unique_ptr<UploadSink> inner, BlockingCommits& owner)
            : inner_(std::move(inner)), owner_(owner) {}
        FsError write(std::span<const std::uint8_t> bytes) override { return inner_->write(bytes); }
        FsError commit() override {
            ++owner_.commits;
            if (owner_.before_commit) owner_.before_commit();
            return inner_->commit();
        }
        bool commit_blocks() const override { return true; }

    private:
        std::unique_ptr<UploadSink> inner_;
        BlockingCommits& owner_;
    };
    std::unique_ptr<UploadSink> wrap(std::unique_ptr<UploadSink> sink) {
        if (!sink) return nullptr;
        return std::make_unique<Sink>(std::move(sink), *this);
    }

    FileSystem& inner_;
};

}  // namespace ftpsim::sim::test
