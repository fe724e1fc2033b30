// OUT/<scenario>.log, the same on both backends: what ran, then the client's side of the session
// as lines, commands (PASS, ACCT and secret arguments masked: client::masked_command) and
// replies in order, and why a step failed.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::run {

// "client> USER alice", "client> PASS ****", "client> ACCT ****", "client< 331 ...",
// "client: step failed: ...".
void append_client_log(const OpResult& result, std::vector<std::string>& lines);

// Writes `header` (text ending in a newline: the server's log, a summary of the network) and
// then the client's lines under "# client".
void write_run_log(const std::string& path, const std::string& header, const std::vector<std::string>& client_lines);

}  // namespace ftpsim::sim::run
