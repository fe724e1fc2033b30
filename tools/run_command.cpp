// `ftpsim run SCENARIO...`: runs scenario files (docs/scenario-format.md) into captures and
// checks them against their golden files. The work is in sim/run; this is the command line.
#include <iostream>

#include "commands.hpp"
#include "sim/run/run_scenarios.hpp"

namespace ftpsim::tools {

Subcommand add_run_command(CLI::App& app) {
    auto opt = std::make_shared<sim::run::RunScenariosOptions>();
    auto deadline_s = std::make_shared<unsigned>(30);
    CLI::App* cmd = app.add_subcommand("run", "Run scenario files into pcaps and check them against golden files");
    cmd->footer(
        "Network backends (--net):\n"
        "  virtual  (the default) simulated TCP on a virtual clock in one process: byte-identical pcaps,\n"
        "           no privilege needed\n"
        "  kernel   real network namespaces and veth pairs on kernel TCP; as root, or else inside a user\n"
        "           namespace of its own where the kernel allows unprivileged ones\n"
        "Each capture point's pcap is OUT/<scenario>.<point>.pcap, the server's and client's log OUT/<scenario>.log.\n"
        "Exit: 0 every scenario passed, 1 one failed, 2 bad input or environment.");
    cmd->add_option("SCENARIO", opt->files, "scenario files (YAML)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", opt->run.out_dir, "directory for the captures and logs")->capture_default_str();
    cmd->add_option("--golden-dir", opt->run.golden_dir,
                    "read and write golden files in this directory instead of golden/ (or expect.golden's)");
    cmd->add_flag("--update-golden", opt->run.update_golden, "rewrite the golden files from this run's captures");
    cmd->add_option("--net", opt->run.net, "network backend: virtual (default) or kernel")
        ->capture_default_str();
    cmd->add_option("--deadline", *deadline_s, "seconds a scenario may take before it is torn down and fails")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    cmd->add_flag("--skip-without-privilege", opt->skip_without_privilege,
                  "exit 77 (skipped, for CTest) instead of 2 without the privilege, unless CI=true");
    return {cmd, [opt, deadline_s] {
        opt->run.deadline = std::chrono::seconds(*deadline_s);
        return sim::run::run_scenarios(*opt, std::cout, std::cerr);
    }};
}

}  // namespace ftpsim::tools
