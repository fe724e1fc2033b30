// What the netns Topology does not set up but a scenario asks for: link latency and bandwidth
// (tc netem on each end's egress), a Windows host's initial TTL / hop limit (128, per-namespace
// sysctls) and each NAT router's nftables ruleset (nft_ruleset.hpp). Done after the Topology
// exists and before any traffic.
#pragma once

#include <string>
#include <vector>

#include "sim/netns/topology.hpp"
#include "sim/run/network_plan.hpp"

namespace ftpsim::sim::run {

// Throws std::runtime_error naming the command or file that failed. Returns warnings: links
// whose latency, jitter or bandwidth could not be applied because this kernel has no netem
// (the run goes on unshaped: the protocol is the same, only the timing differs).
std::vector<std::string> apply_host_setup(const netns::Topology& topo, const NetworkPlan& plan);

// The tc(8) command that shapes one link end's egress: netem delay [jitter] and rate.
std::vector<std::string> netem_argv(const std::string& interface, const PlannedShaping& s);

}  // namespace ftpsim::sim::run
