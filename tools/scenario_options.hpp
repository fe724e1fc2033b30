// The flags `ftpsim run` and `ftpsim test` share: where captures go, golden files, the network
// backend, the deadline and CTest's skip.
#pragma once

#include <CLI/CLI.hpp>

#include "sim/run/scenario_outcome.hpp"

namespace ftpsim::tools {

// Registers --out, --golden-dir, --update-golden, --net, --deadline (into `deadline_s`, seconds)
// and --skip-without-privilege, and the footer text about the backends.
void add_scenario_run_options(CLI::App& cmd, sim::run::ScenarioRunOptions& run, unsigned& deadline_s,
                              bool& skip_without_privilege);

}  // namespace ftpsim::tools
