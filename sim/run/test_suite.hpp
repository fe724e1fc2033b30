// `ftpsim test`: every scenario of one or more directories, in parallel jobs, each checked against
// its golden files; a report per scenario as it finishes, a summary with every scenario's time,
// and optionally a JUnit XML report.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/run/scenario_outcome.hpp"

namespace ftpsim::sim::run {

struct TestSuiteOptions {
    std::vector<std::string> paths{"scenarios"};  // directories (their *.yaml, *.yml) or files
    ScenarioRunOptions run;  // run.net: "virtual" (default) or "kernel"
    unsigned jobs = 0;       // 0: one per core
    std::string junit_path;  // "" for none
    bool skip_without_privilege = false;
};

// The scenario files of `paths`, in order: a directory gives its *.yaml and *.yml files sorted
// by name (not recursively), a file itself. Throws std::runtime_error naming a path that does
// not exist, or a directory without scenario files.
std::vector<std::string> discover_scenarios(const std::vector<std::string>& paths);

// Exit status as `ftpsim run` (exit_status.hpp).
int run_test_suite(const TestSuiteOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ftpsim::sim::run
