// The client steps whose failure is part of a scenario's result. A step fails when its final
// reply is not 2xx (OpResult::ok); a scenario about a failure expects it, and says so with what it
// already writes rather than with a key of its own:
//   - a fault (`faults: at:`) names the step, or the server has injected faults (`server.faults`);
//   - `expect.counts` counts the failing reply (kind reply, its code, count >= 1, and its
//     to_verb, when given, is the command that got it): login_failure's 530, missing_file's 550;
//   - `expect.nat` expects nat-check's verdict `fail`: the device is meant to break the session.
// Any other failed step fails the scenario, even when every golden file matches.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/client_session.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// One line per step that failed unexpectedly ("step 3 (retr): RETR failed: 550 ..."), in order.
// A step "not run" after an earlier failure follows from that one and is not listed again.
std::vector<std::string> unexpected_step_failures(const scenario::Scenario& s, const std::vector<OpResult>& results);

}  // namespace ftpsim::sim::run
