#include "sim/run/run_log.hpp"

#include "golden/atomic_file.hpp"

#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim::run {

void append_client_log(const OpResult& r, std::vector<std::string>& lines) {
    for (const auto& c : r.commands) lines.push_back("client> " + client::masked_command(r.op, c));
    for (const auto& rep : r.replies)
        for (const auto& l : rep.lines) lines.push_back("client< " + l);
    if (!r.ok) lines.push_back("client: step failed: " + r.error);
}

void write_run_log(const std::string& path, const std::string& header, const std::vector<std::string>& client_lines) {
    std::string text = header + "# client\n";
    for (const auto& l : client_lines) text += l + "\n";
    golden::write_file_atomically(path, text);
}

}  // namespace ftpsim::sim::run
