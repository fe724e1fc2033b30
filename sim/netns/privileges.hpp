// Whether this process may create network namespaces, and a message saying what is missing.
#pragma once

#include <stdexcept>
#include <string>

namespace ftpsim::sim::netns {

enum class Privilege {
    kRoot,           // euid 0
    kCapabilities,   // CAP_NET_ADMIN and CAP_SYS_ADMIN effective (named namespaces need mounts)
    kUserNamespace,  // neither, but a child could unshare(CLONE_NEWUSER|CLONE_NEWNET)
    kNone,
};

// Probes the current process (the user-namespace probe runs in a forked child, so this process
// is left untouched).
Privilege probe_privilege();

// Throws PrivilegeError unless named namespaces can be created (kRoot or kCapabilities).
// For kUserNamespace the message points to enter_user_namespace() (user_namespace.hpp).
class PrivilegeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
void require_netns_privilege();

}  // namespace ftpsim::sim::netns
