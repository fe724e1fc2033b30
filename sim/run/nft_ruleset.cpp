#include "sim/run/nft_ruleset.hpp"

#include <sstream>

namespace ftpsim::sim::run {

namespace {

using Type = scenario::Nat::Type;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

template <typename T, typename F>
std::string set_of(const std::vector<T>& items, F text) {
    std::string out = "{ ";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + text(items[i]);
    return out + " }";
}

const char* family(const net::IpAddress& a) { return a.v6 ? "ip6" : "ip"; }

// snat to one address, or to a pool: nft's `jhash ... mod N map` picks the pool member from the
// inside source address, so every connection of one client (control and data) gets the same.
void snat_rules(std::ostringstream& o, const NatRules& r) {
    for (bool v6 : {false, true}) {
        std::vector<net::IpAddress> pool;
        for (const auto& a : r.snat_to)
            if (a.v6 == v6) pool.push_back(a);
        if (pool.empty()) continue;
        const char* fam = v6 ? "ip6" : "ip";
        o << "\t\toifname " << quoted(r.outside) << " meta nfproto " << (v6 ? "ipv6" : "ipv4") << " snat " << fam
          << " to ";
        if (pool.size() == 1) {
            o << pool[0].str() << "\n";
            continue;
        }
        o << "jhash " << fam << " saddr mod " << pool.size() << " map { ";
        for (std::size_t i = 0; i < pool.size(); ++i) o << (i ? ", " : "") << i << " : " << pool[i].str();
        o << " }\n";
    }
}

}  // namespace

std::string nft_ruleset(const NatRules& r) {
    std::ostringstream o;
    o << "table inet " << kNatTable << " {\n";
    const bool helper = !r.helper_ports.empty();
    if (helper) {
        // Since Linux 6.0 no helper is attached by itself: a rule must assign it (nat-alg.md).
        // `l3proto inet`: one object for IPv4 and IPv6 connections.
        o << "\tct helper ftp {\n\t\ttype \"ftp\" protocol tcp\n\t\tl3proto inet\n\t}\n\n";
        // Assigned on the connection's first packet, after conntrack (-200) and before dnat
        // (-100), so the connection has its helper when NAT is set up and gets the sequence
        // adjustment a length-changing rewrite needs.
        o << "\tchain helpers {\n\t\ttype filter hook prerouting priority mangle; policy accept;\n"
          << "\t\ttcp dport " << set_of(r.helper_ports, [](std::uint16_t p) { return std::to_string(p); })
          << (r.helper_as_match ? " ct helper \"ftp\" accept" : " ct helper set \"ftp\"") << "\n\t}\n\n";
    }
    if (r.type == Type::kDnat) {
        o << "\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n";
        for (const auto& d : r.dnat)
            o << "\t\tiifname " << quoted(r.outside) << " " << family(d.published) << " daddr " << d.published.str()
              << " tcp dport " << r.dnat_port << " dnat " << family(d.to) << " to " << d.to.str() << "\n";
        o << "\t}\n\n";
    } else {
        o << "\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n";
        if (r.type == Type::kMasquerade) o << "\t\toifname " << quoted(r.outside) << " masquerade\n";
        else snat_rules(o, r);
        o << "\t}\n\n";
    }
    // A stateful firewall, as every NAT device is: what the inside opens, and what a dnat rule
    // publishes, may enter; the rest from outside dies here. So a data connection the helper did
    // not expect (no `related`) is dropped at the device, as in the field.
    o << "\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n"
      << "\t\tct state established,related accept\n";
    // outbound: drop says so in a rule of its own rather than by leaving the accept out, so the
    // ruleset reads as the device it imitates; the helper's expected connection is `related`,
    // accepted above, never `new`.
    if (!r.inside.empty())
        o << "\t\tiifname " << set_of(r.inside, quoted) << " ct state new " << (r.outbound_drop ? "drop" : "accept") << "\n";
    if (r.type == Type::kDnat) o << "\t\tct status dnat ct state new accept\n";
    o << "\t\tcounter drop\n\t}\n}\n";
    return o.str();
}

}  // namespace ftpsim::sim::run
