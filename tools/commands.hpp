// Subcommands of the ftpsim command line. Each registers its flags and returns the function
// that runs it; the work itself is done by the libraries.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ftpsim::tools {

using Run = std::function<int()>;  // exit status: 0 ok, 1 mismatch, 2 bad input or environment
struct Subcommand {
    CLI::App* app;
    Run run;
};

Subcommand add_analyze_command(CLI::App& app);
Subcommand add_annotate_command(CLI::App& app);
Subcommand add_check_command(CLI::App& app);
Subcommand add_explain_command(CLI::App& app);
Subcommand add_nat_check_command(CLI::App& app);
Subcommand add_serve_command(CLI::App& app);
Subcommand add_client_command(CLI::App& app);
Subcommand add_run_command(CLI::App& app);
Subcommand add_test_command(CLI::App& app);

}  // namespace ftpsim::tools
