// What a killed run leaves, removed by the next run. SIGKILL (or the OOM killer, or a power cut)
// runs no destructor and no signal handler, so a run killed at any moment may leave:
//  - temporaries of its output files, ".NAME.partial.PID.N" beside the file they were to become
//    (golden/atomic_file.hpp); never a partial file under a final name;
//  - on the kernel backend, its network namespaces "ftpsimrun-PID-N-HOST" (with their veth pairs
//    and nftables rules, which live only inside them).
// Both carry the owner's PID, so a run removes only those whose process is gone: never those of a
// run still going in the same directory or on the same machine. Each removal is said on stderr.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace ftpsim::sim::run {

// The kernel backend's namespace prefix: its namespaces are "ftpsimrun-<pid>-<n>-<host>".
constexpr const char* kKernelNamespacePrefix = "ftpsimrun";

// Removes the kernel backend's namespaces whose owner process is dead; the names removed. Safe
// from several threads at once (ftpsim test's workers): one removes, the others find none.
std::vector<std::string> remove_namespaces_of_killed_runs();

// Removes the abandoned temporaries in each directory (empty entries skipped) and, with
// `kernel`, the namespaces above; one line per removal on `err`, "WHO: removed ...".
void remove_leftovers_of_killed_runs(const std::string& who, const std::vector<std::string>& dirs, bool kernel,
                                     std::ostream& err);

}  // namespace ftpsim::sim::run
