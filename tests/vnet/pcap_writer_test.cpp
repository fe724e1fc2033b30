// The virtual network's pcap writer: PATH holds the previous capture or the whole new one, never a
// part. Abandoned (destroyed without finish()) it leaves PATH as it was and no temporary; killed
// mid-write (SIGKILL: no destructor) it leaves PATH as it was and a temporary named
// ".NAME.partial.PID.N" that the next run removes (golden::remove_abandoned_partials).
#include <gtest/gtest.h>

#include <pcap/pcap.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "golden/atomic_file.hpp"
#include "sim/vnet/pcap_writer.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim::vnet {
namespace {

namespace fs = std::filesystem;

class PcapWriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::path(::testing::TempDir()) /
               ("ftpsim_pcap_writer_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        path_ = (dir_ / "x.client.pcap").string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::set<std::string> entries() const {
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(dir_)) names.insert(e.path().filename().string());
        return names;
    }

    // A capture of `frames` 60-byte frames, finished.
    void write_capture(int frames, std::uint8_t fill) {
        PcapWriter w(path_);
        for (int i = 0; i < frames; ++i) w.write(1'000'000'000LL * (i + 1), frame(fill));
        ASSERT_TRUE(w.finish());
    }

    static std::vector<std::uint8_t> frame(std::uint8_t fill) { return std::vector<std::uint8_t>(60, fill); }

    fs::path dir_;
    std::string path_;
};

// Every record of the file, read by libpcap to the end: -1 when it is not a whole capture.
long whole_capture_frames(const std::string& path) {
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline(path.c_str(), err);
    if (p == nullptr) return -1;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    long n = 0;
    int rc = 0;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) ++n;
    pcap_close(p);
    return rc == PCAP_ERROR_BREAK ? n : -1;
}

TEST_F(PcapWriterTest, FinishReplacesTheOldCaptureWithTheWholeNewOne) {
    write_capture(2, 0xaa);
    EXPECT_EQ(whole_capture_frames(path_), 2);
    write_capture(5, 0xbb);
    EXPECT_EQ(whole_capture_frames(path_), 5);
    EXPECT_EQ(entries(), std::set<std::string>{"x.client.pcap"});
}

TEST_F(PcapWriterTest, AbandonedMidWriteLeavesThePreviousCaptureAndNoTemporary) {
    write_capture(2, 0xaa);
    const std::string before = testsupport::read_file(path_);
    {
        PcapWriter w(path_);
        // Past the writer's buffer, so part of the new capture is already in its temporary.
        for (int i = 0; i < 3000; ++i) w.write(1'000'000'000LL * (i + 1), frame(0xcc));
        EXPECT_TRUE(fs::exists(w.temp_path()));
        EXPECT_GT(fs::file_size(w.temp_path()), 64u << 10);
    }
    EXPECT_EQ(testsupport::read_file(path_), before);
    EXPECT_EQ(entries(), std::set<std::string>{"x.client.pcap"});
}

TEST_F(PcapWriterTest, KilledMidWriteLeavesThePreviousCaptureAndARemovableTemporary) {
    write_capture(2, 0xaa);
    const std::string before = testsupport::read_file(path_);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        PcapWriter w(path_);
        for (int i = 0; i < 3000; ++i) w.write(1'000'000'000LL * (i + 1), frame(0xcc));
        ::raise(SIGKILL);
        ::_exit(1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
    EXPECT_EQ(testsupport::read_file(path_), before);
    std::set<std::string> names = entries();
    ASSERT_EQ(names.size(), 2u);
    ASSERT_EQ(names.erase("x.client.pcap"), 1u);
    const std::string left = *names.begin();
    EXPECT_EQ(left.rfind(".x.client.pcap.partial." + std::to_string(child) + ".", 0), 0u) << left;

    EXPECT_EQ(golden::remove_abandoned_partials(dir_.string()), std::vector<std::string>{left});
    EXPECT_EQ(entries(), std::set<std::string>{"x.client.pcap"});
    EXPECT_EQ(whole_capture_frames(path_), 2);
}

TEST_F(PcapWriterTest, AnUnwritableDirectoryFailsAtOnce) {
    EXPECT_THROW(PcapWriter((dir_ / "missing" / "x.pcap").string()), std::runtime_error);
    EXPECT_TRUE(entries().empty());
}

}  // namespace
}  // namespace ftpsim::sim::vnet
