// `ftpsim --version` prints the version the top CMakeLists.txt's project() declares, and exits 0
// without a subcommand.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "support/cli_runner.hpp"
#include "support/read_file.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;

TEST(Version, IsTheProjectVersion) {
    const std::string cmake = testsupport::read_file(std::string(FTPSIM_PROJECT_DIR) + "/CMakeLists.txt");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(cmake, m, std::regex(R"(project\(ftpsim VERSION ([0-9.]+))")));
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-version-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto r = testsupport::run_ftpsim({"--version"}, dir);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "ftpsim " + m[1].str() + "\n") << r.err;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
