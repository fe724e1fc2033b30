// Every namespace this process owns, kept where a signal handler or an atexit hook can reach it,
// so an interrupted run still removes its namespaces; and removal of leftovers from dead runs.
#pragma once

#include <string>
#include <vector>

namespace ftpsim::sim::netns {

constexpr const char* kDefaultPrefix = "ftpsim";

// Remembers a namespace name (fixed-size storage, lock-free) so cleanup_registered() can remove
// it. At most kMaxRegistered names at once; returns false when full (the caller must refuse to
// create the namespace rather than risk leaking it).
constexpr int kMaxRegistered = 256;
bool register_namespace(const std::string& name);
void unregister_namespace(const std::string& name);

// Removes every registered namespace the way `ip netns del` does (detach-unmount and unlink its
// /var/run/netns entry); only async-signal-safe calls, so usable from a signal handler.
void cleanup_registered() noexcept;

// Installs cleanup_registered() as an atexit hook and as the handler of SIGINT, SIGTERM, SIGHUP
// and SIGQUIT (which then re-raise with the default action so the exit status stays honest).
// Idempotent. Not installed implicitly: signal dispositions belong to the program.
void install_cleanup_handlers();

// Deletes one namespace by name with `ip netns del` (bounded in time). Returns false when it
// could not be deleted; a missing namespace counts as deleted.
bool delete_namespace(const std::string& name) noexcept;

// The namespaces under /var/run/netns whose names start with "prefix-".
std::vector<std::string> list_namespaces(const std::string& prefix);

// Removes namespaces named "prefix-<pid>-..." whose owner process <pid> no longer runs (gone, or a
// zombie not yet reaped) (or
// every "prefix-" namespace when include_live_owners). Returns the names removed.
std::vector<std::string> cleanup_stale(const std::string& prefix = kDefaultPrefix,
                                       bool include_live_owners = false);

}  // namespace ftpsim::sim::netns
