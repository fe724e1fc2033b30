// Leftover handling: cleanup_stale() removes namespaces of dead owners only, and a process
// killed by a signal removes its namespaces through the installed handler.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "netns/netns_test_support.hpp"
#include "sim/netns/command.hpp"
#include "sim/netns/registry.hpp"
#include "sim/netns/topology.hpp"

namespace ftpsim::netns_test {
namespace {

using namespace ftpsim::sim::netns;

bool exists(const std::string& ns) { return std::filesystem::exists("/var/run/netns/" + ns); }

// Deletes a namespace the test created by hand, whatever happens to the assertions.
struct NsGuard {
    std::string name;
    ~NsGuard() { delete_namespace(name); }
};

TEST(NetnsCleanup, StaleRemovesOnlyDeadOwners) {
    FTPSIM_REQUIRE_NETNS();
    // A prefix of our own, so a concurrent run of this test cannot see our namespaces.
    // 4194305 is above the kernel's largest pid_max, so that owner can never be alive.
    const std::string prefix = "ftpsimstale" + std::to_string(::getpid());
    NsGuard dead{prefix + "-4194305-0-x"};
    NsGuard live{prefix + "-" + std::to_string(::getpid()) + "-0-y"};
    run_checked({"ip", "netns", "add", dead.name});
    run_checked({"ip", "netns", "add", live.name});
    const auto removed = cleanup_stale(prefix);
    EXPECT_EQ(removed, std::vector<std::string>{dead.name});
    EXPECT_FALSE(exists(dead.name));
    EXPECT_TRUE(exists(live.name));
    const auto all = cleanup_stale(prefix, /*include_live_owners=*/true);
    EXPECT_EQ(all, std::vector<std::string>{live.name});
    EXPECT_FALSE(exists(live.name));
}

// A run killed and not yet reaped by its parent is a zombie: its namespaces are abandoned.
TEST(NetnsCleanup, StaleRemovesAZombieOwners) {
    FTPSIM_REQUIRE_NETNS();
    const std::string prefix = "ftpsimzombie" + std::to_string(::getpid());
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(0);
    for (int i = 0; i < 200; ++i) {  // until it has exited (not reaped: WNOWAIT)
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == child)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    NsGuard zombie{prefix + "-" + std::to_string(child) + "-0-x"};
    run_checked({"ip", "netns", "add", zombie.name});
    const auto removed = cleanup_stale(prefix);
    ::waitpid(child, nullptr, 0);
    EXPECT_EQ(removed, std::vector<std::string>{zombie.name});
    EXPECT_FALSE(exists(zombie.name));
}

TEST(NetnsCleanup, SignalHandlerRemovesNamespaces) {
    FTPSIM_REQUIRE_NETNS();
    int pipefd[2];
    ASSERT_EQ(::pipe(pipefd), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // Child: build a topology, report its namespaces, then wait (bounded) to be killed.
        ::close(pipefd[0]);
        try {
            install_cleanup_handlers();
            Topology topo({{"a", {"10.9.0.1/24"}, {}}, {"b", {"10.9.0.2/24"}, {}}}, {{"a", "b", 1500}},
                          {"ftpsimtest"});
            std::string names;
            for (const auto& n : topo.namespaces()) names += n + "\n";
            if (::write(pipefd[1], names.data(), names.size()) < 0) ::_exit(3);
            ::close(pipefd[1]);
            for (int i = 0; i < 200; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(1);  // not killed in time (the Topology destructor already cleaned up)
    }
    ::close(pipefd[1]);
    std::string names;
    char buf[512];
    for (int i = 0; i < 100; ++i) {  // EOF comes when the child closes its end
        pollfd p{pipefd[0], POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        const ssize_t n = ::read(pipefd[0], buf, sizeof buf);
        if (n <= 0) break;
        names.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipefd[0]);
    std::vector<std::string> list;
    for (std::size_t pos = 0, nl; (nl = names.find('\n', pos)) != std::string::npos; pos = nl + 1)
        list.push_back(names.substr(pos, nl - pos));
    EXPECT_EQ(list.size(), 2u) << names;
    for (const auto& n : list) EXPECT_TRUE(exists(n)) << n;

    ::kill(child, SIGTERM);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 500 && !reaped; ++i) {
        reaped = ::waitpid(child, &status, WNOHANG) == child;
        if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!reaped) {
        ::kill(child, SIGKILL);
        ::waitpid(child, &status, 0);
    }
    EXPECT_TRUE(reaped);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "status " << status;
    for (const auto& n : list) {
        EXPECT_FALSE(exists(n)) << n;
        delete_namespace(n);  // never leave one behind, even if the assertion failed
    }
}

}  // namespace
}  // namespace ftpsim::netns_test
