// A new user's first run of a scenario whose golden files do not exist yet, on the virtual
// network (no privilege): the hint names `ftpsim run`'s own flag, and --update-golden creates the
// golden directory it needs (a new --golden-dir, a new scenario folder) with the golden file and
// the pin in it, after which the scenario passes. A golden file without its pin (as a kernel run's
// --update-golden leaves it: only the virtual network pins bytes) says which command writes it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using testsupport::run_ftpsim;

class NewGoldenDirTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim-new-golden-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

TEST_F(NewGoldenDirTest, UpdateGoldenCreatesTheDirectoryAndTheHintNamesThatFlag) {
    const std::string scenario = std::string(FTPSIM_SCENARIOS_DIR) + "/login_failure.yaml";
    const fs::path golden_dir = dir_ / "new" / "golden";
    const std::vector<std::string> run = {"run", scenario, "--net", "virtual", "--out", (dir_ / "out").string(),
                                          "--golden-dir", golden_dir.string()};

    auto missing = run_ftpsim(run, dir_);
    EXPECT_EQ(missing.exit_code, 2) << missing.out << missing.err;
    EXPECT_NE(missing.out.find("(run with --update-golden to create it)"), std::string::npos) << missing.out;
    EXPECT_EQ(missing.out.find("--update "), std::string::npos) << missing.out;

    auto update = run;
    update.push_back("--update-golden");
    auto created = run_ftpsim(update, dir_);
    EXPECT_EQ(created.exit_code, 0) << created.out << created.err;
    EXPECT_TRUE(fs::exists(golden_dir / "login_failure.client.golden")) << created.out;
    EXPECT_TRUE(fs::exists(golden_dir / "login_failure.client.pcap.sha256")) << created.out;

    auto again = run_ftpsim(run, dir_);
    EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_NE(again.out.find("PASS login_failure"), std::string::npos) << again.out;
}

TEST_F(NewGoldenDirTest, AMissingPinSaysHowToCreateIt) {
    const std::string scenario = std::string(FTPSIM_SCENARIOS_DIR) + "/login_failure.yaml";
    const fs::path golden_dir = dir_ / "golden";
    fs::create_directories(golden_dir);
    fs::copy_file(fs::path(FTPSIM_PROJECT_DIR) / "golden/login_failure.client.golden",
                  golden_dir / "login_failure.client.golden");
    auto r = run_ftpsim({"run", scenario, "--net", "virtual", "--out", (dir_ / "out").string(), "--golden-dir",
                         golden_dir.string()},
                        dir_);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    const std::string hint = "no pin file " + (golden_dir / "login_failure.client.pcap.sha256").string() +
                             ": run `ftpsim run " + scenario + " --update-golden --golden-dir " + golden_dir.string() +
                             "` (virtual network) to create it";
    EXPECT_NE(r.out.find("  client: " + hint + "\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ERROR login_failure"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(hint + "\n"), r.out.rfind(hint + "\n")) << "in the report and the summary line\n" << r.out;
}

}  // namespace
}  // namespace ftpsim::sim::run
