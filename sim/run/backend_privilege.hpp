// Getting the privilege the kernel backend needs, once per process and before any thread starts:
// root or CAP_NET_ADMIN+CAP_SYS_ADMIN as they are; otherwise the process moves itself into a user
// namespace where it is root (netns/user_namespace.hpp), which needs no host privilege where the
// kernel allows unprivileged user namespaces.
#pragma once

#include <ostream>
#include <string>

namespace ftpsim::sim::run {

// Whether CI=true: a missing privilege there is a broken setup, not a reason to skip.
bool in_ci();

// kExitPass when scenarios can run; otherwise prints what is missing to `err` (prefixed with
// `who`) and returns kExitSkip (skip_without_privilege outside CI) or kExitBad.
// Must be called while the process has one thread.
int acquire_kernel_backend(const std::string& who, bool skip_without_privilege, std::ostream& err);

}  // namespace ftpsim::sim::run
