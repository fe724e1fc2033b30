// Captures damaged in ways a record header can be: a corrupt length in the middle of the file,
// and timestamps no nanosecond count can hold. Each is a warning that names the frame; what
// came before is analysed, and no arithmetic on the numbers overflows.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "capture/capture_reader.hpp"
#include "golden/atomic_file.hpp"
#include "pcapng/pcapng_writer.hpp"
#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t le32(const std::string& b, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + at, 4);  // the test writer writes the host's order: little-endian here
    return v;
}

// Offset of record `n` (1-based) of a classic pcap file: 24-byte file header, then records of a
// 16-byte header (ts_sec, ts_usec, incl_len, orig_len) and incl_len bytes.
std::size_t record_offset(const std::string& file, std::size_t n) {
    std::size_t at = 24;
    for (std::size_t i = 1; i < n; ++i) at += 16 + le32(file, at + 8);
    return at;
}

struct Read {
    std::vector<capture::RawFrame> frames;  // times and numbers only: bytes die with the reader
    std::vector<std::string> warnings;
};

Read read_all(const std::string& path) {
    Read r;
    capture::CaptureReader reader(path, [&](const std::string& w) { r.warnings.push_back(w); });
    capture::RawFrame f;
    while (reader.next(f)) r.frames.push_back({f.link_type, f.number, f.time, f.wire_length, {}});
    return r;
}

class DamagedCaptureTest : public CaptureTest {};

TEST_F(DamagedCaptureTest, CorruptLengthMidFileSaysWhereReadingStoppedAndHowMuchWasLeft) {
    Capture cap;
    Connection& ctrl = logged_in_control(cap);
    exchange(ctrl, "PWD", "257 \"/\" is current directory.");
    exchange(ctrl, "QUIT", "221 Goodbye");
    const auto good = write(cap, "good.pcap");
    std::string file = read_bytes(good);
    const std::size_t at = record_offset(file, 6);
    const std::uint32_t huge = 0x7ffffff0;
    std::memcpy(file.data() + at + 8, &huge, 4);  // incl_len of frame 6
    const auto bad = path("corrupt-middle.pcap");
    std::ofstream(bad, std::ios::binary) << file;

    const Read r = read_all(bad.string());
    EXPECT_EQ(r.frames.size(), 5u);
    ASSERT_EQ(r.warnings.size(), 1u);
    const std::string& w = r.warnings[0];
    EXPECT_NE(w.find(bad.string() + ": frame 6: "), std::string::npos) << w;
    EXPECT_EQ(w.find("at end of file"), std::string::npos) << w;
    // libpcap has read the record's 16-byte header when it refuses the length.
    const std::size_t stopped = at + 16;
    EXPECT_NE(w.find("stopped at byte " + std::to_string(stopped) + " of " + std::to_string(file.size())),
              std::string::npos) << w;
    EXPECT_NE(w.find(std::to_string(file.size() - stopped) + " bytes left unread"), std::string::npos) << w;
    EXPECT_NE(w.find("the 5 frames before it"), std::string::npos) << w;

    // The analysis goes on with what was read: the greeting and the login before frame 6.
    EventCollector ev = analyze_path(bad);
    ASSERT_FALSE(ev.replies().empty()) << ev.dump();
    EXPECT_EQ(ev.replies()[0], 220);
}

// pcapng timestamps are 64 bits of if_tsresol units: with nanoseconds, all 64 bits set is
// 18446744073 s, past 2262, where int64 nanoseconds end. Such a frame takes the previous frame's
// time and a warning names it; the frames around it keep theirs.
TEST_F(DamagedCaptureTest, PcapngTimestampPastWhatNanosecondsHoldIsAWarningNamingTheFrame) {
    std::string file;
    pcapng::append_section_header(file, {});
    pcapng::append_interface_description(file, {});
    const std::vector<std::uint8_t> bytes(60, 0xab);
    const std::int64_t times[] = {1'700'000'000'000'000'000, 1'700'000'000'500'000'000, -1,
                                  1'700'000'001'000'000'000};
    for (std::int64_t t : times)
        pcapng::append_enhanced_packet(file, {.time_ns = t, .original_length = 60, .bytes = bytes, .comment = {}});
    const auto p = path("far-future.pcapng");
    golden::write_file_atomically(p.string(), file);

    const Read r = read_all(p.string());
    ASSERT_EQ(r.frames.size(), 4u);
    EXPECT_EQ(r.frames[0].time, times[0]);
    EXPECT_EQ(r.frames[1].time, times[1]);
    EXPECT_EQ(r.frames[2].time, times[1]) << "the previous frame's time";
    EXPECT_EQ(r.frames[3].time, times[3]);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find(p.string() + ": frame 3: timestamp 18446744073 s cannot be represented"),
              std::string::npos) << r.warnings[0];
}

}  // namespace
}  // namespace ftpsim::testsupport
