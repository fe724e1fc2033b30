// The nftables ruleset of a NAT router on the kernel backend, as text for one `nft` transaction:
// a pure function of what the scenario's `nat` section resolves to, so the rules can be read and
// tested without a namespace. Rules and why each is there: docs/scenario-format.md, `nat`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// The table every router's rules live in; its namespace goes with the run, and the table with it.
constexpr const char* kNatTable = "ftpsim_nat";

struct NatRules {
    scenario::Nat::Type type = scenario::Nat::Type::kMasquerade;
    std::string outside;              // the outside interface's name
    std::vector<std::string> inside;  // every other interface of the router
    // snat: the source addresses (a pool of several is chosen from by a hash of the inside
    // source address, so one client always leaves with the same one: RFC 4787 REQ-2, paired).
    std::vector<net::IpAddress> snat_to;
    // dnat: connections to `published`:port arriving on the outside go to `to`, per family.
    struct Dnat {
        net::IpAddress published, to;
    };
    std::vector<Dnat> dnat;
    std::uint16_t dnat_port = 21;
    // Linux's FTP helper (nf_conntrack_ftp, nf_nat_ftp) on these control ports; empty: none.
    std::vector<std::uint16_t> helper_ports;
    // The mistake of firewalld#453: `ct helper "ftp"` as a match instead of `ct helper set`.
    bool helper_as_match = false;
    // outbound: drop: a new connection from an inside interface is dropped (an ingress that
    // forwards only what starts outside, moby/moby#31787); related ones still pass.
    bool outbound_drop = false;
};

// `table inet ftpsim_nat { ... }`: loadable with `nft -f` or as one `nft` argument.
std::string nft_ruleset(const NatRules& rules);

}  // namespace ftpsim::sim::run
