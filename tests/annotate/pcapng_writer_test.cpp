// The pcapng writer (analyzer/pcapng): byte-exact blocks for a tiny file, and files that our own
// capture reader (libpcap) and tshark read back with every packet, time and comment.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "annotate/tshark_comments.hpp"
#include "capture/capture_reader.hpp"
#include "golden/atomic_file.hpp"
#include "pcapng/pcapng_writer.hpp"
#include "support/pcap_builder.hpp"
#include "support/ftp_script.hpp"

namespace ftpsim::testsupport {
namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out.push_back(static_cast<char>(v));
    return out;
}

TEST(PcapngWriter, SectionHeaderBlockIsByteExact) {
    std::string out;
    pcapng::append_section_header(out, {.user_application = "ftpsim", .comment = "c"});
    EXPECT_EQ(out, bytes({0x0a, 0x0d, 0x0d, 0x0a, 52, 0, 0, 0,           // type, length
                          0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,            // magic, version 1.0
                          0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  // section length -1
                          1, 0, 1, 0, 'c', 0, 0, 0,                      // opt_comment, padded
                          4, 0, 6, 0, 'f', 't', 'p', 's', 'i', 'm', 0, 0,  // shb_userappl
                          0, 0, 0, 0,                                    // opt_endofopt
                          52, 0, 0, 0}));
}

TEST(PcapngWriter, InterfaceDescriptionBlockSaysNanoseconds) {
    std::string out;
    pcapng::append_interface_description(out, {.link_type = 1, .snap_length = 65535, .name = "lo", .description = ""});
    EXPECT_EQ(out, bytes({1, 0, 0, 0, 40, 0, 0, 0,    // type, length
                          1, 0, 0, 0,                 // link type 1, reserved
                          0xff, 0xff, 0, 0,           // snap length
                          2, 0, 2, 0, 'l', 'o', 0, 0,  // if_name
                          9, 0, 1, 0, 9, 0, 0, 0,     // if_tsresol = 10^-9
                          0, 0, 0, 0,                 // opt_endofopt
                          40, 0, 0, 0}));
}

TEST(PcapngWriter, EnhancedPacketBlockIsByteExact) {
    std::string out;
    const std::vector<std::uint8_t> data = {0xaa, 0xbb, 0xcc};
    pcapng::append_enhanced_packet(out, {.interface_id = 0,
                                         .time_ns = 0x0000000100000002,
                                         .original_length = 5,
                                         .bytes = data,
                                         .comment = "hi"});
    EXPECT_EQ(out, bytes({6, 0, 0, 0, 48, 0, 0, 0,  // type, length
                          0, 0, 0, 0,               // interface 0
                          1, 0, 0, 0, 2, 0, 0, 0,   // timestamp: high, low
                          3, 0, 0, 0, 5, 0, 0, 0,   // captured, original length
                          0xaa, 0xbb, 0xcc, 0,      // data, padded
                          1, 0, 2, 0, 'h', 'i', 0, 0,  // opt_comment
                          0, 0, 0, 0,               // opt_endofopt
                          48, 0, 0, 0}));
}

TEST(PcapngWriter, PacketWithoutCommentHasNoOptions) {
    std::string out;
    const std::vector<std::uint8_t> data = {1, 2, 3, 4};
    pcapng::append_enhanced_packet(out, {.time_ns = 7, .original_length = 4, .bytes = data, .comment = ""});
    // 8 bytes of type and length, 20 of fixed fields, 4 of data, 4 of trailing length.
    EXPECT_EQ(out.size(), 36u);
    EXPECT_EQ(out.substr(4, 4), bytes({36, 0, 0, 0}));
    EXPECT_EQ(out.substr(28, 4), bytes({1, 2, 3, 4}));
    EXPECT_EQ(out.substr(32, 4), bytes({36, 0, 0, 0}));
}

class PcapngFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("ftpsim-pcapng-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // A short control exchange written as pcapng by our writer, one comment per frame.
    std::string write_built(std::vector<BuiltFrame>& frames) {
        Capture cap;
        Connection& ctrl = cap.connect(kClientCtrl, kServerCtrl);
        ctrl.handshake();
        reply(ctrl, "220 ready");
        command(ctrl, "USER anonymous");
        frames = cap.frames({.start_ns = 1'700'000'000'123'456'789});
        std::string file;
        pcapng::append_section_header(file, {.comment = "built"});
        pcapng::append_interface_description(file, {.link_type = 1, .snap_length = 262144,
                                                    .name = "built", .description = ""});
        for (std::size_t i = 0; i < frames.size(); ++i)
            pcapng::append_enhanced_packet(file, {.time_ns = frames[i].time_ns,
                                                  .original_length = frames[i].wire_length,
                                                  .bytes = frames[i].bytes,
                                                  .comment = "frame " + std::to_string(i + 1)});
        std::string path = (dir_ / "built.pcapng").string();
        golden::write_file_atomically(path, file);
        return path;
    }

    std::filesystem::path dir_;
};

TEST_F(PcapngFileTest, OurCaptureReaderReadsEveryPacketBack) {
    std::vector<BuiltFrame> frames;
    std::string path = write_built(frames);
    std::vector<std::string> warnings;
    capture::CaptureReader reader(path, [&](const std::string& w) { warnings.push_back(w); });
    EXPECT_EQ(reader.link_type(), 1);
    capture::RawFrame raw;
    std::size_t n = 0;
    while (reader.next(raw)) {
        ASSERT_LT(n, frames.size());
        EXPECT_EQ(raw.number, n + 1);
        EXPECT_EQ(raw.time, frames[n].time_ns) << "nanoseconds kept, frame " << n + 1;
        EXPECT_EQ(raw.wire_length, frames[n].wire_length);
        EXPECT_EQ(std::vector<std::uint8_t>(raw.bytes.begin(), raw.bytes.end()), frames[n].bytes);
        ++n;
    }
    EXPECT_EQ(n, frames.size());
    EXPECT_TRUE(warnings.empty());
}

TEST_F(PcapngFileTest, TsharkShowsEveryComment) {
    FTPSIM_REQUIRE_TSHARK();
    std::vector<BuiltFrame> frames;
    std::string path = write_built(frames);
    TsharkComments t = tshark_comments(path);
    ASSERT_TRUE(t.ok) << t.output;
    ASSERT_EQ(t.comments.size(), frames.size()) << t.output;
    for (std::size_t i = 1; i <= frames.size(); ++i)
        EXPECT_EQ(t.comments[i], "frame " + std::to_string(i)) << t.output;
}

}  // namespace
}  // namespace ftpsim::testsupport
