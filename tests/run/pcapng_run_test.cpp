// `ftpsim run --format pcapng`: each capture point becomes an annotated pcapng file, read back as a
// person would see it in Wireshark (tshark's frame.comment, interface name and description),
// byte-identical from one virtual run to the next, pinned beside the golden file as
// NAME.POINT.pcapng.sha256, and the same on the kernel backend (which pins nothing).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "annotate/tshark_comments.hpp"
#include "support/ci.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using testsupport::read_file;
using testsupport::run_ftpsim;

const std::string kScenario = std::string(FTPSIM_PROJECT_DIR) + "/scenarios/teaching/active_port.yaml";
const std::string kGoldenDir = std::string(FTPSIM_PROJECT_DIR) + "/golden/teaching";

constexpr int kSkipped = 77;

// One tshark field of every frame, one line each.
std::string tshark_field(const fs::path& capture, const std::string& field) {
    const std::string cmd = "tshark -r '" + capture.string() + "' -T fields -e " + field + " 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    std::string out;
    char buf[4096];
    while (pipe && std::fgets(buf, sizeof buf, pipe.get()) != nullptr) out += buf;
    return out;
}

class PcapngRun : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim-pcapng-run-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    // `ftpsim run scenarios/teaching/active_port.yaml --format pcapng` into `out`, against the
    // project's goldens and pins unless `extra` names another --golden-dir.
    testsupport::CliResult run_teaching(const std::string& out, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"run", kScenario, "--format", "pcapng", "--out", (dir_ / out).string()};
        if (std::find(extra.begin(), extra.end(), "--golden-dir") == extra.end())
            extra.insert(extra.end(), {"--golden-dir", kGoldenDir});
        args.insert(args.end(), extra.begin(), extra.end());
        return run_ftpsim(args, dir_);
    }

    fs::path dir_;
};

TEST_F(PcapngRun, WritesPinnedPcapngInsteadOfPcapByteIdenticalPerSeed) {
    const auto first = run_teaching("a");
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_NE(first.out.find("active_port.client.pcapng.sha256: bytes match"), std::string::npos) << first.out;
    EXPECT_TRUE(fs::exists(dir_ / "a" / "active_port.client.pcapng"));
    EXPECT_FALSE(fs::exists(dir_ / "a" / "active_port.client.pcap")) << "the intermediate pcap is removed";

    const auto second = run_teaching("b");
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(read_file(dir_ / "a" / "active_port.client.pcapng"), read_file(dir_ / "b" / "active_port.client.pcapng"));
}

TEST_F(PcapngRun, EveryFrameHasACommentAndTheInterfaceNamesThePoint) {
    FTPSIM_REQUIRE_TSHARK();
    const auto r = run_teaching("out");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const fs::path capture = dir_ / "out" / "active_port.client.pcapng";
    const auto comments = testsupport::tshark_comments(capture.string());
    ASSERT_TRUE(comments.ok) << comments.output;
    ASSERT_GT(comments.comments.size(), 20u) << comments.output;
    for (const auto& [frame, comment] : comments.comments) EXPECT_FALSE(comment.empty()) << "frame " << frame;
    EXPECT_NE(comments.comments.at(1).find("SYN to port 21"), std::string::npos) << comments.comments.at(1);
    bool port_arithmetic = false;
    for (const auto& [frame, comment] : comments.comments)
        if (comment.find("*256+") != std::string::npos) port_arithmetic = true;
    EXPECT_TRUE(port_arithmetic) << comments.output;

    const std::string names = tshark_field(capture, "frame.interface_name");
    const std::string descriptions = tshark_field(capture, "frame.interface_description");
    EXPECT_EQ(names.substr(0, names.find('\n')), "client") << names;
    EXPECT_NE(descriptions.find("capture point client: host "), std::string::npos) << descriptions;
}

TEST_F(PcapngRun, UpdateGoldenWritesThePcapngPinAndAMissingOneSaysHow) {
    const fs::path golden = dir_ / "golden";
    const std::vector<std::string> where = {"--golden-dir", golden.string()};
    auto with = [&](std::vector<std::string> more) {
        auto v = where;
        v.insert(v.end(), more.begin(), more.end());
        return v;
    };
    ASSERT_EQ(run_teaching("out", with({"--update-golden"})).exit_code, 0);
    const std::string pin = read_file(golden / "active_port.client.pcapng.sha256");
    EXPECT_NE(pin.find("  active_port.client.pcapng"), std::string::npos) << pin;
    EXPECT_EQ(pin.find_first_not_of("0123456789abcdef"), 64u) << pin;

    fs::remove(golden / "active_port.client.pcapng.sha256");
    const auto missing = run_teaching("out", where);
    EXPECT_EQ(missing.exit_code, 2) << missing.out;
    EXPECT_NE(missing.out.find("--update-golden --golden-dir " + golden.string() + " --format pcapng"),
              std::string::npos)
        << missing.out;
}

TEST_F(PcapngRun, AnUnknownFormatIsBadInput) {
    const auto r = run_ftpsim({"run", kScenario, "--format", "pcapx", "--out", (dir_ / "out").string()}, dir_);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("pcapx"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "out" / "active_port.client.pcapng"));
}

TEST_F(PcapngRun, KernelBackendWritesAnnotatedPcapngToo) {
    FTPSIM_REQUIRE_TSHARK();
    const auto r = run_teaching("out", {"--net", "kernel", "--skip-without-privilege", "--golden-dir",
                                        (dir_ / "golden").string(), "--update-golden"});
    if (r.exit_code == kSkipped) {
        if (testsupport::in_ci()) FAIL() << "no network namespaces in CI: " << r.err << r.out;
        GTEST_SKIP() << "no network namespaces: " << r.err << r.out;
    }
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto comments = testsupport::tshark_comments((dir_ / "out" / "active_port.client.pcapng").string());
    ASSERT_TRUE(comments.ok) << comments.output;
    ASSERT_FALSE(comments.comments.empty());
    for (const auto& [frame, comment] : comments.comments) EXPECT_FALSE(comment.empty()) << "frame " << frame;
    EXPECT_FALSE(fs::exists(dir_ / "golden" / "active_port.client.pcapng.sha256")) << "kernel runs pin nothing";
}

}  // namespace
}  // namespace ftpsim::sim::run
