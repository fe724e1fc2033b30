// NAME.POINT.truth.json: the ground truth of one capture as JSON (schema "ftpsim-truth/1",
// docs/ground-truth.md). One array element per line, so that two truths diff line by line.
#pragma once

#include <string>

#include "sim/truth/ground_truth.hpp"

namespace ftpsim::sim::truth {

struct TruthHeader {
    std::string scenario;       // the scenario's name
    std::string capture_point;  // its capture point
    std::string pcap;           // the capture's file name (no directory)
    std::string pcap_sha256;    // of the capture's bytes
};

std::string render_truth_json(const GroundTruth& truth, const TruthHeader& header);

}  // namespace ftpsim::sim::truth
