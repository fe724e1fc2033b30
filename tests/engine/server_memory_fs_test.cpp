// MemoryFileSystem: the configured tree with fixed times, generated files read by slice, and
// uploads, appends, offsets and tree changes.
#include <gtest/gtest.h>

#include <string>

#include "sim/engine/file_system.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

TEST(ServerMemoryFileSystem, ServesConfiguredFilesWithFixedTimes) {
    MemoryFileSystem fs(1000);
    fs.add_file("/pub/readme.txt", "hello\n");
    fs.add_file("/pub/old.txt", "x", 42);
    fs.add_dir("/incoming");
    const auto info = fs.stat("/pub/readme.txt");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->size, 6u);
    EXPECT_EQ(info->mtime, 1000);
    EXPECT_EQ(info->name, "readme.txt");
    EXPECT_EQ(fs.stat("/pub/old.txt")->mtime, 42);
    EXPECT_TRUE(fs.stat("/pub")->directory);  // created as a parent
    EXPECT_TRUE(fs.stat("/incoming")->directory);
    EXPECT_FALSE(fs.stat("/nope"));

    FsError err;
    const auto root = fs.list("/", err);
    ASSERT_EQ(err, FsError::kNone);
    ASSERT_EQ(root.size(), 2u);
    EXPECT_EQ(root[0].name, "incoming");
    EXPECT_EQ(root[1].name, "pub");
    const auto pub = fs.list("/pub", err);
    ASSERT_EQ(pub.size(), 2u);
    EXPECT_EQ(pub[0].name, "old.txt");  // sorted by name
    fs.list("/pub/readme.txt", err);
    EXPECT_EQ(err, FsError::kNotADirectory);
    fs.list("/missing", err);
    EXPECT_EQ(err, FsError::kNotFound);

    const auto src = fs.read("/pub/readme.txt", 2, err);
    ASSERT_TRUE(src);
    std::string bytes;
    ASSERT_TRUE(load_bytes(*src, bytes));
    EXPECT_EQ(bytes, "llo\n");
    EXPECT_FALSE(fs.read("/pub", 0, err));
    EXPECT_EQ(err, FsError::kIsADirectory);
}

TEST(ServerMemoryFileSystem, GeneratedFilesAreDeterministicAndReadBySlice) {
    MemoryFileSystem fs;
    const std::uint64_t size = 10'000'000'000ULL;  // 10 GB: only slices are ever produced
    fs.add_generated("/big.bin", size, 7);
    EXPECT_EQ(fs.stat("/big.bin")->size, size);
    FsError err;
    const auto a = fs.read_chunk("/big.bin", 123456789, 1000, err);
    ASSERT_TRUE(a);
    EXPECT_EQ(source_length(*a), 1000u);
    std::string slice;
    ASSERT_TRUE(load_bytes(*a, slice));
    std::string expected;
    MemoryFileSystem::generate(7, 123456789, 1000, expected);
    EXPECT_EQ(slice, expected);
    // Overlapping slices agree byte for byte; another seed differs.
    std::string overlap;
    MemoryFileSystem::generate(7, 123456789 + 3, 10, overlap);
    EXPECT_EQ(overlap, expected.substr(3, 10));
    std::string other;
    MemoryFileSystem::generate(8, 123456789, 1000, other);
    EXPECT_NE(other, expected);
    // The tail is cut at the file's end.
    const auto tail = fs.read_chunk("/big.bin", size - 5, 1000, err);
    EXPECT_EQ(source_length(*tail), 5u);

    MemoryFileSystem small;
    small.add_generated("/s.bin", 100, 1);
    ASSERT_TRUE(small.content("/s.bin"));
    EXPECT_EQ(*small.content("/s.bin"), [] {
        std::string s;
        MemoryFileSystem::generate(1, 0, 100, s);
        return s;
    }());
}

// The generator's word-at-a-time path against the byte-at-a-time definition (byte k is byte
// k % 8, little-endian, of splitmix64 word k / 8), at every alignment; and reads that a kept
// slice can answer (RETR probes one byte first) return the same bytes as fresh ones.
TEST(ServerMemoryFileSystem, GeneratorAlignmentsAndKeptSliceReads) {
    std::string whole;
    MemoryFileSystem::generate(42, 0, 256, whole);
    for (std::uint64_t from = 0; from < 24; ++from)
        for (std::uint64_t n : {0u, 1u, 7u, 8u, 9u, 17u, 100u}) {
            std::string part;
            MemoryFileSystem::generate(42, from, n, part);
            EXPECT_EQ(part, whole.substr(from, n)) << from << "+" << n;
        }
    MemoryFileSystem fs;
    fs.add_generated("/f.bin", 1000, 42);
    FsError err;
    auto bytes_of = [&](std::uint64_t off, std::uint64_t n) {
        std::string out;
        EXPECT_TRUE(load_bytes(*fs.read_chunk("/f.bin", off, n, err), out));
        return out;
    };
    std::string fresh;
    MemoryFileSystem::generate(42, 0, 1000, fresh);
    EXPECT_EQ(bytes_of(0, 1), fresh.substr(0, 1));
    EXPECT_EQ(bytes_of(0, 1000), fresh);
    EXPECT_EQ(bytes_of(0, 1), fresh.substr(0, 1));      // from the kept slice
    EXPECT_EQ(bytes_of(500, 20), fresh.substr(500, 20));  // likewise, at an offset
    EXPECT_EQ(bytes_of(990, 100), fresh.substr(990));     // cut at the end
}

TEST(ServerMemoryFileSystem, UploadsAppendsOffsetsAndTreeChanges) {
    MemoryFileSystem fs;
    fs.add_dir("/in");
    FsError err;
    auto sink = fs.write("/in/a.txt", false, err);
    ASSERT_TRUE(sink);
    EXPECT_FALSE(fs.stat("/in/a.txt"));  // nothing there before the commit
    EXPECT_EQ(sink->write(test::bytes_of("hello ")), FsError::kNone);
    EXPECT_EQ(sink->write(test::bytes_of("world")), FsError::kNone);
    EXPECT_EQ(sink->commit(), FsError::kNone);
    EXPECT_EQ(*fs.content("/in/a.txt"), "hello world");
    auto app = fs.write("/in/a.txt", true, err);
    app->write(test::bytes_of("!"));
    EXPECT_EQ(*fs.content("/in/a.txt"), "hello world");  // not yet
    EXPECT_EQ(app->commit(), FsError::kNone);
    EXPECT_EQ(*fs.content("/in/a.txt"), "hello world!");
    auto at = fs.write_at("/in/a.txt", 6, err);
    at->write(test::bytes_of("W"));
    EXPECT_EQ(at->commit(), FsError::kNone);
    EXPECT_EQ(*fs.content("/in/a.txt"), "hello World!");
    auto dropped = fs.write("/in/a.txt", false, err);
    dropped->write(test::bytes_of("gone"));
    dropped.reset();  // destroyed without commit: abandoned
    EXPECT_EQ(*fs.content("/in/a.txt"), "hello World!");

    EXPECT_FALSE(fs.create("/in/a.txt", err));  // STOU never replaces
    EXPECT_EQ(err, FsError::kExists);
    auto unique = fs.create("/in/u.1", err);
    ASSERT_TRUE(unique);
    unique->write(test::bytes_of("mine"));
    fs.add_file("/in/u.1", "theirs");  // another session got there first
    EXPECT_EQ(unique->commit(), FsError::kExists);
    EXPECT_EQ(*fs.content("/in/u.1"), "theirs");

    EXPECT_FALSE(fs.write("/missing/x", false, err));
    EXPECT_EQ(err, FsError::kNotFound);
    EXPECT_FALSE(fs.write("/in", false, err));
    EXPECT_EQ(err, FsError::kIsADirectory);

    EXPECT_EQ(fs.make_dir("/in/sub"), FsError::kNone);
    EXPECT_EQ(fs.make_dir("/in/sub"), FsError::kExists);
    EXPECT_EQ(fs.make_dir("/nope/sub"), FsError::kNotFound);
    fs.add_file("/in/sub/f", "f");
    EXPECT_EQ(fs.remove_dir("/in/sub"), FsError::kNotEmpty);
    EXPECT_EQ(fs.rename("/in/sub", "/moved"), FsError::kNone);
    EXPECT_EQ(*fs.content("/moved/f"), "f");
    EXPECT_FALSE(fs.stat("/in/sub"));
    EXPECT_EQ(fs.remove_file("/moved"), FsError::kIsADirectory);
    EXPECT_EQ(fs.remove_file("/moved/f"), FsError::kNone);
    EXPECT_EQ(fs.remove_dir("/moved"), FsError::kNone);
    EXPECT_EQ(fs.remove_dir("/"), FsError::kPermission);
    EXPECT_EQ(fs.rename("/in", "/in/inside"), FsError::kPermission);
}

}  // namespace
}  // namespace ftpsim::sim
