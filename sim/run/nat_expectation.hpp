// `expect: nat` of a scenario: nat-check (analyzer/natcheck) judges the captures of two of its
// points, one on each side of a device, and the result stands beside the points' own: a point
// named "nat" whose golden file is NAME.nat.golden (nat-check's golden form), and whose failures
// are the verdicts that differ from the expected ones.
#pragma once

#include <optional>

#include "sim/run/capture_checks.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// None when the scenario expects nothing of nat-check. An error result when a point is missing
// or nat-check finds the captures unfit (no control connection in both).
std::optional<PointResult> check_nat_expectation(const scenario::Scenario& s, const CapturePaths& captures,
                                                 const CheckCapturesOptions& options);

}  // namespace ftpsim::sim::run
