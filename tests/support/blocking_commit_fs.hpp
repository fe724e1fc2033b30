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
#include "support/upload_wrapping_fs.hpp"

namespace ftpsim::sim::test {

class BlockingCommits : public UploadWrappingFileSystem {
public:
    explicit BlockingCommits(FileSystem& inner) : UploadWrappingFileSystem(inner) {}

    std::function<void()> before_commit;  // set before the session starts; may block
    std::atomic<int> commits{0};          // commit() calls so far


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
    std::unique_ptr<UploadSink> wrap(std::unique_ptr<UploadSink> sink, FsError&) override {
        if (!sink) return nullptr;
        return std::make_unique<Sink>(std::move(sink), *this);
    }
};

}  // namespace ftpsim::sim::test
