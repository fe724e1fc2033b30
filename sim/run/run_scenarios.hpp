// `ftpsim run`: every scenario file in turn, loaded, run on the chosen network backend, its
// captures checked against their golden files; one result line per scenario with its time.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/run/scenario_outcome.hpp"

namespace ftpsim::sim::run {

struct RunScenariosOptions {
    std::vector<std::string> files;
    ScenarioRunOptions run;  // run.net: "virtual" (default) or "kernel"
    // For CTest: exit 77 (skipped) rather than 2 when namespaces cannot be created, except with
    // CI=true, where a missing privilege is a broken setup and must fail.
    bool skip_without_privilege = false;
};

// Exit status (exit_status.hpp): 0 every scenario passed, 1 one failed (golden mismatch, counts,
// deadline), 2 bad input or environment (takes precedence), 77 skipped.
int run_scenarios(const RunScenariosOptions& options, std::ostream& out, std::ostream& err);

// What `ftpsim run` prints of one scenario: its checks, its warnings (to `err`), its result line.
void print_outcome(const ScenarioOutcome& outcome, std::ostream& out, std::ostream& err);

// Refuses a backend name other than "virtual" and "kernel"; creates the output directory.
// kExitPass or kExitBad, with the reason printed.
int check_backend_and_output(const std::string& who, const std::string& net, const std::string& out_dir,
                             std::ostream& err);

}  // namespace ftpsim::sim::run
