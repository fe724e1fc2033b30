// RealFileSystem uploads through a temporary renamed over the target (sim/fs/atomic_upload):
// the temporary is hidden from listings (one a crash left behind too), removed when the upload
// is abandoned, the replacement keeps the file's permissions, a name of NAME_MAX bytes still
// gets a temporary, and a real full file system (a 64 KiB tmpfs in a private mount namespace)
// gives kNoSpace with the original intact, at the first write or, for APPE, at the open.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <random>

#include "engine/server_harness.hpp"
#include "sim/fs/atomic_upload.hpp"
#include "sim/fs/real_file_system.hpp"
#include "support/ci.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim {
namespace {

namespace stdfs = std::filesystem;

class RealFsUpload : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        base_ = stdfs::temp_directory_path() /
                ("ftpsim-rfu-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        stdfs::create_directories(base_);
        put("keep.txt", "old bytes");
        fs_ = std::make_unique<RealFileSystem>(base_.string());
        ASSERT_TRUE(fs_->ok());
    }
    void TearDown() override {
        fs_.reset();
        std::error_code ec;
        stdfs::remove_all(base_, ec);
    }
    void put(const std::string& name, const std::string& bytes) {
        std::ofstream(base_ / name, std::ios::binary) << bytes;
    }
    std::vector<std::string> on_disk() const {
        std::vector<std::string> names;
        for (const auto& e : stdfs::directory_iterator(base_)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
    std::vector<std::string> listed() const {
        FsError err;
        std::vector<std::string> names;
        for (const FileInfo& info : fs_->list("/", err)) names.push_back(info.name);
        return names;
    }

    stdfs::path base_;
    std::unique_ptr<RealFileSystem> fs_;
};

TEST(UploadTemporaryName, RecognisesOnlyTheUploadsOwnNames) {
    EXPECT_TRUE(is_upload_temporary(".a.txt.ftpsim-upload-Ab12Cd"));
    EXPECT_TRUE(is_upload_temporary("..ftpsim-upload-XXXXXX"));
    EXPECT_FALSE(is_upload_temporary("a.txt.ftpsim-upload-Ab12Cd"));   // not hidden
    EXPECT_FALSE(is_upload_temporary(".a.txt.ftpsim-upload-Ab12C"));   // five characters
    EXPECT_FALSE(is_upload_temporary(".a.txt.ftpsim-upload-Ab12Cd1"));  // seven
    EXPECT_FALSE(is_upload_temporary(".hidden"));
    EXPECT_EQ(upload_error_from_errno(ENOSPC), FsError::kNoSpace);
    EXPECT_EQ(upload_error_from_errno(EDQUOT), FsError::kQuota);
    EXPECT_EQ(upload_error_from_errno(EIO), FsError::kIo);
}

TEST_F(RealFsUpload, TemporaryIsHiddenAndRemovedWhenAbandoned) {
    put(".profile", "a dotfile of the user's: listed as before");
    FsError err;
    auto sink = fs_->write("/keep.txt", false, err);
    ASSERT_TRUE(sink);
    ASSERT_EQ(sink->write(test::bytes_of("new bytes, never committed")), FsError::kNone);
    const std::vector<std::string> during = on_disk();
    ASSERT_EQ(during.size(), 3u);
    EXPECT_TRUE(is_upload_temporary(during[0])) << during[0];
    EXPECT_EQ(listed(), (std::vector<std::string>{".profile", "keep.txt"}));
    sink.reset();
    EXPECT_EQ(on_disk(), (std::vector<std::string>{".profile", "keep.txt"}));
    EXPECT_EQ(testsupport::read_file(base_ / "keep.txt"), "old bytes");
}

TEST_F(RealFsUpload, TemporaryLeftByACrashStaysHidden) {
    put(".keep.txt.ftpsim-upload-Zz9Yy8", "half an upload");
    EXPECT_EQ(listed(), std::vector<std::string>{"keep.txt"});
    EXPECT_FALSE(fs_->stat("/.keep.txt.ftpsim-upload-Zz9Yy8"));  // SIZE, MDTM, RETR: 550
}

TEST_F(RealFsUpload, ReplacementKeepsThePermissionsAndCommitsOnce) {
    ASSERT_EQ(::chmod((base_ / "keep.txt").c_str(), 0640), 0);
    FsError err;
    auto sink = fs_->write("/keep.txt", false, err);
    ASSERT_TRUE(sink);
    ASSERT_EQ(sink->write(test::bytes_of("replaced")), FsError::kNone);
    ASSERT_EQ(sink->commit(), FsError::kNone);
    EXPECT_NE(sink->commit(), FsError::kNone);  // at most once
    EXPECT_NE(sink->write(test::bytes_of("more")), FsError::kNone);
    sink.reset();  // a committed sink's destruction removes nothing
    EXPECT_EQ(testsupport::read_file(base_ / "keep.txt"), "replaced");
    struct stat st {};
    ASSERT_EQ(::stat((base_ / "keep.txt").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
    EXPECT_EQ(on_disk(), std::vector<std::string>{"keep.txt"});
}

TEST_F(RealFsUpload, TargetReplacedByADirectoryMeanwhileFailsTheCommit) {
    FsError err;
    auto sink = fs_->write("/new.txt", false, err);
    ASSERT_TRUE(sink);
    stdfs::create_directory(base_ / "new.txt");
    stdfs::create_directory(base_ / "new.txt" / "sub");  // rename(2) over it: EISDIR/ENOTEMPTY
    EXPECT_NE(sink->commit(), FsError::kNone);
    sink.reset();
    EXPECT_TRUE(stdfs::is_directory(base_ / "new.txt" / "sub"));
    EXPECT_EQ(on_disk(), (std::vector<std::string>{"keep.txt", "new.txt"}));
}

TEST_F(RealFsUpload, CreateNeverReplacesAFile) {
    FsError err;
    EXPECT_FALSE(fs_->create("/keep.txt", err));
    EXPECT_EQ(err, FsError::kExists);
    // Another session's STOU takes the name while this one uploads: this commit fails and
    // the other file stays.
    auto sink = fs_->create("/unique.1", err);
    ASSERT_TRUE(sink);
    ASSERT_EQ(sink->write(test::bytes_of("mine")), FsError::kNone);
    put("unique.1", "theirs");
    EXPECT_EQ(sink->commit(), FsError::kExists);
    sink.reset();
    EXPECT_EQ(testsupport::read_file(base_ / "unique.1"), "theirs");
    EXPECT_EQ(on_disk(), (std::vector<std::string>{"keep.txt", "unique.1"}));
    // Without a rival it lands as any upload.
    sink = fs_->create("/unique.2", err);
    ASSERT_TRUE(sink);
    ASSERT_EQ(sink->write(test::bytes_of("two")), FsError::kNone);
    EXPECT_EQ(sink->commit(), FsError::kNone);
    EXPECT_EQ(testsupport::read_file(base_ / "unique.2"), "two");
}

TEST_F(RealFsUpload, LongestNameStillGetsATemporary) {
    const std::string name(NAME_MAX, 'n');
    FsError err;
    auto sink = fs_->write("/" + name, false, err);
    ASSERT_TRUE(sink) << static_cast<int>(err);
    ASSERT_EQ(sink->write(test::bytes_of("x")), FsError::kNone);
    ASSERT_EQ(sink->commit(), FsError::kNone);
    EXPECT_EQ(testsupport::read_file(base_ / name), "x");
}

// ---- a real full file system ----

// In a forked child (so that the mount namespace and the id maps are its own): a private mount
// namespace (root: plain CLONE_NEWNS; otherwise inside a user namespace mapping us to root),
// a 64 KiB tmpfs on `dir`, and the checks. The exit status names the first check that failed.
int full_tmpfs_child(const std::string& dir) {
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (uid != 0) {
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return 100;
        std::ofstream("/proc/self/setgroups") << "deny";
        std::ofstream("/proc/self/uid_map") << "0 " << uid << " 1";
        std::ofstream("/proc/self/gid_map") << "0 " << gid << " 1";
    } else if (::unshare(CLONE_NEWNS) != 0) {
        return 100;
    }
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 101;
    if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") != 0) return 102;

    const std::string small(4096, 's');
    const std::string big(40 * 1024, 'b');
    std::ofstream(dir + "/small.bin", std::ios::binary) << small;
    std::ofstream(dir + "/big.bin", std::ios::binary) << big;
    RealFileSystem fs(dir);
    if (!fs.ok()) return 1;
    const auto only_originals = [&] {
        std::vector<std::string> names;
        for (const auto& e : stdfs::directory_iterator(dir)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names == std::vector<std::string>{"big.bin", "small.bin"} &&
               testsupport::read_file(dir + "/small.bin") == small &&
               testsupport::read_file(dir + "/big.bin") == big;
    };
    // STOR over small.bin with more than the file system holds: ENOSPC at some write.
    FsError err;
    auto sink = fs.write("/small.bin", false, err);
    if (!sink) return 2;
    const std::string chunk(8192, 'n');
    FsError written = FsError::kNone;
    for (int i = 0; i < 64 && written == FsError::kNone; ++i) written = sink->write(test::bytes_of(chunk));
    if (written != FsError::kNoSpace) return 3;
    sink.reset();
    if (!only_originals()) return 4;
    // APPE to big.bin: the copy of its 40 KiB does not fit beside it.
    auto append = fs.write("/big.bin", true, err);
    if (append || err != FsError::kNoSpace) return 5;
    if (!only_originals()) return 6;
    return 0;
}

TEST_F(RealFsUpload, RealFullFileSystemGivesNoSpaceAndKeepsTheOriginals) {
    stdfs::create_directory(base_ / "small");
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) ::_exit(full_tmpfs_child((base_ / "small").string()));
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    const int code = WEXITSTATUS(status);
    if (code >= 100) {
        const std::string why = "cannot mount a small tmpfs here (step " + std::to_string(code) +
                                ": needs root or unprivileged user namespaces)";
        if (testsupport::in_ci()) FAIL() << why;
        GTEST_SKIP() << why;
    }
    const char* const checks[] = {
        "", "RealFileSystem on the tmpfs", "opening the STOR", "ENOSPC reported as kNoSpace",
        "original and no temporary after the failed STOR", "APPE refused with kNoSpace at the open",
        "original and no temporary after the refused APPE"};
    EXPECT_EQ(code, 0) << "failed: " << (code < 7 ? checks[code] : "?");
}

}  // namespace
}  // namespace ftpsim::sim
