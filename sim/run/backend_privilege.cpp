#include "sim/run/backend_privilege.hpp"

#include <cstdlib>

#include "sim/netns/privileges.hpp"
#include "sim/netns/user_namespace.hpp"
#include "sim/run/exit_status.hpp"

namespace ftpsim::sim::run {

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

int acquire_kernel_backend(const std::string& who, bool skip_without_privilege, std::ostream& err) {
    std::string why;
    switch (netns::probe_privilege()) {
        case netns::Privilege::kRoot:
        case netns::Privilege::kCapabilities: return kExitPass;
        case netns::Privilege::kUserNamespace:
            try {
                netns::enter_user_namespace();
                err << who << ": not root: running the kernel backend inside a user namespace of its own\n";
                return kExitPass;
            } catch (const netns::PrivilegeError& e) {
                why = std::string("entering a user namespace failed: ") + e.what();
            }
            break;
        case netns::Privilege::kNone: why = "this kernel refuses unprivileged user namespaces"; break;
    }
    err << who << ": the kernel network backend needs root, CAP_NET_ADMIN with CAP_SYS_ADMIN, or an "
        << "unprivileged user namespace to create network namespaces: " << why << "\n";
    if (skip_without_privilege && !in_ci()) {
        err << who << ": skipped\n";
        return kExitSkip;
    }
    return kExitBad;
}

}  // namespace ftpsim::sim::run
