// golden/atomic_file: the path holds the old bytes or all the new ones, never a part; and no
// failure leaves a temporary file behind.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>

#include "golden/atomic_file.hpp"
#include "support/read_file.hpp"

namespace ftpsim::golden {
namespace {

namespace fs = std::filesystem;
using testsupport::read_file;

class AtomicFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim_atomic_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // The names in the directory: a temporary left behind shows here.
    std::set<std::string> entries() const {
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
        return names;
    }

    fs::path dir_;
};

TEST_F(AtomicFileTest, WritesANewFileAndReplacesAnOldOne) {
    const std::string path = (dir_ / "report.xml").string();
    write_file_atomically(path, "first");
    EXPECT_EQ(read_file(path), "first");
    write_file_atomically(path, "second, longer");
    EXPECT_EQ(read_file(path), "second, longer");
    EXPECT_EQ(entries(), std::set<std::string>{"report.xml"});
}

TEST_F(AtomicFileTest, NothingAppearsBeforeTheCommit) {
    const std::string path = (dir_ / "x.golden").string();
    AtomicFile file(path);
    file.write("part");
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(fs::path(file.temp_path()).parent_path(), dir_);  // same file system: rename is atomic
    file.write(" and the rest");
    file.commit();
    EXPECT_EQ(read_file(path), "part and the rest");
    EXPECT_EQ(entries(), std::set<std::string>{"x.golden"});
}

TEST_F(AtomicFileTest, AbandonedWriteLeavesNoTargetAndNoTemporary) {
    const std::string path = (dir_ / "x.pcap.sha256").string();
    try {
        AtomicFile file(path);
        file.write("half of it");
        throw std::runtime_error("the writer failed");
    } catch (const std::runtime_error&) {
    }
    EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, AbandonedWriteKeepsTheOldFile) {
    const std::string path = (dir_ / "old.golden").string();
    write_file_atomically(path, "old");
    {
        AtomicFile file(path);
        file.write("new");
    }
    EXPECT_EQ(read_file(path), "old");
    EXPECT_EQ(entries(), std::set<std::string>{"old.golden"});
}

TEST_F(AtomicFileTest, FailedRenameLeavesNoTemporary) {
    // A non-empty directory where the file should go: rename(2) refuses to replace it.
    fs::create_directories(dir_ / "busy" / "inside");
    EXPECT_THROW(write_file_atomically((dir_ / "busy").string(), "bytes"), std::runtime_error);
    EXPECT_EQ(entries(), std::set<std::string>{"busy"});
    EXPECT_TRUE(fs::is_directory(dir_ / "busy" / "inside"));
}

TEST_F(AtomicFileTest, MissingDirectoryFailsNamingThePath) {
    const std::string path = (dir_ / "no" / "such" / "file").string();
    try {
        write_file_atomically(path, "bytes");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, AWriterOpeningTheTemporaryByNameIsPublishedByCommit) {
    const std::string path = (dir_ / "copy.pcap").string();
    AtomicFile file(path);
    std::ofstream(file.temp_path(), std::ios::binary) << "written by another library";
    file.commit();
    EXPECT_EQ(read_file(path), "written by another library");
    EXPECT_EQ(entries(), std::set<std::string>{"copy.pcap"});
}

TEST_F(AtomicFileTest, NoReplaceRefusesAnExistingFileAndKeepsIt) {
    const std::string path = (dir_ / "local.bin").string();
    write_file_atomically(path, "mine");
    AtomicFile file(path, AtomicFile::Replace::kNo);
    file.write("theirs");
    EXPECT_THROW(file.commit(), std::runtime_error);
    EXPECT_EQ(read_file(path), "mine");
    EXPECT_EQ(entries(), std::set<std::string>{"local.bin"});

    const std::string fresh = (dir_ / "new.bin").string();
    AtomicFile created(fresh, AtomicFile::Replace::kNo);
    created.write("new");
    created.commit();
    EXPECT_EQ(read_file(fresh), "new");
}

}  // namespace
}  // namespace ftpsim::golden
