// The in-memory tree's largest file (MemoryFileSystem::set_max_file_bytes): it holds every byte
// in memory, holes included, so an upload that would leave a file past the limit is refused
// with 552 (RFC 959 §4.2, "exceeded storage allocation") and the session goes on. The fuzzer
// found the first case: REST 426540692654269627 then STOR, a 400 PB allocation
// (fuzz/regressions/server_engine/crash-012fdeaf...).
#include <gtest/gtest.h>

#include <string>

#include "engine/server_harness.hpp"
#include "sim/engine/memory_file_system.hpp"

namespace ftpsim::sim {
namespace {

class MemoryFsFileLimit : public ::testing::Test {
protected:
    void SetUp() override {
        h.memfs.add_file("/in/keep.txt", "original\n");
        h.start_logged_in();
        h.send("TYPE I");
        EXPECT_EQ(h.next_code(), 200);
    }
    // The session still answers, and the file is as it was.
    void expect_served_and_untouched() {
        h.send("NOOP");
        EXPECT_EQ(h.next_code(), 200);
        EXPECT_EQ(h.memfs.content("/in/keep.txt"), std::optional<std::string>("original\n"));
    }

    test::ServerHarness h;
};

TEST_F(MemoryFsFileLimit, RestFarPastTheLimitIsRefusedBeforeTheData) {
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("REST 426540692654269627");
    EXPECT_EQ(h.next_code(), 350);  // REST itself is fine: any offset (RFC 3659 §5)
    h.send("STOR /in/keep.txt");
    const ftp::Reply r = h.next();
    EXPECT_EQ(r.code, 552);
    test::ServerHarness::expect_allowed("STOR", r);
    expect_served_and_untouched();
}

TEST_F(MemoryFsFileLimit, OffsetAtTheTopOfTheRangeDoesNotWrapAround) {
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("REST 9223372036854775807");  // 2^63 - 1, the largest REST takes: no sum may overflow
    EXPECT_EQ(h.next_code(), 350);
    h.send("STOR /in/new.txt");
    EXPECT_EQ(h.next_code(), 552);
    EXPECT_FALSE(h.memfs.stat("/in/new.txt"));
    expect_served_and_untouched();
}

TEST_F(MemoryFsFileLimit, UploadGrowingPastTheLimitIsRefusedAndKeepsTheOldFile) {
    h.memfs.set_max_file_bytes(16);
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("STOR /in/keep.txt");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, std::string(10, 'a'));
    h.upload(id, std::string(10, 'b'));  // 20 bytes: past 16
    EXPECT_EQ(h.next_code(), 552);
    expect_served_and_untouched();
}

TEST_F(MemoryFsFileLimit, AppendPastTheLimitIsRefusedAtTheCommit) {
    h.memfs.set_max_file_bytes(12);  // the file has 9 bytes; 5 more do not fit
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("APPE /in/keep.txt");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, "12345");
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 552);
    expect_served_and_untouched();
}

TEST_F(MemoryFsFileLimit, UploadUpToTheLimitIsKept) {
    h.memfs.set_max_file_bytes(16);
    const ChannelId id = h.pasv();
    h.connect(id);
    h.send("REST 6");
    EXPECT_EQ(h.next_code(), 350);
    h.send("STOR /in/new.txt");
    EXPECT_EQ(h.next_code(), 150);
    h.upload(id, std::string(10, 'x'));  // ends exactly at 16
    h.client_closes(id);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.memfs.content("/in/new.txt"), std::optional<std::string>(std::string(6, '\0') + std::string(10, 'x')));
}

}  // namespace
}  // namespace ftpsim::sim
