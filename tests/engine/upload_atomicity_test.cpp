// Data is never lost (issue 13): STOR over an existing file, APPE, REST+STOR and STOU, each
// completed, aborted (ABOR), reset (on_data_failed), never connected (data_connect_timeout)
// and stopped by a full disk or a used-up quota, on the in-memory tree and on a real
// directory. A completed upload replaces (or extends) the file and gets 226; any other end
// leaves the old bytes as they were, no temporary behind, and a reply that says what happened
// (426, 425, 452, 552; RFC 959 §4.2).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/server_harness.hpp"
#include "engine/upload_failure_injection.hpp"
#include "sim/fs/real_file_system.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim {
namespace {

namespace stdfs = std::filesystem;

constexpr const char* kOriginal = "original content\n";  // 17 bytes
constexpr const char* kUpload = "NEW";

enum class Backend { kMemory, kReal };

// One upload command and what a completed upload leaves.
struct Command {
    const char* name;
    const char* before;   // a command that precedes it ("" for none)
    const char* line;
    const char* written;  // where the bytes land
    const char* after;    // that file's content on success
};

const Command kCommands[] = {
    {"StorOverExisting", "", "STOR /in/keep.txt", "/in/keep.txt", "NEW"},
    {"Appe", "", "APPE /in/keep.txt", "/in/keep.txt", "original content\nNEW"},
    {"RestStor", "REST 4", "STOR /in/keep.txt", "/in/keep.txt", "origNEWl content\n"},
    {"Stou", "", "STOU /in/keep.txt", "/in/keep.txt.1", "NEW"},
};

class UploadAtomicity : public ::testing::TestWithParam<std::tuple<Backend, int>> {
protected:
    void SetUp() override {
        if (backend() == Backend::kReal) {
            std::random_device rd;
            base_ = stdfs::temp_directory_path() /
                    ("ftpsim-upload-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
            stdfs::create_directories(base_ / "in");
            std::ofstream(base_ / "in" / "keep.txt", std::ios::binary) << kOriginal;
            real_ = std::make_unique<RealFileSystem>(base_.string());
            ASSERT_TRUE(real_->ok());
            h.fs = real_.get();
        } else {
            h.memfs.add_file("/in/keep.txt", kOriginal);
        }
    }
    void TearDown() override {
        h.session.reset();
        real_.reset();
        if (!base_.empty()) {
            std::error_code ec;
            stdfs::remove_all(base_, ec);
        }
    }

    Backend backend() const { return std::get<0>(GetParam()); }
    const Command& command() const { return kCommands[std::get<1>(GetParam())]; }

    void start(Personality p = Personality::kNeutral) {
        h.config.personality = p;
        h.start_logged_in();
        h.send("TYPE I");
        EXPECT_EQ(h.next_code(), 200);
    }

    // PASV, connection, the command (and its REST): the data channel, after the 150.
    ChannelId begin_upload() {
        const ChannelId id = h.pasv();
        h.connect(id);
        send_command();
        EXPECT_EQ(h.next_code(), 150);
        return id;
    }
    void send_command() {
        if (*command().before != '\0') {
            h.send(command().before);
            EXPECT_EQ(h.next_code(), 350);
        }
        h.send(command().line);
    }

    // A file's bytes (nullopt: absent), straight from where the backend keeps them.
    std::optional<std::string> content(const std::string& path) {
        if (backend() == Backend::kMemory) return h.memfs.content(path);
        const stdfs::path p = base_ / path.substr(1);
        if (!stdfs::exists(p)) return std::nullopt;
        return testsupport::read_file(p);
    }
    // Every entry of /in, hidden ones included (on disk: what `ls -a` would show).
    std::vector<std::string> entries() {
        std::vector<std::string> names;
        if (backend() == Backend::kReal) {
            for (const auto& e : stdfs::directory_iterator(base_ / "in")) {
                names.push_back(e.path().filename().string());
            }
            std::sort(names.begin(), names.end());
            return names;
        }
        FsError err;
        for (const FileInfo& info : h.memfs.list("/in", err)) names.push_back(info.name);
        return names;
    }
    // Nothing changed: the original byte for byte, and no other entry (no temporary, no STOU
    // file).
    void expect_untouched() {
        EXPECT_EQ(content("/in/keep.txt"), std::optional<std::string>(kOriginal));
        EXPECT_EQ(entries(), std::vector<std::string>{"keep.txt"});
    }

    test::ServerHarness h;
    stdfs::path base_;
    std::unique_ptr<RealFileSystem> real_;
};

TEST_P(UploadAtomicity, CompletedUploadIsInPlaceOnlyAt226) {
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    // Mid-upload the old file is all a client can see: no partial file under any name. (On a
    // real directory the upload's hidden temporary is there, and left out of listings.)
    EXPECT_EQ(content("/in/keep.txt"), std::optional<std::string>(kOriginal));
    FsError err;
    const std::vector<FileInfo> listed = h.fs->list("/in", err);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].name, "keep.txt");
    EXPECT_EQ(entries().size(), backend() == Backend::kReal ? 2u : 1u);
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(content(command().written), std::optional<std::string>(command().after));
    std::vector<std::string> expected{"keep.txt"};
    if (std::string(command().written) != "/in/keep.txt") {
        expected.push_back("keep.txt.1");
        EXPECT_EQ(content("/in/keep.txt"), std::optional<std::string>(kOriginal));
    }
    EXPECT_EQ(entries(), expected);
}

TEST_P(UploadAtomicity, AborLeavesTheOldFile) {
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    h.send("ABOR");
    EXPECT_EQ(h.next_line(), "426 Connection closed; transfer aborted.");
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_TRUE(h.channels[id].reset);
    expect_untouched();
}

TEST_P(UploadAtomicity, ResetDataConnectionLeavesTheOldFile) {
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    h.session->on_data_failed(id, "connection reset by peer", h.now);
    h.pump();
    EXPECT_EQ(h.next_code(), 426);
    expect_untouched();
    h.send("NOOP");  // the session goes on
    EXPECT_EQ(h.next_code(), 200);
}

TEST_P(UploadAtomicity, NoDataConnectionInTimeLeavesTheOldFile) {
    start();
    h.pasv();
    send_command();  // the sink is open from here on, waiting for a connection
    EXPECT_TRUE(h.no_reply());
    h.advance(h.config.data_connect_timeout);
    EXPECT_EQ(h.next_code(), 425);
    expect_untouched();
}

TEST_P(UploadAtomicity, ControlConnectionLostLeavesTheOldFile) {
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    h.session->on_control_closed(h.now);
    h.pump();
    EXPECT_TRUE(h.control_closed);
    h.session.reset();
    expect_untouched();
}

TEST_P(UploadAtomicity, FullDiskAnswers452AndLeavesTheOldFile) {
    std::unique_ptr<test::FailingUploads> failing;
    if (backend() == Backend::kMemory) {
        h.memfs.set_capacity(std::string(kOriginal).size() + 1);  // room for one byte more
    } else {
        failing = std::make_unique<test::FailingUploads>(*real_, 1, FsError::kNoSpace);
        h.fs = failing.get();
    }
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    EXPECT_EQ(h.next_line(), "452 Requested action not taken. Insufficient storage space in system.");
    EXPECT_TRUE(h.channels[id].closed);
    expect_untouched();
    h.session.reset();  // before `failing` goes
}

TEST_P(UploadAtomicity, UsedUpQuotaAnswers552AndLeavesTheOldFile) {
    FileSystem& inner = backend() == Backend::kMemory ? static_cast<FileSystem&>(h.memfs) : *real_;
    test::FailingUploads failing(inner, 0, FsError::kQuota);
    h.fs = &failing;
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    const ftp::Reply r = h.next();
    EXPECT_EQ(r.code, 552);
    test::ServerHarness::expect_allowed(std::string(command().line).substr(0, 4), r);  // RFC 959 §5.4
    expect_untouched();
    h.session.reset();
}

TEST_P(UploadAtomicity, VsftpdSaysFullDiskAs451LikeVsftpd) {
    test::FailingUploads failing(
        backend() == Backend::kMemory ? static_cast<FileSystem&>(h.memfs) : *real_, 0,
        FsError::kNoSpace);
    h.fs = &failing;
    start(Personality::kVsftpd);
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    EXPECT_EQ(h.next_line(), "451 Failure writing to local file.");
    expect_untouched();
    h.session.reset();
}

TEST_P(UploadAtomicity, StorageFullBeforeTheFirstByteAnswers452Without150) {
    FileSystem& inner = backend() == Backend::kMemory ? static_cast<FileSystem&>(h.memfs) : *real_;
    test::FailingUploads failing(inner, 0, FsError::kNoSpace);
    failing.fail_at_open = true;
    h.fs = &failing;
    start();
    h.pasv();
    send_command();
    const ftp::Reply r = h.next();
    EXPECT_EQ(r.code, 452);
    test::ServerHarness::expect_allowed(std::string(command().line).substr(0, 4), r);  // RFC 959 §5.4
    expect_untouched();
    h.session.reset();
}

class StouAtomicity : public UploadAtomicity {};

TEST_P(StouAtomicity, NeverReplacesAFileThatAppearedMeanwhile) {
    ASSERT_STREQ(command().name, "Stou");
    start();
    const ChannelId id = begin_upload();
    h.upload(id, kUpload);
    // Another session's STOU picked the same free name and finished first.
    if (backend() == Backend::kMemory) {
        h.memfs.add_file("/in/keep.txt.1", "theirs");
    } else {
        std::ofstream(base_ / "in" / "keep.txt.1", std::ios::binary) << "theirs";
    }
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 451);  // not in place: said so, never over the other file
    EXPECT_EQ(content("/in/keep.txt.1"), std::optional<std::string>("theirs"));
    EXPECT_EQ(content("/in/keep.txt"), std::optional<std::string>(kOriginal));
    EXPECT_EQ(entries(), (std::vector<std::string>{"keep.txt", "keep.txt.1"}));
}

INSTANTIATE_TEST_SUITE_P(
    Uploads, UploadAtomicity,
    ::testing::Combine(::testing::Values(Backend::kMemory, Backend::kReal),
                       ::testing::Range(0, static_cast<int>(std::size(kCommands)))),
    [](const ::testing::TestParamInfo<std::tuple<Backend, int>>& info) {
        return std::string(std::get<0>(info.param) == Backend::kMemory ? "Memory" : "RealFs") +
               kCommands[std::get<1>(info.param)].name;
    });

INSTANTIATE_TEST_SUITE_P(
    Uploads, StouAtomicity,
    ::testing::Combine(::testing::Values(Backend::kMemory, Backend::kReal), ::testing::Values(3)),
    [](const ::testing::TestParamInfo<std::tuple<Backend, int>>& info) {
        return std::string(std::get<0>(info.param) == Backend::kMemory ? "Memory" : "RealFs");
    });

}  // namespace
}  // namespace ftpsim::sim
