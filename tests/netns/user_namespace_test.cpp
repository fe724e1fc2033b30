// The unprivileged route end to end: a child process drops to nobody, enters a user namespace,
// builds a topology there and exchanges bytes across it. Runs in a fork so this process's
// credentials and mounts are never touched.
#include <grp.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "netns/netns_test_support.hpp"
#include "sim/netns/in_namespace.hpp"
#include "sim/netns/privileges.hpp"
#include "sim/netns/topology.hpp"
#include "sim/netns/user_namespace.hpp"

namespace ftpsim::netns_test {
namespace {

using namespace ftpsim::sim::netns;

constexpr int kUnavailable = 77;

// Child body; returns its exit code.
int unprivileged_child() {
    // As root, become nobody first so the test proves the route needs no privilege.
    if (::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
                             ::setresuid(65534, 65534, 65534) != 0))
        return 10;
    // Changing credentials cleared the dumpable flag, which makes /proc/self/uid_map root-owned;
    // an ordinary unprivileged process has it set.
    ::prctl(PR_SET_DUMPABLE, 1);
    try {
        enter_user_namespace();
    } catch (const PrivilegeError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return kUnavailable;
    }
    try {
        if (probe_privilege() != Privilege::kRoot) return 11;
        Topology topo({{"client", {"192.168.1.5/24"}, {}}, {"server", {"192.168.1.10/24"}, {}}},
                      {{"client", "server", 1500}});
        Fd listener = in_namespace(topo.netns("server"), [] { return listen_on("192.168.1.10", 21); });
        Fd client = in_namespace(topo.netns("client"), [] { return connect_to("192.168.1.10", 21); });
        Fd server = accept_one(listener);
        send_all(server, "220 hi\r\n");
        return recv_n(client, 8) == "220 hi\r\n" ? 0 : 12;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "unprivileged child: %s\n", e.what());
        return 13;
    }
}

TEST(NetnsUserNamespace, UnprivilegedTopologyWorks) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(unprivileged_child());
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 2000 && !reaped; ++i) {  // at most 20 s
        reaped = ::waitpid(child, &status, WNOHANG) == child;
        if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!reaped) {
        ::kill(child, SIGKILL);
        ::waitpid(child, &status, 0);
        FAIL() << "unprivileged child timed out";
    }
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    if (WEXITSTATUS(status) == kUnavailable) GTEST_SKIP() << "unprivileged user namespaces are disabled here";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "10: setuid, 11: not root inside, 12: bad data, 13: exception";
}

}  // namespace
}  // namespace ftpsim::netns_test
