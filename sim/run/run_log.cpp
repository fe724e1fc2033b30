#include "sim/run/run_log.hpp"

#include <fstream>

#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim::run {

void append_client_log(const OpResult& r, std::vector<std::string>& lines) {
    for (const auto& c : r.commands) lines.push_back("client> " + client::masked_command(r.op, c));
    for (const auto& rep : r.replies)
        for (const auto& l : rep.lines) lines.push_back("client< " + l);
    if (!r.ok) lines.push_back("client: step failed: " + r.error);
}

void write_run_log(const std::string& path, const std::string& header, const std::vector<std::string>& client_lines) {
    std::ofstream f(path, std::ios::trunc);
    f << header << "# client\n";
    for (const auto& l : client_lines) f << l << "\n";
}

}  // namespace ftpsim::sim::run
