// The unprivileged route: move this whole process into a new user namespace where it is root,
// with private mount and network namespaces and a private /run, so Topology can create named network
// namespaces without host privileges. Nothing of this is visible outside the process.
#pragma once

namespace ftpsim::sim::netns {

// Must be called while the process is single-threaded (the kernel refuses CLONE_NEWUSER
// otherwise), typically first thing in main(). Afterwards the process is uid/gid 0 inside its
// namespace, mapped to the caller's ids; /run is an empty tmpfs (the host's /run is hidden from
// this process). The process also gets its own network namespace with only loopback (up): the
// host's interfaces, including its 127.0.0.1, are no longer reachable from this process.
// Throws PrivilegeError naming what is missing when the kernel refuses.
void enter_user_namespace();

}  // namespace ftpsim::sim::netns
