// Runs the ftpsim command-line tool (FTPSIM_BINARY) and captures its exit status and output.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/read_file.hpp"

namespace ftpsim::testsupport {

struct CliResult {
    int exit_code = -1;  // -1: did not exit normally
    std::string out, err;
};

// `scratch` is a directory for the captured output streams.
CliResult run_ftpsim(const std::vector<std::string>& args, const std::filesystem::path& scratch);

// The lines of `text` (without their '\n'); a last line without '\n' counts too.
std::vector<std::string> lines_of(const std::string& text);

}  // namespace ftpsim::testsupport
