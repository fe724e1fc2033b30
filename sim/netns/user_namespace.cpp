// unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET) + id maps + private /run.
// - `ip netns add` bind-mounts under /run/netns, which needs a writable /run we own: hence the
//   tmpfs in our own mount namespace.
// - `ip netns add` also setns()es back into the caller's network namespace, which a user
//   namespace may only do for network namespaces it owns: hence our own network namespace too.
#include "sim/netns/user_namespace.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "sim/netns/command.hpp"
#include "sim/netns/privileges.hpp"

namespace ftpsim::sim::netns {
namespace {

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    out.flush();
    if (!out) throw PrivilegeError("cannot write " + path + " while entering a user namespace");
}

[[noreturn]] void fail(const std::string& what, int err) {
    throw PrivilegeError(what + ": " + std::strerror(err) +
                         " (unprivileged user namespaces must be enabled: "
                         "user.max_user_namespaces>0, kernel.unprivileged_userns_clone=1; "
                         "and the process must still be single-threaded)");
}

}  // namespace

void enter_user_namespace() {
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0)
        fail("unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWNET)", errno);
    // setgroups must be denied before an unprivileged process may write gid_map.
    write_file("/proc/self/setgroups", "deny");
    write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
    // Our mounts must not propagate back to the host's mount namespace.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) fail("mount --make-rprivate /", errno);
    if (::mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) fail("mount tmpfs on /run", errno);
    // The new network namespace starts with loopback down; 127.0.0.1 should keep working.
    run_checked({"ip", "link", "set", "lo", "up"});
}

}  // namespace ftpsim::sim::netns
