// `ftpsim test scenarios/` on real kernel traffic, twice: the first run writes every golden file
// into a fresh directory, the second must pass against them. This is what shows that golden
// files are stable across runs of real traffic (ports, timing and ISNs differ every run), and
// that --golden-dir keeps the repository's goldens untouched.
// On the virtual network the promise is stronger: two runs write byte-identical pcaps.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using testsupport::CliResult;
using testsupport::run_ftpsim;

constexpr int kSkipped = 77;

TEST(SuiteStability, SecondRunPassesAgainstTheGoldensTheFirstWrote) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-stability-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string golden = (dir / "golden").string();
    fs::create_directories(golden);
    auto suite = [&](const std::string& out, bool update) {
        std::vector<std::string> args{"test", FTPSIM_SCENARIOS_DIR, "--net", "kernel", "--out", (dir / out).string(),
                                      "--golden-dir", golden, "--skip-without-privilege"};
        if (update) args.push_back("--update-golden");
        return run_ftpsim(args, dir);
    };
    CliResult first = suite("out1", true);
    if (first.exit_code == kSkipped) {
        fs::remove_all(dir);
        GTEST_SKIP() << first.err;
    }
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    std::size_t written = 0;
    for (const auto& e : fs::directory_iterator(golden)) written += e.path().extension() == ".golden";
    EXPECT_GE(written, 5u);

    CliResult second = suite("out2", false);
    EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_EQ(second.out.find("MISMATCH"), std::string::npos) << second.out;
    EXPECT_NE(second.out.find(" 0 failed, 0 errors"), std::string::npos) << second.out;
    if (!HasFailure()) fs::remove_all(dir);
}

TEST(SuiteStability, VirtualNetworkWritesByteIdenticalPcaps) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-identical-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto suite = [&](const std::string& out) {
        return run_ftpsim({"test", FTPSIM_SCENARIOS_DIR, "--net", "virtual", "--out", (dir / out).string(), "-j", "2",
                           "--golden-dir", FTPSIM_PROJECT_DIR "/golden"},
                          dir);
    };
    CliResult first = suite("a"), second = suite("b");
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    std::size_t compared = 0;
    for (const auto& e : fs::directory_iterator(dir / "a")) {
        if (e.path().extension() != ".pcap") continue;
        const std::string a = testsupport::read_file(e.path());
        const std::string b = testsupport::read_file(dir / "b" / e.path().filename());
        EXPECT_FALSE(a.empty()) << e.path();
        EXPECT_TRUE(a == b) << e.path().filename() << " differs between two runs";
        ++compared;
    }
    EXPECT_GE(compared, 15u);
    if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
