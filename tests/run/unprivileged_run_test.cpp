// `ftpsim run --net kernel` as an ordinary user: the kernel backend moves the process into a user
// namespace of its own and the scenario passes, with its pcap owned by that user. (The default
// backend, the virtual network, needs nothing at all.) As root the test drops to nobody before
// exec, so it proves the route needs no privilege.
//
// Nothing is read from the checkout or the build tree by that user: they may sit in a directory
// only root can enter (a mktemp -d folder, /root). The scenario, its golden file and pin (and the
// binary, if that user cannot reach it) are copied into a fresh directory under the temporary
// directory first.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "sim/run/backend_privilege.hpp"
#include "support/ci.hpp"
#include "support/process.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;

constexpr int kSkipped = 77;

// The first directory on the way to `dir` (itself included) that other users cannot enter, or
// "" when nobody can reach `dir`.
std::string closed_to_others(const fs::path& dir) {
    for (fs::path p = fs::absolute(dir); ; p = p.parent_path()) {
        struct stat st {};
        if (::stat(p.c_str(), &st) != 0 || (st.st_mode & S_IXOTH) == 0) return p.string();
        if (p == p.root_path()) return {};
    }
}

TEST(UnprivilegedRun, PassesInsideAUserNamespace) {
    const bool root = ::geteuid() == 0;
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-unpriv-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "out");
    fs::create_directories(dir / "golden");
    // Whatever the umask: the directories enterable, the copies readable, by that user.
    const auto open_dir = fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec;
    const auto open_file = fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                           fs::perms::others_read;
    for (const fs::path& d : {dir, dir / "golden"}) fs::permissions(d, open_dir);
    if (const std::string closed = closed_to_others(dir); root && !closed.empty()) {
        fs::remove_all(dir);
        const std::string why = "nobody cannot enter " + closed + " (set TMPDIR to a directory others can enter)";
        if (testsupport::in_ci()) FAIL() << why;
        GTEST_SKIP() << why << " (a failure when CI=true)";
    }
    // What the scenario needs, in the layout `ftpsim run` expects relative to its directory.
    const fs::path project(FTPSIM_PROJECT_DIR);
    fs::copy_file(project / "scenarios/passive_vsftpd.yaml", dir / "passive_vsftpd.yaml");
    fs::permissions(dir / "passive_vsftpd.yaml", open_file);
    for (const char* name : {"passive_vsftpd.client.golden", "passive_vsftpd.client.pcap.sha256"}) {
        fs::copy_file(project / "golden" / name, dir / "golden" / name);
        fs::permissions(dir / "golden" / name, open_file);
    }
    // The binary runs from the build tree when that user can reach it there (a copy in the
    // temporary directory would fail where that is mounted noexec).
    fs::path binary(FTPSIM_BINARY);
    if (root && !closed_to_others(binary.parent_path()).empty()) {
        fs::copy_file(binary, dir / "ftpsim");
        fs::permissions(dir / "ftpsim", open_dir);  // rwxr-xr-x
        binary = dir / "ftpsim";
    }
    fs::permissions(dir / "out", fs::perms::all);  // writable by nobody

    testsupport::ProcessOptions po;
    po.argv = {binary.string(), "run", "passive_vsftpd.yaml", "--net", "kernel", "--out", "out",
               "--skip-without-privilege"};
    po.cwd = dir;
    po.stdout_file = dir / "stdout";
    po.stderr_file = dir / "stderr";
    po.as_nobody = root;
    const testsupport::RunResult r = testsupport::run_process(po, std::chrono::seconds(120));
    ASSERT_FALSE(r.timed_out) << r.description;
    if (r.exit_code == kSkipped) {
        fs::remove_all(dir);
        GTEST_SKIP() << r.err;
    }
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.err.find("inside a user namespace"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find("PASS passive_vsftpd"), std::string::npos) << r.out;
    struct stat st {};
    ASSERT_EQ(::stat((dir / "out" / "passive_vsftpd.client.pcap").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, root ? 65534u : ::geteuid());
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
