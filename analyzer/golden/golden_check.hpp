// Compares a capture's decoded sequence with its golden file, or rewrites the golden file.
// Golden files are written by `ftpsim check --update` only, never by hand (Zeek btest style).
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace ftpsim::golden {

enum class CheckStatus { kMatch, kMismatch, kUpdated, kUnchanged };

struct CheckOutcome {
    CheckStatus status = CheckStatus::kMatch;
    std::string diff;  // unified diff golden -> actual, on a mismatch or an update
};

struct CheckOptions {
    std::set<std::uint16_t> keep_ports;  // ports the scenario fixed: kept in the golden form
    bool update = false;
    // The caller's flag that creates a missing golden file, named in the error when one is
    // missing: `ftpsim check --update`, `ftpsim run/test --update-golden`.
    std::string update_flag = "--update";
    // Lines of both texts that the comparison leaves out (a kernel run's TCP loss recovery, see
    // sim/run/capture_checks.cpp). An update still writes every line of the actual text.
    std::function<bool(std::string_view line)> ignore_line;
};

// The golden form of a capture (warnings go to `err`). Throws capture::CaptureError.
std::string golden_text(const std::string& capture, const std::set<std::uint16_t>& keep_ports,
                        std::ostream& err);

// Throws capture::CaptureError for a bad capture, std::runtime_error for a missing golden file
// (without update) or one that cannot be written. An update creates the golden file's missing
// directories (a new scenario folder, a new --golden-dir). The update is atomic (golden/atomic_file.hpp):
// an interrupted run leaves the old golden intact.
CheckOutcome check_golden(const std::string& capture, const std::string& golden_path,
                          const CheckOptions& options, std::ostream& err);
// The same for a golden form already rendered (by a caller that analyses the capture once for
// several checks); `capture` names it in the diff. options.keep_ports is not used.
CheckOutcome check_golden_text(const std::string& actual, const std::string& capture,
                               const std::string& golden_path, const CheckOptions& options);

}  // namespace ftpsim::golden
