// `ftpsim test [DIR|FILE...]`: the whole scenario suite in parallel jobs, with a summary of every
// scenario's time and an optional JUnit XML report. The work is in sim/run; this is the command line.
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "sim/run/test_suite.hpp"

namespace ftpsim::tools {

Subcommand add_test_command(CLI::App& app) {
    auto opt = std::make_shared<sim::run::TestSuiteOptions>();
    auto deadline_s = std::make_shared<unsigned>(30);
    CLI::App* cmd = app.add_subcommand("test", "Run every scenario of a directory in parallel and check its captures");
    cmd->footer(
        "Each scenario's report is printed as it finishes, then a summary with every scenario's time.\n"
        "Golden files: golden/<scenario>.<point>.golden relative to the current directory (or --golden-dir).\n"
        "Exit: 0 every scenario passed, 1 one failed, 2 bad input or environment.");
    opt->paths.clear();
    cmd->add_option("PATH", opt->paths, "scenario directories (their *.yaml files) or files; default: scenarios");
    cmd->add_option("--out", opt->run.out_dir, "directory for the captures and logs")->capture_default_str();
    cmd->add_option("--golden-dir", opt->run.golden_dir,
                    "read and write golden files in this directory instead of golden/ (or expect.golden's)");
    cmd->add_flag("--update-golden", opt->run.update_golden, "rewrite the golden files from this run's captures");
    cmd->add_option("--net", opt->run.net, "network backend: virtual (default) or kernel")
        ->capture_default_str();
    cmd->add_option("-j,--jobs", opt->jobs, "scenarios run at once (default: one per core)")
        ->check(CLI::Range(1u, 64u));
    cmd->add_option("--junit", opt->junit_path, "also write a JUnit XML report to this file");
    cmd->add_option("--deadline", *deadline_s, "seconds a scenario may take before it is torn down and fails")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    cmd->add_flag("--skip-without-privilege", opt->skip_without_privilege,
                  "exit 77 (skipped, for CTest) instead of 2 without the privilege, unless CI=true");
    return {cmd, [opt, deadline_s] {
        if (opt->paths.empty()) opt->paths = {"scenarios"};
        opt->run.deadline = std::chrono::seconds(*deadline_s);
        return sim::run::run_test_suite(*opt, std::cout, std::cerr);
    }};
}

}  // namespace ftpsim::tools
