// ftpsim: FTP traffic simulator and pcap analyzer.
#include <iostream>
#include <map>

#include "commands.hpp"

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    CLI::App app{"ftpsim: FTP traffic simulator and pcap analyzer"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "ftpsim " FTPSIM_VERSION);  // project() in CMakeLists.txt
    std::map<CLI::App*, ftpsim::tools::Run> runs;
    using namespace ftpsim::tools;
    for (auto& sub : {add_analyze_command(app), add_annotate_command(app), add_check_command(app),
                      add_explain_command(app), add_nat_check_command(app), add_serve_command(app),
                      add_client_command(app), add_run_command(app), add_test_command(app)})
        runs[sub.app] = sub.run;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;  // usage errors are bad input: exit 2, like every other
    }
    for (auto* sub : app.get_subcommands()) return runs.at(sub)();
    return 2;
}
