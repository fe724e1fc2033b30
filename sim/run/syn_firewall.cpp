#include "sim/run/syn_firewall.hpp"

#include <vector>

#include "sim/netns/command.hpp"

namespace ftpsim::sim::run {

namespace {

constexpr const char* kTable = "ftpsim_faults";

void nft(const std::string& netns, std::vector<std::string> args) {
    args.insert(args.begin(), "nft");
    netns::run_checked(args, {std::chrono::milliseconds(5000), netns});
}

}  // namespace

SynFirewall::SynFirewall(std::string netns, std::uint16_t control_port)
    : netns_(std::move(netns)), control_port_(control_port) {
    nft(netns_, {"add", "table", "inet", kTable});
    nft(netns_, {"add", "chain", "inet", kTable, "input", "{", "type", "filter", "hook", "input", "priority", "0", ";",
                 "}"});
}

void SynFirewall::block() {
    if (blocked_) return;
    // A SYN without ACK: a connection being opened; the handshake's SYN-ACK and everything after
    // it pass, so connections already open are untouched.
    std::vector<std::string> rule{"add", "rule", "inet", kTable, "input"};
    if (control_port_ != 0) rule.insert(rule.end(), {"tcp", "dport", "!=", std::to_string(control_port_)});
    rule.insert(rule.end(), {"tcp", "flags", "&", "(syn|ack)", "==", "syn", "counter", "drop"});
    nft(netns_, rule);
    blocked_ = true;
}

void SynFirewall::unblock() {
    if (!blocked_) return;
    nft(netns_, {"flush", "chain", "inet", kTable, "input"});
    blocked_ = false;
}

}  // namespace ftpsim::sim::run
