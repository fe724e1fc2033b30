// The checks of a scenario's `expect` on its published captures: each capture point against its
// golden file (golden_check.hpp, with the ports the scenario fixed kept), and the partial
// `counts` checks (events matching every given analyzer JSON field, compared as text). The
// kernel backend's captures are read from their files; the virtual network's frames are analysed
// in memory as they go onto the wire (FrameChecks).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decode/analyzer.hpp"
#include "golden/golden_check.hpp"
#include "sim/run/pcap_pin.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/vnet/frame_tap.hpp"

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
    CaptureFormat format = CaptureFormat::kPcap;  // which pin: x.client.pcap.sha256 or .pcapng.sha256
    bool host_tcp = false;   // the kernel backend: see loss_recovery_line() in capture_checks.cpp
};

using CapturePaths = std::vector<std::pair<std::string, std::string>>;  // (point, pcap path)

// A golden line of TCP loss recovery ("cN tcp retransmission|dup_ack|out_of_order|lost_segment
// ..."), which a kernel run compares only when the scenario names the events it keeps.
bool loss_recovery_line(std::string_view line);

// A golden comparison's outcome as a point's status.
PointResult::Status point_status(golden::CheckStatus s);

// What the analyses of a scenario's captures treat as secret: PASS and ACCT, and what its
// `secret: true` steps send (client::secret_arguments), which the run log masks too.
analyzer::AnalyzeOptions analyze_options(const scenario::Scenario& s);

// Reads each capture file. `captures` in the scenario's order. Warnings of the analyzer go to
// `err`.
std::vector<PointResult> check_captures(const scenario::Scenario& s, const CapturePaths& captures,
                                        const CheckCapturesOptions& options, std::ostream& err);

// The checks of capture points that all see the same frames (the virtual network's one link),
// fed by the network as it runs: one analysis for every point, no capture file read back
// (except to pin its bytes).
class FrameChecks : public vnet::FrameTap {
public:
    // `capture` names the frames in warnings and diffs until finish() names each point's file.
    FrameChecks(const scenario::Scenario& s, const CheckCapturesOptions& options, std::string capture,
                std::ostream& err);
    ~FrameChecks() override;

    void on_frame(std::int64_t time_ns, std::span<const std::uint8_t> frame) override;
    // After the last frame: each point's golden, counts and pin checks.
    std::vector<PointResult> finish(const CapturePaths& captures);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ftpsim::sim::run
