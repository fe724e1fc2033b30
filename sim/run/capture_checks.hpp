// The checks of a scenario's `expect` on its published captures: each capture point against its
// golden file (golden_check.hpp, with the ports the scenario fixed kept), and the partial
// `counts` checks (events matching every given analyzer JSON field, compared as text).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "sim/run/pcap_pin.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

struct PointResult {
    std::string point, capture, golden;
    enum class Status { kMatch, kMismatch, kUpdated, kUnchanged, kError } status = Status::kError;
    std::string diff;   // unified diff golden -> actual (mismatch, update)
    std::string error;  // kError: a missing golden, an unreadable capture
    // counts: one line per check that failed ("reply code=530: 2 events, expected 1")
    std::vector<std::string> count_failures;
    // pin_bytes: the capture's SHA-256 against golden/<name>.<point>.pcap.sha256 (pcap_pin.hpp)
    std::optional<PinOutcome> pin;
};

struct CheckCapturesOptions {
    std::set<std::uint16_t> keep_ports;
    std::string golden_dir;  // "" for the scenario's own paths (Scenario::golden_path)
    bool update = false;
    bool pin_bytes = false;  // the virtual network: its captures are pinned byte for byte too
};

// `captures`: (point, pcap path) in the scenario's order. Warnings of the analyzer go to `err`.
std::vector<PointResult> check_captures(const scenario::Scenario& s,
                                        const std::vector<std::pair<std::string, std::string>>& captures,
                                        const CheckCapturesOptions& options, std::ostream& err);

}  // namespace ftpsim::sim::run
