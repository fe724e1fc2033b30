// How the kernel backend injects a scenario's TCP-level faults (`faults:`), worked out before
// anything runs. The kernel's TCP cannot be told to misbehave, so each fault becomes something
// that makes real TCP show it:
//   drop_data_syn         a firewall rule (nftables) in the data connection's receiving host
//                         that drops inbound SYNs while the step runs: the server's connect
//                         (active) or the client's (passive) goes unanswered, the server's
//                         data_connect_timeout ends the transfer with 425. Every SYN is dropped
//                         while the rule is in place; `count` is honoured by the virtual network.
//   rst_data_after_bytes  the server's reset_data fault on that transfer (SO_LINGER 0: a real RST
//                         after `bytes` bytes); downloads only, the server being the sender.
//   stall_receiver        the client stops reading after `after_bytes` for `for_ms`, with a small
//                         receive buffer so that its window closes (ZeroWindow); downloads only.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/engine/client_session.hpp"
#include "sim/engine/server_config.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// The receive buffer a stall_receiver fault gives the client's data socket: small enough that a
// stall closes the window within a few segments (the kernel doubles it and keeps a minimum).
constexpr std::uint32_t kStallReceiveBuffer = 4096;

struct SynDropWindow {
    std::size_t first_op = 0;  // the rule is in place from the start of this client op
    std::size_t end_op = 0;    // until this op starts (one past the step's last op)
};

struct KernelFaultPlan {
    std::vector<ClientOp> ops;           // the client's ops, stall faults applied
    std::vector<Fault> server_faults;    // added to the server's own (reset_data)
    std::vector<SynDropWindow> syn_drops;
};

// Throws UnsupportedScenario (network_plan.hpp) for a fault the kernel backend cannot inject.
KernelFaultPlan plan_kernel_faults(const scenario::Scenario& s);

}  // namespace ftpsim::sim::run
