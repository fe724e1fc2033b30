// RealFileSystem: the real directory confined to its root (.., absolute paths, symlinks out),
// with openat2 and with the realpath fallback, and the server refusing a symlink out of it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "sim/engine/file_system.hpp"
#include "sim/fs/byte_source_io.hpp"
#include "sim/fs/real_file_system.hpp"
#include "engine/server_harness.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim {
namespace {

namespace stdfs = std::filesystem;

// A temporary tree: root/ with files, and outside/ next to it holding a secret.
class RealFileSystemTest : public ::testing::TestWithParam<RealFileSystem::Confinement> {
protected:
    void SetUp() override {
        std::random_device rd;
        base_ = stdfs::temp_directory_path() /
                ("ftpsim-srv-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        stdfs::create_directories(base_ / "root" / "pub");
        stdfs::create_directories(base_ / "outside");
        write(base_ / "root" / "pub" / "hello.txt", "hello\n");
        write(base_ / "outside" / "secret.txt", "secret\n");
        stdfs::create_symlink(base_ / "outside" / "secret.txt", base_ / "root" / "abs-link");
        stdfs::create_symlink("../outside", base_ / "root" / "rel-dir-link");
        stdfs::create_symlink("pub/hello.txt", base_ / "root" / "inside-link");
        fs_ = std::make_unique<RealFileSystem>((base_ / "root").string(), GetParam());
        ASSERT_TRUE(fs_->ok());
    }
    void TearDown() override {
        fs_.reset();
        std::error_code ec;
        stdfs::remove_all(base_, ec);
    }
    static void write(const stdfs::path& p, const std::string& s) {
        std::ofstream(p, std::ios::binary) << s;
    }

    stdfs::path base_;
    std::unique_ptr<RealFileSystem> fs_;
};

TEST_P(RealFileSystemTest, ReadsFilesAsFileSlicesUnderTheRoot) {
    if (GetParam() == RealFileSystem::Confinement::kRealpath) {
        EXPECT_FALSE(fs_->uses_openat2());
    }
    const auto info = fs_->stat("/pub/hello.txt");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->size, 6u);
    FsError err;
    const auto src = fs_->read("/pub/hello.txt", 1, err);
    ASSERT_TRUE(src) << static_cast<int>(err);
    ASSERT_TRUE(std::holds_alternative<FileSlice>(*src));
    const FileSlice& slice = std::get<FileSlice>(*src);
    EXPECT_EQ(slice.path, fs_->root() + "/pub/hello.txt");
    EXPECT_EQ(slice.offset, 1u);
    EXPECT_EQ(slice.length, 5u);
    std::string bytes;
    ASSERT_TRUE(load_bytes(*src, bytes));
    EXPECT_EQ(bytes, "ello\n");
    // A symlink that stays inside is followed, and the slice names the real file.
    const auto via_link = fs_->read("/inside-link", 0, err);
    ASSERT_TRUE(via_link);
    EXPECT_EQ(std::get<FileSlice>(*via_link).path, fs_->root() + "/pub/hello.txt");
    EXPECT_EQ(source_length(*fs_->read_chunk("/pub/hello.txt", 0, 2, err)), 2u);
}

TEST_P(RealFileSystemTest, NothingOutsideTheRootIsReachable) {
    FsError err;
    // Server paths are normalised before they get here, but the file system does not rely on
    // it: a raw "../" is refused too.
    EXPECT_FALSE(fs_->stat("/../outside/secret.txt"));
    EXPECT_FALSE(fs_->read("/../outside/secret.txt", 0, err));
    // An absolute path is relative to the root: /etc/passwd is root/etc/passwd, absent.
    EXPECT_FALSE(fs_->stat("/etc/passwd"));
    // Symlinks pointing out of the root, absolute or relative.
    EXPECT_FALSE(fs_->stat("/abs-link"));
    EXPECT_FALSE(fs_->read("/abs-link", 0, err));
    EXPECT_EQ(err, FsError::kOutsideRoot);
    EXPECT_FALSE(fs_->stat("/rel-dir-link/secret.txt"));
    EXPECT_FALSE(fs_->read("/rel-dir-link/secret.txt", 0, err));
    EXPECT_EQ(err, FsError::kOutsideRoot);
    fs_->list("/rel-dir-link", err);
    EXPECT_EQ(err, FsError::kOutsideRoot);
    // Writing through a symlink is refused, and the target is untouched.
    EXPECT_FALSE(fs_->write("/abs-link", false, err));
    EXPECT_FALSE(fs_->write("/rel-dir-link/new.txt", false, err));
    EXPECT_EQ(testsupport::read_file(base_ / "outside" / "secret.txt"), "secret\n");
    EXPECT_FALSE(stdfs::exists(base_ / "outside" / "new.txt"));
    EXPECT_NE(fs_->make_dir("/rel-dir-link/d"), FsError::kNone);
    EXPECT_NE(fs_->rename("/rel-dir-link/secret.txt", "/stolen.txt"), FsError::kNone);
    EXPECT_NE(fs_->rename("/pub/hello.txt", "/rel-dir-link/planted.txt"), FsError::kNone);
    EXPECT_FALSE(stdfs::exists(base_ / "outside" / "planted.txt"));
    // Removing the link removes the link only.
    EXPECT_EQ(fs_->remove_file("/abs-link"), FsError::kNone);
    EXPECT_TRUE(stdfs::exists(base_ / "outside" / "secret.txt"));
    // The root itself cannot be removed or renamed.
    EXPECT_EQ(fs_->remove_dir("/"), FsError::kPermission);
    EXPECT_EQ(fs_->rename("/", "/x"), FsError::kPermission);
    // A NUL would cut the path short.
    EXPECT_FALSE(fs_->stat(std::string("/pub/hello.txt\0/../x", 20)));
}

TEST_P(RealFileSystemTest, ListingHidesLinksOutOfTheRoot) {
    FsError err;
    const auto entries = fs_->list("/", err);
    ASSERT_EQ(err, FsError::kNone);
    std::vector<std::string> names;
    for (const auto& e : entries) names.push_back(e.name);
    EXPECT_EQ(names, (std::vector<std::string>{"inside-link", "pub"}));
    EXPECT_FALSE(entries[0].directory);
    EXPECT_EQ(entries[0].size, 6u);
}

TEST_P(RealFileSystemTest, UploadsAndTreeChangesLandInTheRoot) {
    FsError err;
    auto sink = fs_->write("/pub/up.bin", false, err);
    ASSERT_TRUE(sink);
    EXPECT_EQ(sink->write(test::bytes_of("0123456789")), FsError::kNone);
    EXPECT_FALSE(stdfs::exists(base_ / "root" / "pub" / "up.bin"));  // not before the commit
    EXPECT_EQ(sink->commit(), FsError::kNone);
    EXPECT_EQ(testsupport::read_file(base_ / "root" / "pub" / "up.bin"), "0123456789");
    auto at = fs_->write_at("/pub/up.bin", 4, err);
    ASSERT_TRUE(at);
    at->write(test::bytes_of("xy"));
    EXPECT_EQ(at->commit(), FsError::kNone);
    EXPECT_EQ(testsupport::read_file(base_ / "root" / "pub" / "up.bin"), "0123xy6789");
    auto app = fs_->write("/pub/up.bin", true, err);
    app->write(test::bytes_of("!"));
    EXPECT_EQ(app->commit(), FsError::kNone);
    EXPECT_EQ(testsupport::read_file(base_ / "root" / "pub" / "up.bin"), "0123xy6789!");
    EXPECT_EQ(fs_->make_dir("/pub/d"), FsError::kNone);
    EXPECT_EQ(fs_->make_dir("/pub/d"), FsError::kExists);
    EXPECT_EQ(fs_->rename("/pub/up.bin", "/pub/d/up.bin"), FsError::kNone);
    EXPECT_EQ(fs_->remove_dir("/pub/d"), FsError::kNotEmpty);
    EXPECT_EQ(fs_->remove_file("/pub/d/up.bin"), FsError::kNone);
    EXPECT_EQ(fs_->remove_dir("/pub/d"), FsError::kNone);
    EXPECT_EQ(fs_->remove_file("/pub/missing"), FsError::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Confinement, RealFileSystemTest,
                         ::testing::Values(RealFileSystem::Confinement::kAuto,
                                           RealFileSystem::Confinement::kRealpath),
                         [](const auto& info) {
                             return info.param == RealFileSystem::Confinement::kAuto ? "Openat2"
                                                                                     : "Realpath";
                         });

TEST(ServerRealFileSystem, ServerRefusesSymlinkOutOfRoot) {
    std::random_device rd;
    const stdfs::path base = stdfs::temp_directory_path() /
                             ("ftpsim-srv-session-" + std::to_string(rd()));
    stdfs::create_directories(base / "root");
    stdfs::create_directories(base / "outside");
    std::ofstream(base / "outside" / "secret.txt") << "secret\n";
    std::ofstream(base / "root" / "ok.txt") << "fine\n";
    stdfs::create_symlink(base / "outside" / "secret.txt", base / "root" / "leak.txt");
    {
        RealFileSystem real((base / "root").string());
        test::ServerHarness h;
        h.fs = &real;
        h.start_logged_in();
        h.send("TYPE I");
        EXPECT_EQ(h.next_code(), 200);
        ChannelId id = h.pasv();
        h.connect(id);
        h.send("RETR ok.txt");
        EXPECT_EQ(h.next_code(), 150);
        EXPECT_EQ(h.next_code(), 226);
        EXPECT_EQ(h.channels[id].received, "fine\n");
        EXPECT_TRUE(h.channels[id].file_slices.at(0));  // the driver can sendfile() it

        for (const char* path : {"leak.txt", "../outside/secret.txt", "/../outside/secret.txt"}) {
            id = h.pasv();
            h.send(std::string("RETR ") + path);
            EXPECT_EQ(h.next_code(), 550) << path;
        }
        h.send("SIZE leak.txt");
        EXPECT_EQ(h.next_code(), 550);
        // TYPE A over a FileSlice: the server reads the slice to convert it.
        h.send("TYPE A");
        h.next();
        id = h.pasv();
        h.connect(id);
        h.send("RETR ok.txt");
        EXPECT_EQ(h.next_code(), 150);
        EXPECT_EQ(h.next_code(), 226);
        EXPECT_EQ(h.channels[id].received, "fine\r\n");
        // The listing leaves the link out; an upload lands on disk.
        id = h.pasv();
        h.connect(id);
        h.send("NLST");
        h.next();
        h.next();
        EXPECT_EQ(h.channels[id].received, "ok.txt\r\n");
        id = h.pasv();
        h.connect(id);
        h.send("STOR up.txt");
        EXPECT_EQ(h.next_code(), 150);
        h.upload(id, "a\r\nb\r\n");
        h.client_closes(id);
        EXPECT_EQ(h.next_code(), 226);
        EXPECT_EQ(testsupport::read_file(base / "root" / "up.txt"), "a\nb\n");
        id = h.pasv();
        h.send("STOR leak.txt");  // never written through the link
        EXPECT_EQ(h.next_code(), 553);
        EXPECT_EQ(testsupport::read_file(base / "outside" / "secret.txt"), "secret\n");
        h.send("CWD ../../..");
        EXPECT_EQ(h.next_code(), 250);
        h.send("PWD");
        EXPECT_EQ(h.next().text, "\"/\" is the current directory.");
    }
    std::error_code ec;
    stdfs::remove_all(base, ec);
}

}  // namespace
}  // namespace ftpsim::sim
