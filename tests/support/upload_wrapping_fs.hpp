// A FileSystem that forwards every call to another and hands each upload's sink to wrap(): the
// base of the test file systems that change what uploads do (FailingUploads: a full disk;
// BlockingCommits: a commit that blocks like fsync), so that each says only that.
#pragma once

#include <memory>
#include <string>

#include "sim/engine/file_system.hpp"

namespace ftpsim::sim::test {

class UploadWrappingFileSystem : public FileSystem {
public:
    explicit UploadWrappingFileSystem(FileSystem& inner) : inner_(inner) {}

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

protected:
    // The sink the upload gets, given the inner file system's (null when it refused, with `err`
    // set; the wrapper may refuse too, setting `err`).
    virtual std::unique_ptr<UploadSink> wrap(std::unique_ptr<UploadSink> sink, FsError& err) = 0;

    FileSystem& inner_;
};

}  // namespace ftpsim::sim::test
