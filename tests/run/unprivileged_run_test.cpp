// `ftpsim run --net kernel` as an ordinary user: the kernel backend moves the process into a user
// namespace of its own and the scenario passes, with its pcap owned by that user. (The default
// backend, the virtual network, needs nothing at all.) As root the test drops to
// nobody with setpriv(1) first, so it proves the route needs no privilege.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;

TEST(UnprivilegedRun, PassesInsideAUserNamespace) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-unpriv-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "out");
    fs::permissions(dir / "out", fs::perms::all);  // writable by nobody
    std::vector<std::string> args{"run", FTPSIM_SCENARIOS_DIR "/passive_vsftpd.yaml", "--net", "kernel", "--out",
                                  (dir / "out").string(), "--skip-without-privilege"};
    const bool root = ::geteuid() == 0;
    if (root && std::system("setpriv --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "setpriv(1) is missing";
    // The golden path in the scenario is relative to the source tree.
    const std::string cd = "cd " FTPSIM_PROJECT_DIR " && ";
    const std::string drop = root ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
    std::string cmd = cd + drop + FTPSIM_BINARY;
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " >" + (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
    const int status = std::system(cmd.c_str());
    const std::string out = testsupport::read_text(dir / "stdout"), err = testsupport::read_text(dir / "stderr");
    ASSERT_TRUE(WIFEXITED(status)) << cmd;
    if (WEXITSTATUS(status) == 77) {
        fs::remove_all(dir);
        GTEST_SKIP() << err;
    }
    ASSERT_EQ(WEXITSTATUS(status), 0) << out << err;
    EXPECT_NE(err.find("inside a user namespace"), std::string::npos) << err;
    EXPECT_NE(out.find("PASS passive_vsftpd"), std::string::npos) << out;
    struct stat st {};
    ASSERT_EQ(::stat((dir / "out" / "passive_vsftpd.client.pcap").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, root ? 65534u : ::geteuid());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
