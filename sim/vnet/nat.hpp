// A NAT router's translation and firewall, as Linux's conntrack + nftables do it, on the virtual
// network's segments: connections tracked by tuple, new ones from the inside translated (masquerade
// or SNAT, the same port kept when free, RFC 4787 §4.1), new ones from the outside admitted only
// when a DNAT rule or an FTP expectation (RFC 959 PORT/PASV, RFC 2428 EPRT/EPSV, made by the
// ALG) leads them in; everything else dies at the device, as a forward chain with policy drop
// and `ct state established,related accept` does. The ALG's payload work is in ftp_alg.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::vnet {

enum class AlgVariant {
    kCorrect,           // every PORT/EPRT/227/229 rewritten, pipelined or split; seq fixed up
    kNone,              // no ALG: nothing rewritten, no expectation
    kLinux,             // nf_conntrack_ftp + nf_nat_ftp: one command per segment, split dropped,
                        // uncompressed IPv6, one seq correction point per direction
    kNoSeqFixup,        // rewrites, but no sequence adjustment (later segments not shifted)
    kFirstCommandOnly,  // only the first announcement of a control connection
    kDropSplitCommand,  // as correct, but a segment holding part of a command is dropped
    kWrongPort,         // rewrites the address, announces a port one above the forwarded one
};

struct NatConfig {
    // kNat64: a stateful NAT64 (RFC 6146): IPv6 connections to `nat64_prefix` (RFC 6052) leave
    // as IPv4 from the pool's IPv4 address, to the address embedded in the destination.
    enum class Type { kMasquerade, kSnat, kDnat, kNat64 };
    Type type = Type::kMasquerade;
    std::size_t outside_link = 0;          // the network's link index of the outside interface
    // masquerade: the outside interface's addresses (one per family); snat: the pool.
    std::vector<net::IpAddress> pool;
    // dnat: connections to `published` (control ports) go to `inside`.
    net::IpAddress published, inside;
    std::vector<std::uint16_t> dnat_ports;  // the published ports (the server's control port)
    std::vector<std::uint16_t> control_ports = {21};
    net::IpAddress nat64_prefix;            // nat64: the /96 the IPv4 internet appears in
    AlgVariant alg = AlgVariant::kLinux;
    bool paired = true;                    // RFC 4787 REQ-2: one pool address per inside host
    std::int64_t expect_timeout_ns = 300'000'000'000;
    std::uint32_t max_expected = 1;
    // false: only connections that start outside pass (an ingress / load balancer publishing
    // the server, moby/moby#31787); a new one from the inside dies here unless an expectation
    // (the ALG's: a related connection) lets it through.
    bool outbound_allowed = true;
};

class FtpAlg;

// Why the device dropped a segment (counted, and reported by tests).
enum class NatDrop { kNone, kNoConnection, kSplitCommand };

class NatDevice {
public:
    explicit NatDevice(NatConfig config);
    ~NatDevice();

    // A segment arriving on the outside (`from_outside`) or an inside interface, at `now`
    // (virtual ns). Appends what leaves the device, translated, to `out`: nothing (dropped or
    // held by the ALG), the segment, or a held one merged with it.
    NatDrop process(Segment s, bool from_outside, std::int64_t now, std::vector<Segment>& out);

    std::uint64_t dropped() const { return dropped_; }
    std::int64_t expect_timeout() const { return config_.expect_timeout_ns; }

    // One tracked connection: the tuple as the first packet had it and as translated.
    struct Conn {
        net::Endpoint orig_src, orig_dst;    // as sent by the opener
        net::Endpoint trans_src, trans_dst;  // as the far side sees them
        bool control = false;                // an FTP control connection (ALG applies)
        std::uint32_t id = 0;                // for the ALG's per-connection state
    };

private:
public:
    // A data connection the ALG lets in (nf_conntrack_expect): from `from` (any source port)
    // to `to`, delivered to `real`, its source shown as `source_as` (it follows its master
    // control connection's translation, as nf_nat_follow_master does).
    struct Expectation {
        net::IpAddress from;
        net::Endpoint to;
        net::Endpoint real;
        net::IpAddress source_as;
        std::uint32_t master = 0;
        std::int64_t expires = 0;
    };
    // For the ALG: a port on `addr` no connection or expectation uses, `wanted` if free.
    std::uint16_t free_port(const net::IpAddress& addr, std::uint16_t wanted) const;
    // Adds an expectation, evicting the master's oldest beyond max_expected.
    void expect(const Expectation& e);

private:
    Conn* lookup(const Segment& s, bool& reply);
    Conn* open(const Segment& s, bool from_outside, std::int64_t now);
    // The pool address a new connection from `inside` leaves with (masquerade, snat).
    net::IpAddress source_address(const net::IpAddress& inside, bool v6);
    // `wanted` on `addr` as the source towards `dst`, or the next port that keeps tuples unique.
    net::Endpoint source_port(const net::IpAddress& addr, std::uint16_t wanted, const net::Endpoint& dst) const;
    void add(Conn c);

    NatConfig config_;
    std::unique_ptr<FtpAlg> alg_;
    // Both directions of every connection: orig (src, dst) and reply (trans_dst, trans_src).
    std::map<std::pair<net::Endpoint, net::Endpoint>, std::pair<std::size_t, bool>> index_;
    std::vector<Conn> conns_;
    std::vector<Expectation> expectations_;
    std::set<net::Endpoint> used_;                       // expected ends (the ALG's ports)
    std::map<net::IpAddress, std::size_t> pool_choice_;  // paired: inside host -> pool index
    std::size_t next_pool_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint16_t next_ip_id_ = 0;  // nat64: IPv4 Identification of translated packets
};

}  // namespace ftpsim::sim::vnet
