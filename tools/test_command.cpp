// `ftpsim test [DIR|FILE...]`: the whole scenario suite in parallel jobs, with a summary of every
// scenario's time and an optional JUnit XML report. The work is in sim/run; this is the command line.
#include <iostream>

#include "commands.hpp"
#include "scenario_options.hpp"
#include "sim/run/test_suite.hpp"

namespace ftpsim::tools {

Subcommand add_test_command(CLI::App& app) {
    auto opt = std::make_shared<sim::run::TestSuiteOptions>();
    auto deadline_s = std::make_shared<unsigned>(30);
    CLI::App* cmd = app.add_subcommand("test", "Run every scenario of a directory in parallel and check its captures");
    cmd->footer(
        "Each scenario's report is printed as it finishes, then a summary with every scenario's time.\n"
        "Golden files: golden/<scenario>.<point>.golden relative to the current directory (or --golden-dir).");
    opt->paths.clear();
    cmd->add_option("PATH", opt->paths, "scenario directories (their *.yaml files) or files; default: scenarios");
    cmd->add_option("-j,--jobs", opt->jobs, "scenarios run at once (default: one per core)")
        ->check(CLI::Range(1u, 64u));
    cmd->add_option("--junit", opt->junit_path, "also write a JUnit XML report to this file");
    add_scenario_run_options(*cmd, opt->run, *deadline_s, opt->skip_without_privilege);
    return {cmd, [opt, deadline_s] {
        if (opt->paths.empty()) opt->paths = {"scenarios"};
        opt->run.deadline = std::chrono::seconds(*deadline_s);
        return sim::run::run_test_suite(*opt, std::cout, std::cerr);
    }};
}

}  // namespace ftpsim::tools
