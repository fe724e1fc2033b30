// A FileSystem that forwards to another and makes uploads fail as a full disk (or a used-up
// quota) would: the first write() past `room` bytes answers `error` instead of storing. The
// real file system's own sink is then dropped uncommitted, exactly as after a real ENOSPC, so
// the test sees its clean-up without needing a small mounted file system.
#pragma once

#include <memory>
#include <string>

#include "sim/engine/file_system.hpp"

namespace ftpsim::sim::test {

class FailingUploads : public FileSystem {
public:
    // The failure comes at the open, before any byte (a file system that cannot even hold the
    // copy an APPE starts from).
    bool fail_at_open = false;

    FailingUploads(FileSystem& inner, std::uint64_t room, FsError error)
        : inner_(inner), room_(room), error_(error) {}

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
        return wrap(inner_.write(path, append, err), err);
    }
    std::unique_ptr<UploadSink> write_at(const std::string& path, std::uint64_t offset,
                                         FsError& err) override {
        return wrap(inner_.write_at(path, offset, err), err);
    }
    std::unique_ptr<UploadSink> create(const std::string& path, FsError& err) override {
        return wrap(inner_.create(path, err), err);
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
    std::unique_ptr<UploadSink> wrap(std::unique_ptr<UploadSink> sink, FsError& err) {
        if (!sink) return nullptr;
        if (fail_at_open) {
            err = error_;
            return nullptr;  // the inner sink is dropped: nothing is left behind
        }
        return std::make_unique<Sink>(std::move(sink), room_, error_);
    }

    FileSystem& inner_;
    std::uint64_t room_;
    FsError error_;
};

}  // namespace ftpsim::sim::test
