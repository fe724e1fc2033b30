#include "support/cli_runner.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ftpsim::testsupport {
namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

}  // namespace

CliResult run_ftpsim(const std::vector<std::string>& args, const std::filesystem::path& scratch) {
    const auto out_path = scratch / "cli.stdout";
    const auto err_path = scratch / "cli.stderr";
    std::string cmd = shell_quote(FTPSIM_BINARY);
    for (const auto& a : args) cmd += " " + shell_quote(a);
    cmd += " >" + shell_quote(out_path.string()) + " 2>" + shell_quote(err_path.string()) +
           " </dev/null";
    CliResult r;
    int status = std::system(cmd.c_str());
    if (status != -1 && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    r.out = read_text(out_path);
    r.err = read_text(err_path);
    return r;
}

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

}  // namespace ftpsim::testsupport
