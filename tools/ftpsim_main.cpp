// ftpsim: FTP traffic simulator and pcap analyzer.
#include <iostream>
#include <map>

#include "commands.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    CLI::App app{"ftpsim: FTP traffic simulator and pcap analyzer"};
    app.require_subcommand(1);
    std::map<CLI::App*, ftpsim::tools::Run> runs;
    for (auto& sub : {ftpsim::tools::add_analyze_command(app), ftpsim::tools::add_check_command(app)})
        runs[sub.app] = sub.run;
#ifdef FTPSIM_WITH_SIM
    for (auto& sub : {ftpsim::tools::add_serve_command(app), ftpsim::tools::add_client_command(app)})
        runs[sub.app] = sub.run;
#endif
#ifdef FTPSIM_WITH_RUN
    for (auto& sub : {ftpsim::tools::add_run_command(app), ftpsim::tools::add_test_command(app)})
        runs[sub.app] = sub.run;
#endif
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;  // usage errors are bad input: exit 2, like every other
    }
    for (auto* sub : app.get_subcommands()) return runs.at(sub)();
    return 2;
}
