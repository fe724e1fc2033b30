// `--truth`: beside each capture of a virtual-network run, OUT/<scenario>.<point>.truth.json,
// what a correct dissector reports for each of its frames (sim/truth, docs/ground-truth.md).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/scenario.hpp"
#include "sim/truth/session_record.hpp"

namespace ftpsim::sim::run {

// X.pcap or X.pcapng -> X.truth.json
std::string truth_path_for(const std::string& capture_path);

class TruthRecording {
public:
    // Puts a FrameLog behind each capture point's tap (`taps`: one per point, each may be null;
    // each is replaced by a tee to it and the log).
    explicit TruthRecording(std::vector<vnet::FrameTap*>& taps);
    vnet::SessionLedger* ledger() { return &ledger_; }
    // Writes each point's truth beside its published capture (`published`: point, path, in the
    // points' order) and returns the files written. Throws std::runtime_error naming the point
    // when its truth cannot be built.
    std::vector<std::string> write(const scenario::Scenario& s,
                                   const std::vector<std::pair<std::string, std::string>>& published) const;

private:
    truth::ControlLedger ledger_;
    std::vector<std::unique_ptr<truth::FrameLog>> logs_;
    std::vector<std::unique_ptr<truth::TeeTap>> tees_;
};

}  // namespace ftpsim::sim::run
