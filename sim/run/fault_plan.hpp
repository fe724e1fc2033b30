// How a scenario's TCP-level faults (`faults:`) are injected, worked out before anything runs.
// Two of them act through the engines, the same on both backends:
//   rst_data_after_bytes  the server's reset_data fault on that transfer (a real RST after
//                         `bytes` bytes); downloads only, the server being the sender.
//   stall_receiver        the client stops reading after `after_bytes` for `for_ms`, with a small
//                         receive buffer so that its window closes (ZeroWindow); downloads only.
// drop_data_syn is the network's: a window of client ops during which SYNs opening data
// connections are dropped. The kernel backend cannot count SYNs, so it installs a firewall rule
// (nftables) in both hosts for the whole window: every SYN of the step is dropped, and the
// server's data_connect_timeout ends the transfer with 425. The virtual network drops exactly
// `count` SYNs (each retransmission counting), so a count below the retries lets it connect late.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/engine/client_session.hpp"
#include "sim/engine/server_config.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/vnet/ftp_driver.hpp"

namespace ftpsim::sim::run {

// The receive buffer a stall_receiver fault gives the client's data socket: small enough that a
// stall closes the window within a few segments (the kernel doubles it and keeps a minimum).
constexpr std::uint32_t kStallReceiveBuffer = 4096;

// While client ops [first_op, end_op) run, SYNs opening data connections are dropped: `count`
// of them on the virtual network, every one on the kernel backend (the type is the virtual
// network's, which takes it as it is).
using SynDropWindow = vnet::SynDropWindow;

struct FaultPlan {
    std::vector<ClientOp> ops;           // the client's ops, stall faults applied
    std::vector<Fault> server_faults;    // added to the server's own (reset_data)
    std::vector<SynDropWindow> syn_drops;
    std::vector<std::size_t> fault_ops;  // per scenario fault: the op (index in ops) it acts on
};

// Throws UnsupportedScenario (network_plan.hpp) for a fault that cannot be injected.
FaultPlan plan_faults(const scenario::Scenario& s);

}  // namespace ftpsim::sim::run
