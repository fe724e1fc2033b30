// The firewall rule behind the kernel backend's drop_data_syn fault: an nftables table of our
// own in one host's namespace whose input chain, while blocked, drops every inbound SYN (except
// to the control port): what a firewall that blocks the data connection does. Needs nft(8)
// (Debian package nftables) and CAP_NET_ADMIN in the namespace, which the run has.
#pragma once

#include <cstdint>
#include <string>

namespace ftpsim::sim::run {

class SynFirewall {
public:
    // Creates the table and its empty chain; `control_port` (0: none) stays open. Throws
    // std::runtime_error naming the command when nft is missing or fails.
    SynFirewall(std::string netns, std::uint16_t control_port);
    SynFirewall(const SynFirewall&) = delete;
    SynFirewall& operator=(const SynFirewall&) = delete;

    void block();    // adds the drop rule (idempotent)
    void unblock();  // empties the chain (idempotent)

private:
    std::string netns_;
    std::uint16_t control_port_;
    bool blocked_ = false;
};

}  // namespace ftpsim::sim::run
