// An upload whose commit blocks (fsync and rename on a real disk) is handed to the driver as
// CommitUpload, so that a server running many sessions on one thread can do it elsewhere: the
// 226 waits for on_upload_committed, commands wait with it (ABOR included: the transfer is
// complete, RFC 959 §4.1.3), a failed commit answers as the error says, and a session that
// ended meanwhile ignores the result. A real directory's sinks take this path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "engine/server_harness.hpp"
#include "sim/fs/real_file_system.hpp"
#include "support/blocking_commit_fs.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim {
namespace {

class UploadCommit : public test::TransferFixture {
protected:
    void SetUp() override {
        TransferFixture::SetUp();
        h.fs = &blocking;
        h.auto_commit = false;
    }
    // PASV, STOR, the bytes, the client's close: the data channel, the commit held.
    ChannelId upload(const std::string& path, const std::string& bytes) {
        const ChannelId id = h.pasv();
        h.connect(id);
        h.send("STOR " + path);
        EXPECT_EQ(h.next_code(), 150);
        h.upload(id, bytes);
        h.client_closes(id);
        return id;
    }
    test::BlockingCommits blocking{h.memfs};
};

TEST_F(UploadCommit, The226WaitsForTheCommitAndCommandsWaitWithIt) {
    start();
    const ChannelId id = upload("/incoming/a.bin", "payload");
    ASSERT_EQ(h.commits.size(), 1u);
    EXPECT_EQ(h.commits[0].id, id);
    EXPECT_EQ(blocking.commits, 0) << "the engine committed by itself";
    EXPECT_TRUE(h.no_reply()) << "no 226 before the file is in place";
    EXPECT_FALSE(h.memfs.stat("/incoming/a.bin"));
    EXPECT_FALSE(h.channels[id].closed) << "the data connection stays until the commit";
    h.send("NOOP");
    EXPECT_TRUE(h.no_reply()) << "NOOP is answered after the STOR, not before";

    h.commit_next();
    EXPECT_EQ(blocking.commits, 1);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.next_code(), 200);
    EXPECT_TRUE(h.channels[id].closed);
    EXPECT_EQ(h.memfs.content("/incoming/a.bin"), "payload");
}

TEST_F(UploadCommit, AFailedCommitAnswersAsTheErrorSaysAndChangesNothing) {
    start();
    upload("/incoming/full.bin", "payload");
    h.commit_next(FsError::kNoSpace);  // the sink itself is dropped uncommitted
    EXPECT_EQ(h.next_code(), 452);
    EXPECT_FALSE(h.memfs.stat("/incoming/full.bin"));
    h.send("NOOP");
    EXPECT_EQ(h.next_code(), 200);
}

TEST_F(UploadCommit, AborDuringTheCommitComesAfterThe226) {
    start();
    upload("/incoming/b.bin", "payload");
    h.send("ABOR");
    EXPECT_TRUE(h.no_reply()) << "the upload is complete: ABOR cannot undo it";
    h.commit_next();
    EXPECT_EQ(h.next_code(), 226);  // STOR
    EXPECT_EQ(h.next_code(), 225);  // ABOR: no transfer to abort
    EXPECT_EQ(h.memfs.content("/incoming/b.bin"), "payload");
}

TEST_F(UploadCommit, NoTimeoutFiresWhileTheCommitRuns) {
    h.config.data_connect_timeout = 1 * kSecond;
    h.config.idle_timeout = 2 * kSecond;
    start();
    upload("/incoming/c.bin", "payload");
    h.advance(10 * kSecond);  // a slow disk
    EXPECT_TRUE(h.no_reply());
    EXPECT_FALSE(h.control_closed);
    h.commit_next();
    EXPECT_EQ(h.next_code(), 226);
}

TEST_F(UploadCommit, ASessionThatEndedIgnoresTheResult) {
    start();
    upload("/incoming/d.bin", "payload");
    h.session->on_control_closed(h.now);
    h.pump();
    h.commit_next();  // the driver still finishes the job; the session says nothing more
    EXPECT_TRUE(h.no_reply());
}

// A real directory's sinks block: the same path, auto-committed by the harness.
TEST(UploadCommitRealDirectory, SinksOfARealDirectoryGoThroughCommitUpload) {
    std::random_device rd;
    const auto base = std::filesystem::temp_directory_path() /
                      ("ftpsim-commit-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(base);
    {
        RealFileSystem real(base.string());
        ASSERT_TRUE(real.ok());
        test::ServerHarness h;
        h.fs = &real;
        h.start_logged_in();
        const ChannelId id = h.pasv();
        h.connect(id);
        h.send("STOR up.bin");
        EXPECT_EQ(h.next_code(), 150);
        h.upload(id, "on disk");
        h.client_closes(id);
        EXPECT_EQ(h.next_code(), 226);
        const auto commits = std::count_if(h.actions.begin(), h.actions.end(), [](const Action& a) {
            return std::holds_alternative<CommitUpload>(a);
        });
        EXPECT_EQ(commits, 1);
        EXPECT_EQ(testsupport::read_file((base / "up.bin").string()), "on disk");
    }
    std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace ftpsim::sim
