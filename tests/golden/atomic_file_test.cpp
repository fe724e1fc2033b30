// golden/atomic_file: the path holds the old bytes or all the new ones, never a part; and no
// failure leaves a temporary file behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
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

// 4194305 is above the kernel's largest pid_max: no process has it.
constexpr const char* kDeadPid = "4194305";

TEST_F(AtomicFileTest, TheTemporaryIsHiddenSaysPartialAndWhose) {
    const std::string path = (dir_ / "run.log").string();
    AtomicFile file(path);
    const std::string prefix = ".run.log.partial." + std::to_string(::getpid()) + ".";
    const std::string name = fs::path(file.temp_path()).filename().string();
    EXPECT_EQ(name.rfind(prefix, 0), 0u) << name;
    EXPECT_EQ(name.substr(prefix.size()).find_first_not_of("0123456789"), std::string::npos) << name;
}

// What SIGKILL does to a writer: no destructor, no handler. The old file stays whole, and the
// one thing left is a temporary that the next run removes since its owner is gone.
TEST_F(AtomicFileTest, AWriterKilledMidWriteLeavesTheOldFileAndARemovableTemporary) {
    const std::string path = (dir_ / "x.golden").string();
    write_file_atomically(path, "old and complete");
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        AtomicFile file(path);
        file.write("new but only half");
        ::raise(SIGKILL);
        ::_exit(1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    EXPECT_EQ(read_file(path), "old and complete");
    std::set<std::string> names = entries();
    ASSERT_EQ(names.size(), 2u);
    ASSERT_EQ(names.erase("x.golden"), 1u);
    const std::string left = *names.begin();
    EXPECT_EQ(left.rfind(".x.golden.partial." + std::to_string(child) + ".", 0), 0u) << left;

    EXPECT_EQ(remove_abandoned_partials(dir_.string()), std::vector<std::string>{left});
    EXPECT_EQ(entries(), std::set<std::string>{"x.golden"});
    EXPECT_EQ(read_file(path), "old and complete");
}

// A killed process whose parent has not reaped it yet is a zombie: it writes nothing more.
TEST_F(AtomicFileTest, AZombieOwnersTemporaryIsRemoved) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(0);
    // Not reaped: it stays a zombie until waitpid below (its exit takes a moment to show).
    for (int i = 0; i < 200; ++i) {
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == child)
            break;
        ::usleep(5000);
    }
    const std::string left = ".x.pcap.partial." + std::to_string(child) + ".0";
    std::ofstream(dir_ / left) << "half";
    const auto removed = remove_abandoned_partials(dir_.string());
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(removed, std::vector<std::string>{left});
    EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, OnlyTemporariesOfDeadProcessesAreRemoved) {
    const std::string dead = std::string(".a.pcap.partial.") + kDeadPid + ".3";
    const std::string live = ".b.pcap.partial." + std::to_string(::getpid()) + ".0";
    // Not temporaries of ours, whatever they look like: kept.
    const std::set<std::string> others{"a.pcap",
                                       std::string("a.pcap.partial.") + kDeadPid + ".3",  // not hidden
                                       std::string(".partial.") + kDeadPid + ".3",        // no name
                                       std::string(".a.pcap.tmp.") + kDeadPid + ".3",
                                       std::string(".a.pcap.partial.") + kDeadPid,
                                       std::string(".a.pcap.partial.x") + kDeadPid + ".3",
                                       ".a.pcap.partial.0.1"};
    for (const auto& n : others) std::ofstream(dir_ / n) << "x";
    std::ofstream(dir_ / dead) << "half";
    std::ofstream(dir_ / live) << "being written";
    fs::create_directories(dir_ / "sub");
    std::ofstream(dir_ / "sub" / dead) << "half";  // only the directory itself is looked at

    EXPECT_EQ(remove_abandoned_partials(dir_.string()), std::vector<std::string>{dead});
    std::set<std::string> kept = others;
    kept.insert(live);
    kept.insert("sub");
    EXPECT_EQ(entries(), kept);
    EXPECT_TRUE(fs::exists(dir_ / "sub" / dead));
    EXPECT_TRUE(remove_abandoned_partials((dir_ / "missing").string()).empty());
}

}  // namespace
}  // namespace ftpsim::golden
