// A FileSystem that forwards to another and makes uploads fail as a full disk (or a used-up
// quota) would: the first write() past `room` bytes answers `error` instead of storing. The
// real file system's own sink is then dropped uncommitted, exactly as after a real ENOSPC, so
// the test sees its clean-up without needing a small mounted file system.
#pragma once

#include <memory>
#include <string>

#include "sim/engine/file_system.hpp"
#include "support/upload_wrapping_fs.hpp"

namespace ftpsim::sim::test {

class FailingUploads : public UploadWrappingFileSystem {
public:
    // The failure comes at the open, before any byte (a file system that cannot even hold the
    // copy an APPE starts from).
    bool fail_at_open = false;

    FailingUploads(FileSystem& inner, std::uint64_t room, FsError error)
        : UploadWrappingFileSystem(inner), room_(room), error_(error) {}

private:
    class Sink : public UploadSink {
    public:
        Sink(std::unique_ptr<UploadSink> inner, std::uint64_t room, FsError error)
            : inner_(std::move(inner)), room_(room), error_(error) {}
        FsError write(std::span<const std::uint8_t> bytes) override {
            if (bytes.size() > room_) return error_;
            room_ -= bytes.size();
            return inner_->write(bytes);
        }
        FsError commit() override { return inner_->commit(); }
        bool commit_blocks() const override { return inner_->commit_blocks(); }

    private:
        std::unique_ptr<UploadSink> inner_;
        std::uint64_t room_;
        FsError error_;
    };
    std::unique_ptr<UploadSink> wrap(std::unique_ptr<UploadSink> sink, FsError& err) override {
        if (!sink) return nullptr;
        if (fail_at_open) {
            err = error_;
            return nullptr;  // the inner sink is dropped: nothing is left behind
        }
        return std::make_unique<Sink>(std::move(sink), room_, error_);
    }

    std::uint64_t room_;
    FsError error_;
};

}  // namespace ftpsim::sim::test
