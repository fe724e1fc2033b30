#include "crosscheck/tshark_fields.hpp"

#include <sys/wait.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

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

// Expert items of one frame (its _ws.expert.severity and _ws.expert.message values, joined by
// kAggregator) that are errors.
void add_expert_errors(std::uint64_t frame, const std::string& severities_joined,
                       const std::string& messages_joined, std::vector<ExpertError>& out) {
    auto severities = split(severities_joined, kAggregator);
    auto messages = split(messages_joined, kAggregator);
    for (std::size_t i = 0; i < severities.size(); ++i) {
        if (severities[i] != kSeverityError) continue;
        out.push_back(ExpertError{frame, i < messages.size() ? messages[i] : "?"});
    }
}

// What tshark said on stderr that is not its usual noise (the root warning under sudo).
void add_tool_line(const std::string& line, std::vector<std::string>& out) {
    if (!line.empty() && line.rfind("Running as user", 0) != 0) out.push_back(line);
}

bool is_frame_number(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
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
        if (row.size() == 3 && is_frame_number(row[0])) {
            add_expert_errors(std::stoull(row[0]), row[1], row[2], out.expert);
        } else {
            add_tool_line(line, out.tool);
        }
    }
    if (status != 0) out.tool.push_back("tshark exit status " + std::to_string(status));
    return out;
}

TsharkView::TsharkView(const std::string& capture, const std::vector<std::string>& fields,
                       const std::string& options, bool check_checksums)
    : columns_{"frame.number", "frame.protocols", "_ws.expert.severity", "_ws.expert.message"} {
    for (const auto& f : fields) {
        if (std::find(columns_.begin(), columns_.end(), f) == columns_.end()) columns_.push_back(f);
    }
    std::string all_options = options + " -E occurrence=a -E 'aggregator=" + kAggregator + "'";
    if (check_checksums) all_options += " -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE";
    // stderr goes to a file of its own: a message there must not land inside a frame's row.
    char stderr_path[] = "/tmp/ftpsim-tshark-stderr-XXXXXX";
    const int fd = mkstemp(stderr_path);
    if (fd < 0) {
        errors_.tool.push_back("cannot create a file for tshark's stderr");
        return;
    }
    close(fd);
    int status = 0;
    std::string cmd = "tshark -n -r '" + capture + "' " + all_options + " -T fields -E separator=/t";
    for (const auto& c : columns_) cmd += " -e " + c;
    for (const auto& line : run(cmd + " 2>'" + stderr_path + "'", status)) {
        auto row = split(line, '\t');
        if (row.size() != columns_.size() || !is_frame_number(row[0])) {
            errors_.tool.push_back("unexpected tshark output: " + line);
            continue;
        }
        add_expert_errors(std::stoull(row[0]), row[2], row[3], errors_.expert);
        std::vector<std::vector<std::string>> values;
        for (const auto& cell : row) values.push_back(split(cell, kAggregator));
        frames_.push_back(std::move(values));
    }
    std::ifstream err(stderr_path);
    for (std::string line; std::getline(err, line);) add_tool_line(line, errors_.tool);
    std::remove(stderr_path);
    if (status != 0) errors_.tool.push_back("tshark exit status " + std::to_string(status));
}

std::vector<std::vector<std::string>> TsharkView::select(const std::string& protocol,
                                                         const std::vector<std::string>& fields) const {
    std::vector<std::size_t> index;
    for (const auto& f : fields) {
        auto it = std::find(columns_.begin(), columns_.end(), f);
        if (it == columns_.end()) throw std::logic_error("TsharkView: field " + f + " was not read");
        index.push_back(static_cast<std::size_t>(it - columns_.begin()));
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& frame : frames_) {
        // frame.protocols: "eth:ethertype:ip:tcp:ftp"; "ftp-data" is not "ftp".
        const auto layers = split(frame[1].front(), ':');
        if (std::find(layers.begin(), layers.end(), protocol) == layers.end()) continue;
        std::vector<std::string> row;
        for (auto i : index) row.push_back(frame[i].front());
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace ftpsim::crosscheck
