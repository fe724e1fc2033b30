// Privilege probe. Named namespaces (/var/run/netns/NAME) are bind mounts, so besides
// CAP_NET_ADMIN they need CAP_SYS_ADMIN over the mount namespace; a user namespace gives both,
// but only to a process that entered it, which is why we only probe it in a child here.
#include "sim/netns/privileges.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace ftpsim::sim::netns {
namespace {

constexpr int kCapNetAdmin = 12;
constexpr int kCapSysAdmin = 21;

bool has_caps() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("CapEff:", 0) != 0) continue;
        const unsigned long long eff = std::stoull(line.substr(7), nullptr, 16);
        return (eff >> kCapNetAdmin & 1ULL) && (eff >> kCapSysAdmin & 1ULL);
    }
    return false;
}

bool user_namespace_works() {
    const pid_t pid = ::fork();
    if (pid < 0) return false;
    if (pid == 0) ::_exit(::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0 ? 0 : 1);
    int status = 0;
    // Bounded wait: the child does one syscall.
    for (int i = 0; i < 500; ++i) {
        if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return false;
}

}  // namespace

Privilege probe_privilege() {
    if (::geteuid() == 0) return Privilege::kRoot;
    if (has_caps()) return Privilege::kCapabilities;
    if (user_namespace_works()) return Privilege::kUserNamespace;
    return Privilege::kNone;
}

void require_netns_privilege() {
    switch (probe_privilege()) {
        case Privilege::kRoot:
        case Privilege::kCapabilities:
            return;
        case Privilege::kUserNamespace:
            throw PrivilegeError(
                "network namespaces need root or CAP_NET_ADMIN+CAP_SYS_ADMIN; unprivileged user "
                "namespaces are available here: call enter_user_namespace() at program start (while "
                "single-threaded), or run inside `unshare --user --map-root-user --mount --net` after "
                "`mount -t tmpfs none /run`");
        case Privilege::kNone:
            break;
    }
    throw PrivilegeError(
        "network namespaces need root or CAP_NET_ADMIN+CAP_SYS_ADMIN, or unprivileged user "
        "namespaces enabled (sysctl kernel.unprivileged_userns_clone=1 / "
        "user.max_user_namespaces>0)");
}

}  // namespace ftpsim::sim::netns
