#include "sim/vnet/nat.hpp"

#include <algorithm>

#include "sim/vnet/ftp_alg.hpp"
#include "sim/vnet/nat64.hpp"

namespace ftpsim::sim::vnet {

NatDevice::NatDevice(NatConfig config) : config_(std::move(config)) {
    if (config_.alg != AlgVariant::kNone) alg_ = std::make_unique<FtpAlg>(*this, config_.alg);
}

NatDevice::~NatDevice() = default;

NatDevice::Conn* NatDevice::lookup(const Segment& s, bool& reply) {
    const auto it = index_.find({s.src, s.dst});
    if (it == index_.end()) return nullptr;
    reply = it->second.second;
    return &conns_[it->second.first];
}

std::uint16_t NatDevice::free_port(const net::IpAddress& addr, std::uint16_t wanted) const {
    // nf_nat_ftp tries the announced port first, then the next ones.
    for (std::uint32_t p = wanted; p <= 65535; ++p)
        if (!used_.count({addr, static_cast<std::uint16_t>(p)})) return static_cast<std::uint16_t>(p);
    for (std::uint32_t p = 1024; p < wanted; ++p)
        if (!used_.count({addr, static_cast<std::uint16_t>(p)})) return static_cast<std::uint16_t>(p);
    return wanted;
}

void NatDevice::expect(const Expectation& e) {
    std::size_t mine = 0;
    for (const auto& x : expectations_) mine += x.master == e.master ? 1 : 0;
    // nf_conntrack_ftp's max_expected: a new expectation evicts the master's oldest.
    while (mine >= config_.max_expected) {
        const auto oldest = std::find_if(expectations_.begin(), expectations_.end(),
                                         [&](const Expectation& x) { return x.master == e.master; });
        used_.erase(oldest->to);
        expectations_.erase(oldest);
        --mine;
    }
    expectations_.push_back(e);
    used_.insert(e.to);
}

net::IpAddress NatDevice::source_address(const net::IpAddress& inside, bool v6) {
    std::vector<std::size_t> family;
    for (std::size_t i = 0; i < config_.pool.size(); ++i)
        if (config_.pool[i].v6 == v6) family.push_back(i);
    if (family.empty()) return inside;  // no address of that family: left as it is
    if (!config_.paired) return config_.pool[family[next_pool_++ % family.size()]];
    const auto it = pool_choice_.find(inside);
    if (it != pool_choice_.end() && config_.pool[it->second].v6 == v6) return config_.pool[it->second];
    const std::size_t pick = family[pool_choice_.size() % family.size()];
    pool_choice_[inside] = pick;
    return config_.pool[pick];
}

net::Endpoint NatDevice::source_port(const net::IpAddress& addr, std::uint16_t wanted, const net::Endpoint& dst) const {
    // The source port is kept unless the translated tuple would be another connection's
    // (nf_nat_used_tuple): then the next free one (RFC 4787 §4.1, port preservation).
    for (std::uint32_t p = wanted; p <= 65535; ++p) {
        const net::Endpoint src{addr, static_cast<std::uint16_t>(p)};
        if (!index_.count({dst, src}) && !used_.count(src)) return src;
    }
    return {addr, wanted};
}

void NatDevice::add(Conn c) {
    c.id = static_cast<std::uint32_t>(conns_.size() + 1);
    index_[{c.orig_src, c.orig_dst}] = {conns_.size(), false};
    index_[{c.trans_dst, c.trans_src}] = {conns_.size(), true};
    conns_.push_back(c);
}

NatDevice::Conn* NatDevice::open(const Segment& s, bool from_outside, std::int64_t now) {
    // Only a SYN opens a connection (conntrack with nf_conntrack_tcp_loose=0); anything else
    // unknown is invalid and dropped by the forward chain.
    if (!s.has(kSyn) || s.has(kAck)) return nullptr;
    std::erase_if(expectations_, [&](const Expectation& e) {
        const bool gone = e.expires <= now;
        if (gone) used_.erase(e.to);
        return gone;
    });
    const auto exp = std::find_if(expectations_.begin(), expectations_.end(),
                                  [&](const Expectation& e) { return e.from == s.src.addr && e.to == s.dst; });
    const bool related = exp != expectations_.end();
    const bool source_nat = config_.type != NatConfig::Type::kDnat;
    Conn c;
    c.orig_src = s.src;
    c.orig_dst = s.dst;
    c.trans_src = s.src;
    c.trans_dst = s.dst;
    if (related) {
        c.trans_dst = exp->real;
        // Non-paired pooling (RFC 4787 REQ-2 broken) forgets which address the master used.
        const net::IpAddress src = config_.paired || !source_nat || from_outside ? exp->source_as
                                                                                 : source_address(s.src.addr, s.src.addr.v6);
        c.trans_src = source_port(src, s.src.port, c.trans_dst);
        used_.erase(exp->to);
        expectations_.erase(exp);
    } else if (from_outside) {
        const bool published = config_.type == NatConfig::Type::kDnat && s.dst.addr == config_.published &&
                               std::count(config_.dnat_ports.begin(), config_.dnat_ports.end(), s.dst.port) != 0;
        if (!published) return nullptr;  // new from the outside: policy drop
        c.trans_dst = {config_.inside, s.dst.port};
    } else if (!config_.outbound_allowed) {
        return nullptr;  // new from the inside: `iifname INSIDE ct state new drop`
    } else if (config_.type == NatConfig::Type::kNat64) {
        // RFC 6146 §3.5.2.1: an IPv6 SYN to the prefix creates the mapping; the device forwards
        // nothing else (it is a translator here, not an IPv6 router as well).
        if (!s.src.addr.v6 || !in_nat64_prefix(s.dst.addr, config_.nat64_prefix)) return nullptr;
        c.trans_dst = {extract_ipv4(s.dst.addr), s.dst.port};
        c.trans_src = source_port(source_address(s.src.addr, false), s.src.port, c.trans_dst);
        if (c.trans_src.addr.v6) return nullptr;  // no IPv4 address to leave with
    } else if (source_nat) {
        const net::IpAddress src = source_address(s.src.addr, s.src.addr.v6);
        c.trans_src = source_port(src, s.src.port, c.trans_dst);
    }
    c.control = !related && std::count(config_.control_ports.begin(), config_.control_ports.end(), s.dst.port) != 0;
    add(c);
    return &conns_.back();
}

NatDrop NatDevice::process(Segment s, bool from_outside, std::int64_t now, std::vector<Segment>& out) {
    bool reply = false;
    Conn* c = lookup(s, reply);
    if (!c) {
        c = open(s, from_outside, now);
        if (!c) {
            ++dropped_;
            return NatDrop::kNoConnection;
        }
    }
    const Conn conn = *c;  // conns_ may grow while the ALG works (it never opens one, but be safe)
    if (conn.control && alg_) {
        switch (alg_->on_segment(conn, reply, s, now)) {
            case FtpAlg::Outcome::kForward: break;
            case FtpAlg::Outcome::kHold: return NatDrop::kNone;
            case FtpAlg::Outcome::kDrop: ++dropped_; return NatDrop::kSplitCommand;
        }
    }
    const bool was_v6 = s.src.addr.v6;
    if (!reply) {
        s.src = conn.trans_src;
        s.dst = conn.trans_dst;
    } else {
        s.src = conn.orig_dst;
        s.dst = conn.orig_src;
    }
    if (s.src.addr.v6 != was_v6) {  // a NAT64 connection: RFC 7915 header translation
        if (was_v6) translate_to_ipv4(s, next_ip_id_);
        else translate_to_ipv6(s);
    }
    out.push_back(std::move(s));
    return NatDrop::kNone;
}

}  // namespace ftpsim::sim::vnet
