// `ftpsim annotate IN OUT.pcapng` on shipped captures of real sessions: every frame comes out
// with its comment (read back with tshark, as Wireshark shows frame.comment), the packets are
// those of the input, and nothing the user gave is overwritten.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "annotate/annotate_capture.hpp"
#include "annotate/tshark_comments.hpp"
#include "capture/capture_reader.hpp"
#include "support/cli_runner.hpp"
#include "support/read_file.hpp"

namespace ftpsim::testsupport {
namespace {

namespace fs = std::filesystem;

const std::string kActive = std::string(FTPSIM_TEST_DATA_DIR) + "/ftp_client_active.pcap";

class AnnotateCommandTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("ftpsim-annotate-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

bool any_starts_with(const std::map<std::uint64_t, std::string>& comments, const std::string& prefix) {
    for (const auto& [frame, c] : comments)
        if (c.rfind(prefix, 0) == 0) return true;
    return false;
}

TEST_F(AnnotateCommandTest, EveryFrameOfARealSessionHasItsSentence) {
    FTPSIM_REQUIRE_TSHARK();
    const std::string out = (dir_ / "active.pcapng").string();
    CliResult r = run_ftpsim({"annotate", kActive, out}, dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    TsharkComments t = tshark_comments(out);
    ASSERT_TRUE(t.ok) << t.output;
    ASSERT_EQ(t.comments.size(), 118u) << t.output;  // tests/data/README.md: 118 packets
    for (const auto& [frame, comment] : t.comments) EXPECT_FALSE(comment.empty()) << "frame " << frame;
    EXPECT_EQ(t.comments[1], "client opens the control connection: SYN to port 21");
    EXPECT_EQ(t.comments[2], "server accepts the control connection: SYN/ACK");
    EXPECT_EQ(t.comments[3], "client completes the three-way handshake: the control connection is open");
    const auto& c = t.comments;
    EXPECT_TRUE(any_starts_with(c, "331: positive intermediate, the server wants the password (answers USER)"))
        << t.output;
    EXPECT_TRUE(any_starts_with(c, "PORT 192,168,1,5,")) << t.output;
    EXPECT_TRUE(any_starts_with(c, "server opens the data connection from port 20 to ")) << t.output;
    EXPECT_TRUE(any_starts_with(c, "data of LIST: bytes 1..260, server to client")) << t.output;
    EXPECT_TRUE(any_starts_with(c, "data of NLST *.txt: bytes 1..25, server to client")) << t.output;
    EXPECT_TRUE(any_starts_with(c, "221: positive completion, the server closes the control connection"))
        << t.output;
    for (const auto& [frame, comment] : c) {
        if (comment.rfind("PORT ", 0) != 0) continue;
        EXPECT_NE(comment.find("the client will listen on 192.168.1.5 port "), std::string::npos) << comment;
        EXPECT_NE(comment.find("*256+"), std::string::npos) << comment;
    }
}

TEST_F(AnnotateCommandTest, PacketsAndTheirTimesAreThoseOfTheInput) {
    const std::string in = std::string(FTPSIM_TEST_DATA_DIR) + "/any_interface.pcapng";  // SLL2
    const std::string out = (dir_ / "any.pcapng").string();
    annotate::AnnotateRequest request;
    request.input = in;
    request.output = out;
    annotate::annotate_capture(request, [](const std::string&) {});
    auto ignore = [](const std::string&) {};
    capture::CaptureReader a(in, ignore), b(out, ignore);
    EXPECT_EQ(b.link_type(), a.link_type());
    capture::RawFrame fa, fb;
    std::size_t n = 0;
    while (a.next(fa)) {
        std::vector<std::uint8_t> bytes_a(fa.bytes.begin(), fa.bytes.end());
        ASSERT_TRUE(b.next(fb)) << "frame " << n + 1 << " missing";
        EXPECT_EQ(fb.time, fa.time);
        EXPECT_EQ(fb.wire_length, fa.wire_length);
        EXPECT_EQ(std::vector<std::uint8_t>(fb.bytes.begin(), fb.bytes.end()), bytes_a);
        ++n;
    }
    EXPECT_FALSE(b.next(fb));
    EXPECT_EQ(n, 51u);
}

TEST_F(AnnotateCommandTest, RefusesToOverwriteTheInput) {
    const fs::path copy = dir_ / "in.pcap";
    fs::copy_file(kActive, copy);
    const std::string before = read_file(copy);
    CliResult r = run_ftpsim({"annotate", copy.string(), copy.string(), "--force"}, dir_);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(copy.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("input"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(copy), before);
}

TEST_F(AnnotateCommandTest, AnExistingOutputNeedsForce) {
    const fs::path out = dir_ / "out.pcapng";
    std::ofstream(out) << "keep me";
    CliResult r = run_ftpsim({"annotate", kActive, out.string()}, dir_);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(out.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(out), "keep me");
    r = run_ftpsim({"annotate", kActive, out.string(), "--force"}, dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out).substr(0, 4), std::string("\x0a\x0d\x0d\x0a", 4));
}

TEST_F(AnnotateCommandTest, BadInputIsExit2NamingTheFileAndWritesNothing) {
    const fs::path bad = dir_ / "not-a-capture.pcap";
    std::ofstream(bad) << "hello";
    const fs::path out = dir_ / "out.pcapng";
    CliResult r = run_ftpsim({"annotate", bad.string(), out.string()}, dir_);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(bad.string()), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    for (const auto& entry : fs::directory_iterator(dir_))  // no temporary left behind
        EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace ftpsim::testsupport
