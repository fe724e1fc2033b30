#include "golden/golden_check.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "decode/analyzer.hpp"
#include "golden/atomic_file.hpp"
#include "golden/unified_diff.hpp"
#include "render/renderers.hpp"

namespace ftpsim::golden {
namespace {

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

}  // namespace

std::string golden_text(const std::string& capture, const std::set<std::uint16_t>& keep_ports,
                        std::ostream& err) {
    render::GoldenRenderer golden(err, keep_ports);
    analyzer::analyze_file(capture, golden);
    return golden.text();
}

CheckOutcome check_golden(const std::string& capture, const std::string& golden_path,
                          const CheckOptions& options, std::ostream& err) {
    return check_golden_text(golden_text(capture, options.keep_ports, err), capture, golden_path, options);
}

CheckOutcome check_golden_text(const std::string& actual, const std::string& capture,
                               const std::string& golden_path, const CheckOptions& options) {
    std::string expected;
    bool exists = read_file(golden_path, expected);
    if (!exists && !options.update) {
        throw std::runtime_error(golden_path + ": golden file does not exist (run with " + options.update_flag +
                                 " to create it)");
    }
    CheckOutcome outcome;
    auto compared = [&](const std::string& text) {
        auto lines = split_lines(text);
        if (options.ignore_line) std::erase_if(lines, [&](const auto& l) { return options.ignore_line(l); });
        return lines;
    };
    outcome.diff = unified_diff(compared(expected), compared(actual),
                                exists ? golden_path : "/dev/null", capture + " (decoded)");
    if (!options.update) {
        outcome.status = outcome.diff.empty() ? CheckStatus::kMatch : CheckStatus::kMismatch;
        return outcome;
    }
    if (exists && expected == actual) {
        outcome.status = CheckStatus::kUnchanged;
        return outcome;
    }
    create_parent_directories(golden_path);
    write_file_atomically(golden_path, actual);
    outcome.status = CheckStatus::kUpdated;
    return outcome;
}

}  // namespace ftpsim::golden
