#include "crosscheck/tshark_fields.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>

namespace ftpsim::crosscheck {

namespace {

// Wireshark's PI_ERROR (epan/proto.h), as _ws.expert.severity prints it.
constexpr const char* kSeverityError = "8388608";
// Joins the values of a field that occurs more than once in a frame: a byte no message contains.
constexpr char kAggregator = '\x1f';

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos) return out;
        start = pos + 1;
    }
}

// stdout lines of a shell command (without line ends) and its exit status (-1: not run).
std::vector<std::string> run(const std::string& cmd, int& status) {
    std::vector<std::string> lines;
    status = -1;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return lines;
    std::array<char, 65536> buf{};
    std::string line;
    while (std::fgets(buf.data(), static_cast<int>(buf.size()), p) != nullptr) {
        line += buf.data();
        if (line.empty() || line.back() != '\n') continue;  // a line longer than the buffer
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        lines.push_back(line);
        line.clear();
    }
    if (!line.empty()) lines.push_back(line);
    const int raw = pclose(p);
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return lines;
}

std::string tshark_command(const std::string& capture, const std::string& options,
                           const std::string& filter, const std::vector<std::string>& fields) {
    std::string cmd = "tshark -n -r '" + capture + "' " + options + " -Y '" + filter +
                      "' -T fields -E separator=/t";
    for (const auto& f : fields) cmd += " -e " + f;
    return cmd;
}

}  // namespace

bool have_tshark() { return std::system("tshark --version >/dev/null 2>&1") == 0; }

std::vector<std::vector<std::string>> tshark_fields(const std::string& capture,
                                                    const std::string& filter,
                                                    const std::vector<std::string>& fields,
                                                    const std::string& extra_options) {
    int status = 0;
    auto lines = run(tshark_command(capture, extra_options + " -E occurrence=f", filter, fields) +
                         " 2>/dev/null",
                     status);
    std::vector<std::vector<std::string>> rows;
    for (const auto& line : lines) {
        auto row = split(line, '\t');
        row.resize(fields.size());
        rows.push_back(std::move(row));
    }
    return rows;
}

TsharkErrors tshark_errors(const std::string& capture, bool check_checksums) {
    std::string options = std::string("-E 'aggregator=") + kAggregator + "'";
    if (check_checksums) options += " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE";
    const std::string filter = std::string("_ws.expert.severity == ") + kSeverityError;
    // stderr joins stdout: expert rows start with a frame number and a tab, anything else is
    // tshark talking about the file.
    int status = 0;
    auto lines = run(tshark_command(capture, options, filter,
                                    {"frame.number", "_ws.expert.severity", "_ws.expert.message"}) +
                         " 2>&1",
                     status);
    TsharkErrors out;
    for (const auto& line : lines) {
        auto row = split(line, '\t');
        if (row.size() == 3 && !row[0].empty() &&
            row[0].find_first_not_of("0123456789") == std::string::npos) {
            auto severities = split(row[1], kAggregator);
            auto messages = split(row[2], kAggregator);
            for (std::size_t i = 0; i < severities.size(); ++i) {
                if (severities[i] != kSeverityError) continue;
                out.expert.push_back(ExpertError{std::stoull(row[0]),
                                                 i < messages.size() ? messages[i] : "?"});
            }
        } else if (!line.empty() && line.rfind("Running as user", 0) != 0) {
            out.tool.push_back(line);  // the root warning is tshark's usual noise under sudo
        }
    }
    if (status != 0) out.tool.push_back("tshark exit status " + std::to_string(status));
    return out;
}

}  // namespace ftpsim::crosscheck
