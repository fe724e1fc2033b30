// What the netns Topology does not set up but a scenario asks for: link latency and bandwidth
// (tc netem on each end's egress), a Windows host's initial TTL / hop limit (128, per-namespace
// sysctls) and each NAT router's nftables ruleset (nft_ruleset.hpp). Done after the Topology
// exists and before any traffic.
#pragma once

#include "sim/netns/topology.hpp"
#include "sim/run/network_plan.hpp"

namespace ftpsim::sim::run {

// Throws std::runtime_error naming the command or file that failed.
void apply_host_setup(const netns::Topology& topo, const NetworkPlan& plan);

}  // namespace ftpsim::sim::run
