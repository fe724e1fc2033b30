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

// Text made safe inside an XML 1.0 element or attribute: markup characters escaped, control
// characters that XML 1.0 cannot carry written as "\xNN", invalid UTF-8 bytes likewise.
std::string xml_escape(const std::string& text);

}  // namespace ftpsim::sim::run
