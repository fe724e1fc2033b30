// `ftpsim run`: every scenario file in turn, loaded, run on the chosen network backend, its
// captures checked against their golden files; one result line per scenario with its time.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

namespace ftpsim::sim::run {

struct RunScenariosOptions {
    std::vector<std::string> files;
    std::string out_dir = "scenario-out";
    bool update_golden = false;
    std::string net = "kernel";  // "kernel" or "virtual" (not built yet)
    std::chrono::milliseconds deadline{30000};  // per scenario
    // For CTest: exit 77 (skipped) rather than 2 when namespaces cannot be created, except with
    // CI=true, where a missing privilege is a broken setup and must fail.
    bool skip_without_privilege = false;
};

// Exit status: 0 every scenario passed, 1 one failed (golden mismatch, counts, deadline),
// 2 bad input or environment (takes precedence), 77 skipped (see skip_without_privilege).
int run_scenarios(const RunScenariosOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ftpsim::sim::run
