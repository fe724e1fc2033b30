#include "sim/run/leftovers.hpp"

#include <filesystem>
#include <mutex>

#include "golden/atomic_file.hpp"
#include "sim/netns/registry.hpp"

namespace ftpsim::sim::run {

std::vector<std::string> remove_namespaces_of_killed_runs() {
    static std::mutex mu;
    std::lock_guard lock(mu);
    return netns::cleanup_stale(kKernelNamespacePrefix);
}

void remove_leftovers_of_killed_runs(const std::string& who, const std::vector<std::string>& dirs, bool kernel,
                                     std::ostream& err) {
    for (const auto& dir : dirs) {
        if (dir.empty()) continue;
        for (const auto& name : golden::remove_abandoned_partials(dir))
            err << who << ": removed " << (std::filesystem::path(dir) / name).string()
                << ", a partial file left by a run that was killed\n";
    }
    if (!kernel) return;
    for (const auto& name : remove_namespaces_of_killed_runs())
        err << who << ": removed network namespace " << name << ", left by a run that was killed\n";
}

}  // namespace ftpsim::sim::run
