// Runs one scenario on the virtual network (sim/vnet): the same server and client engines as the
// kernel backend, in one process over simulated TCP on a virtual clock, the pcap written by the
// network itself. No privilege, no socket, no wall clock: the same scenario and seed give the same
// bytes on every machine.
#pragma once

#include <string>
#include <vector>

#include "sim/run/kernel_runner.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/vnet/ftp_driver.hpp"

namespace ftpsim::sim::run {

// What the virtual network builds for a scenario, worked out before it runs (pure).
struct VirtualPlan {
    vnet::VnetScenario network;             // hosts[0] the client, hosts[1] the server
    std::vector<ClientOp> ops;              // with the stall faults applied
    ServerConfig server;                    // with the reset faults added
    std::vector<std::string> capture_points;  // in the scenario's order
    std::vector<vnet::CaptureSpec> captures;  // each point's interface (paths set by the run)
    std::set<std::uint16_t> keep_ports;
};

// Throws UnsupportedScenario for what the virtual network cannot model: an external server,
// client and server on one host, hosts other than the client's and the server's, link reorder
// in a topology with routers.
VirtualPlan plan_virtual(const scenario::Scenario& s);

struct VirtualRunResult {
    std::vector<CaptureFile> captures;  // OUT/<scenario>.<point>.pcap, in the scenario's order
    std::vector<OpResult> results;
    std::string log_path;
    std::vector<std::string> missed_impairments;  // unhappened_faults.hpp, one line each
};

// OUT/<scenario>.<point>.pcap: where run_on_virtual writes a capture point's file.
std::string virtual_capture_path(const scenario::Scenario& s, const std::string& out_dir, const std::string& point);

// Throws RunFailure when the client did not finish (virtual deadline) or the capture could not be
// written; EnvironmentError when the output directory cannot be written. `taps` (empty, or one
// per capture point, each may be null) get every frame their point captures as the network
// puts it in the file (FrameChecks analyses them there); `ledger` (may be null) is told what the
// engines meant by every control line (truth_files.hpp).
VirtualRunResult run_on_virtual(const scenario::Scenario& s, const VirtualPlan& plan, const std::string& out_dir,
                                const std::vector<vnet::FrameTap*>& taps = {},
                                vnet::SessionLedger* ledger = nullptr);

}  // namespace ftpsim::sim::run
