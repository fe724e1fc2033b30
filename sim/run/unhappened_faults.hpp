// Impairments and faults that never found what they name: an impairment of a segment (or a
// connection) the run never carried, a fault on a step the client never ran. The scenario then
// does not show what it claims to, so the run is an error rather than a pass that hides it.
#pragma once

#include <string>
#include <vector>

#include "sim/engine/client_session.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/vnet/ftp_driver.hpp"

namespace ftpsim::sim::run {

// One line per scenario impairment that acted on no segment: "FILE: impairments: drop on
// connection 2, segment 9: connection 2 carried only 8 payload-carrying segments"; and one per
// drop_data_syn whose step ran without opening a data connection (nothing was dropped).
std::vector<std::string> impairments_that_did_not_happen(const scenario::Scenario& s, const vnet::VnetResult& run);

// One line per scenario fault whose step's transfer never ran (`results`: the client's ops):
// "FILE: faults: rst_data_after_bytes at step 3 (download): RETR was never sent (...)".
std::vector<std::string> faults_that_did_not_happen(const scenario::Scenario& s, const std::vector<OpResult>& results);

}  // namespace ftpsim::sim::run
