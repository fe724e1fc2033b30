#include "support/cli_runner.hpp"

#include <chrono>
#include <sstream>

#include "support/process.hpp"

namespace ftpsim::testsupport {

CliResult run_ftpsim(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
    ProcessOptions po;
    po.argv = {FTPSIM_BINARY};
    po.argv.insert(po.argv.end(), args.begin(), args.end());
    po.stdout_file = scratch / "cli.stdout";
    po.stderr_file = scratch / "cli.stderr";
    // Bounded well past any ctest TIMEOUT of the callers: a hang is ended there, not here.
    const RunResult run = run_process(std::move(po), std::chrono::minutes(15));
    CliResult r;
    if (!run.timed_out && run.exit_code >= 0) r.exit_code = run.exit_code;
    r.out = run.out;
    r.err = run.err;
    return r;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

}  // namespace ftpsim::testsupport
