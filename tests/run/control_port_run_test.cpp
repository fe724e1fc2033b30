// `client: control_port` on both backends: the client's control connection leaves from that
// port, which the capture shows (every command's source port) and the golden form keeps. The
// kernel run needs namespaces: skipped with the reason without them, failed in CI.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "run/one_download_scenario.hpp"
#include "support/ci.hpp"
#include "support/cli_runner.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testsupport::run_ftpsim;

constexpr int kSkipped = 77;

class ControlPortRun : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim-control-port-" + std::to_string(::getpid()) + "-" + GetParam());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "golden");
        std::string yaml = test::one_download_scenario("{host: s, users: {u: p}, files: {/f: abc}}", "/f");
        const std::string marker = "  user: u\n";
        yaml.insert(yaml.find(marker), "  control_port: 2203\n");
        std::ofstream(dir_ / "cport.yaml") << "name: cport\n" << yaml;
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }
    fs::path dir_;
};

TEST_P(ControlPortRun, TheControlConnectionLeavesFromTheGivenPort) {
    const auto r = run_ftpsim({"run", (dir_ / "cport.yaml").string(), "--net", GetParam(), "--out",
                               (dir_ / "out").string(), "--update-golden", "--golden-dir", (dir_ / "golden").string(),
                               "--skip-without-privilege"},
                              dir_);
    if (r.exit_code == kSkipped) {
        if (testsupport::in_ci()) FAIL() << "no network namespaces in CI: " << r.err << r.out;
        GTEST_SKIP() << "no network namespaces: " << r.err << r.out;
    }
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const auto a = run_ftpsim({"analyze", "--format", "json", (dir_ / "out" / "cport.c.pcap").string()}, dir_);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    int commands = 0;
    const json doc = json::parse(a.out);  // kept: the loop runs over a part of it
    for (const json& e : doc["events"]) {
        if (e["kind"] != "command") continue;
        ++commands;
        EXPECT_EQ(e["src"]["port"], 2203) << e.dump();
        EXPECT_EQ(e["dst"]["port"], 21) << e.dump();
    }
    EXPECT_GE(commands, 4);  // USER, PASS, PASV, RETR, QUIT
    // The golden form keeps the port (fixed_ports), as it keeps 21.
    const std::string golden = testsupport::read_file((dir_ / "golden" / "cport.c.golden").string());
    EXPECT_NE(golden.find("c1 open ftp-control 10.0.0.1:2203 -> 10.0.0.2:21"), std::string::npos) << golden;
}

INSTANTIATE_TEST_SUITE_P(Backends, ControlPortRun, ::testing::Values("virtual", "kernel"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ftpsim::sim::run
