// One scenario file run on a network backend and checked: the unit both `ftpsim run` (one after
// another) and `ftpsim test` (in parallel jobs) are made of. Nothing is printed while it runs, so
// that parallel scenarios' reports do not interleave; the outcome carries its own text.
#pragma once

#include <chrono>
#include <string>
#include <variant>

#include "sim/run/capture_format.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/run/virtual_runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

struct ScenarioRunOptions {
    std::string net = "virtual";  // "virtual" (sim/vnet) or "kernel" (namespaces)
    std::string out_dir = "scenario-out";
    // Where golden files are read and written: golden/<name>.<point>.golden by default; with a
    // directory set, DIR/<name>.<point>.golden (an expect.golden keeps its file name, in DIR).
    std::string golden_dir;
    bool update_golden = false;
    std::chrono::milliseconds deadline{30000};  // kernel backend: wall clock per scenario
    CaptureFormat format = CaptureFormat::kPcap;  // pcapng: annotated (annotated_capture.hpp)
    // Not empty: each published capture's lesson is written here (lesson_files.hpp).
    std::string lessons_dir;
    // Virtual network: beside each capture, its ground truth (truth_files.hpp).
    bool truth = false;
};

struct ScenarioOutcome {
    std::string file;
    std::string name;  // the scenario's name, or the file when it could not be loaded
    int status = 0;    // kExitPass, kExitFail, kExitBad or kExitSkip (exit_status.hpp)
    std::string reason;     // why it did not pass, one line
    std::string report;     // per capture point: "  client: golden/x.client.golden: match", diffs
    std::string warnings;   // the analyzer's and the capture's warnings, one per line
    std::chrono::steady_clock::duration elapsed{};

    // "PASS name (0.12 s)" or "FAIL name (0.31 s): reason".
    std::string summary_line() const;
    double seconds() const { return std::chrono::duration<double>(elapsed).count(); }
};

// "0.12 s": how reports print a time.
std::string format_seconds(double seconds);

// A scenario file loaded and planned for one backend, ready to run: each file is read and
// planned once, before any privilege is sought or any namespace exists.
struct PreparedScenario {
    scenario::Scenario scenario;
    std::variant<NetworkPlan, VirtualPlan> plan;  // the kernel backend's, or the virtual network's
};

// The prepared scenario, or the outcome that ends it before it runs: ERROR for bad input
// (FILE:LINE:COLUMN: KEY: ...) or what a backend cannot do, SKIP for a virtual-network-only
// scenario on the kernel backend.
std::variant<PreparedScenario, ScenarioOutcome> prepare_scenario(const std::string& file, const std::string& net);

// Runs it on its plan's backend and checks the captures. Never throws: every error becomes a
// status and a reason.
ScenarioOutcome run_scenario(const PreparedScenario& prepared, const ScenarioRunOptions& options);

}  // namespace ftpsim::sim::run
