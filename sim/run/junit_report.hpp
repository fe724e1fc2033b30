// A JUnit XML report of scenario outcomes, the format CI systems (GitLab, Jenkins, GitHub
// actions' test reporters) read: one <testcase> per scenario, <failure> for a mismatch, <error>
// for a scenario that could not run, with its report as the element's text.
#pragma once

#include <string>
#include <vector>

#include "sim/run/scenario_outcome.hpp"

namespace ftpsim::sim::run {

// The whole document. No timestamp or host name: the same outcomes give the same bytes.
std::string junit_xml(const std::string& suite, const std::vector<ScenarioOutcome>& outcomes);

}  // namespace ftpsim::sim::run
