// `ftpsim run SCENARIO...`: runs scenario files (docs/scenario-format.md) into captures and
// checks them against their golden files. The work is in sim/run; this is the command line.
#include <iostream>

#include "commands.hpp"
#include "scenario_options.hpp"
#include "sim/run/run_scenarios.hpp"

namespace ftpsim::tools {

Subcommand add_run_command(CLI::App& app) {
    auto opt = std::make_shared<sim::run::RunScenariosOptions>();
    auto deadline_s = std::make_shared<unsigned>(30);
    CLI::App* cmd = app.add_subcommand("run", "Run scenario files into pcaps and check them against golden files");
    cmd->add_option("SCENARIO", opt->files, "scenario files (YAML)")->required()->check(CLI::ExistingFile);
    add_scenario_run_options(*cmd, opt->run, *deadline_s, opt->skip_without_privilege);
    return {cmd, [opt, deadline_s] {
        opt->run.deadline = std::chrono::seconds(*deadline_s);
        return sim::run::run_scenarios(*opt, std::cout, std::cerr);
    }};
}

}  // namespace ftpsim::tools
