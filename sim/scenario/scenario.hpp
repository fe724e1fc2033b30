// A scenario: one file that says which virtual hosts exist and how they are linked, what the
// server and the client on them do, which TCP faults to inject, and what the captures must show.
// This is the model and its loader only (reading the file is the one I/O); sim/run runs it on
// the virtual network (sim/vnet) or on kernel TCP in namespaces. Format: docs/scenario-format.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/config/server_config_yaml.hpp"
#include "sim/engine/client_op_table.hpp"
#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::scenario {

// Every mistake in a scenario file: "FILE:LINE:COLUMN: KEY: what was expected". Derives from
// ConfigError because the server section's messages come from the server-config loader.
class ScenarioError : public config::ConfigError {
public:
    using config::ConfigError::ConfigError;
};

// An interface address with its prefix ("192.0.2.10/24", "2001:db8::1/64").
struct Cidr {
    net::IpAddress addr;
    unsigned prefix = 0;
    std::string str() const { return addr.str() + "/" + std::to_string(prefix); }
};

// The TTL / hop limit a host's stack starts with: what tells a Linux peer from a Windows one
// in a capture.
enum class HostOs { kLinux, kWindows };
inline std::uint8_t initial_ttl(HostOs os) { return os == HostOs::kWindows ? 128 : 64; }

struct Host {
    std::string name;
    std::vector<Cidr> addresses;
    std::optional<std::array<std::uint8_t, 6>> mac;  // unset: derived from the name by sim/run
    HostOs os = HostOs::kLinux;
};

// A point-to-point link. Loss and reorder are probabilities in [0, 1], drawn from the seed by
// the virtual network (the kernel backend skips such scenarios: virtual_network_only). A
// profile sets latency, jitter and bandwidth; the keys given beside it override it.
struct Link {
    std::string a, b;
    std::uint32_t mtu = 1500;
    std::string profile;        // lan, wifi, dsl, wan (link_profiles.hpp); empty: none
    double latency_ms = 0;      // one way
    double jitter_ms = 0;       // each frame's latency within latency ± jitter, from the seed
    double bandwidth_mbps = 0;  // 0: unlimited
    double loss = 0;
    double reorder = 0;
};

// Network address translation on a router, and the FTP ALG that comes with it (RFC 959 §4.1.2
// PORT/227 and RFC 2428 EPRT/229 carry addresses a NAT must rewrite). Two kinds of device:
// Linux netfilter (`helper: ftp | none`), which the kernel backend runs as real nftables rules
// and the virtual network imitates, and a simulated ALG (`alg: ...`, virtual network only) with
// the failure modes of ../shared/reference/nat-alg.md planted on purpose.
struct Nat {
    // kNat64: a stateful NAT64 (RFC 6146, virtual network only: Linux has none in the kernel):
    // the IPv6 inside reaches the IPv4 outside through `prefix` (RFC 6052), with no FTP ALG
    // (RFC 6384 describes one; devices such as Jool have none: nat-alg.md, failure 8).
    enum class Type { kMasquerade, kSnat, kDnat, kNat64 };
    enum class Alg {
        kCorrect,           // rewrites every PORT/EPRT/227/229, pipelined or split, seq fixed up
        kNone,              // no ALG: nothing rewritten, no expectation
        kLinux,             // as nf_conntrack_ftp + nf_nat_ftp (one command per segment, ...)
        kNoSeqFixup,        // rewrites, but later segments are not shifted
        kFirstCommandOnly,  // rewrites only the first PORT/EPRT/227/229 of a connection
        kDropSplitCommand,  // drops a segment holding part of a command (Linux does too)
        kWrongPort,         // rewrites the address, announces a port it does not forward
    };
    Type type = Type::kMasquerade;
    // The peer at the other end of the outside interface; empty: the interface towards the
    // server (masquerade, snat) or towards the client (dnat).
    std::string outside;
    // snat: the pool of source addresses (one, or several for `paired`); dnat: the inside
    // address the published one leads to (default: the server's).
    std::vector<net::IpAddress> to;
    // dnat: the published address (default: the outside interface's address in the family).
    std::optional<net::IpAddress> address;
    std::vector<std::uint16_t> ports = {21};  // control ports the helper / ALG watches
    bool netfilter = true;  // helper: given (a device both backends run); false: alg: given
    // helper: ftp_match: the helper object exists but the rule matches on it instead of
    // assigning it (firewalld#453), so it is never attached; alg is kNone.
    bool helper_as_match = false;
    Alg alg = Alg::kLinux;
    bool paired = true;                       // RFC 4787 REQ-2: data from the control's address
    // outbound: allow (default) or drop. drop: the device forwards only what starts outside, as
    // a container ingress or load balancer publishing the server does (moby/moby#31787): replies
    // and connections the helper expects (related) pass, a new one the inside opens is dropped.
    bool outbound_allowed = true;
    // nat64: the /96 the IPv4 addresses appear in, RFC 6052 §2.1's Well-Known Prefix by default.
    Cidr prefix = well_known_nat64_prefix();
    std::uint64_t expect_timeout_ms = 300000;  // nf_conntrack_ftp's 5 minutes
    std::uint32_t max_expected = 1;            // expectations per control connection

    static const char* alg_name(Alg alg);
    static Cidr well_known_nat64_prefix();
};

struct Router {
    std::string name;
    std::vector<Cidr> addresses;  // each on the link whose peer shares its subnet
    std::optional<Nat> nat;
};

// Where a capture is taken: on `host` (a host or a router), on its interface towards
// `interface` (a link peer's name) or, with "auto", on its only link.
struct CapturePoint {
    std::string name;
    std::string host;
    std::string interface = "auto";
};

struct ExternalServer {
    std::string host;  // a name or an IP literal, as given
    std::uint16_t port = 21;
};

struct Topology {
    std::vector<Host> hosts;
    std::vector<Link> links;
    std::vector<Router> routers;
    std::vector<CapturePoint> captures;
    std::optional<ExternalServer> external_server;

    const Host* find_host(const std::string& name) const;
    const Router* find_router(const std::string& name) const;
};

struct ServerSection {
    std::string host;
    std::uint16_t port = 21;
    config::LoadedServerConfig loaded;  // everything else, read by the server-config loader
};

// One client step as written: its entry in the operation table, and the op it runs with every
// option applied (uploads carry their bytes). A script step (ftp1_ls, ftp1_mget) keeps in `op`
// what its ops share (mode, local port, secret); expand_steps() makes them.
struct Step {
    const ClientOpSpec* spec = nullptr;  // set by the loader: the step key's entry
    std::string name;                    // optional label, for faults' `at:`
    ClientOp op;
    std::vector<std::string> names;      // ftp1_mget
    // A script step's local data ports, one per transfer it makes in order (ftp1_mget's NLST and
    // RETR each name their own port, as a capture shows them); empty: the kernel's choice.
    std::vector<std::uint16_t> local_ports;
};

struct ClientSection {
    std::string host;
    ClientConfig config;  // user, password, mode, active_first_port, account, reply timeout
    std::vector<Step> steps;
};

// A TCP-level fault for the network engine, tied to a client step.
struct TcpFault {
    enum class Kind { kDropDataSyn, kRstDataAfterBytes, kStallReceiver };
    // The kind as scenario files write it ("drop_data_syn").
    static const char* kind_name(Kind kind);
    std::size_t step = 0;  // index into client.steps
    Kind kind = Kind::kDropDataSyn;
    std::uint32_t count = 1;       // drop_data_syn: SYNs dropped (each retransmission is one)
    std::uint64_t bytes = 0;       // rst_data_after_bytes, stall_receiver: after this many bytes
    std::uint64_t for_ms = 0;      // stall_receiver
};

// A segment-level impairment, which only the virtual network can inflict precisely: on one chosen
// segment of one connection (docs/scenario-format.md, `impairments`).
struct Impairment {
    enum class Kind { kDrop, kDuplicate, kSplit, kReorder, kDelay };
    Kind kind = Kind::kDrop;
    std::uint32_t connection = 1;   // 1-based, in SYN order: 1 is the control connection
    std::uint32_t segment = 0;      // the Nth payload-carrying segment (both directions), or
    std::uint32_t any_segment = 0;  // the Nth segment of any kind (SYN, pure ACK, FIN ...)
    std::uint32_t at_byte = 0;      // kSplit: payload bytes in the first part
    std::uint64_t ms = 0;           // kDelay
};

// A partial check, suricata-verify style: the events matching every field of `match` (analyzer
// JSON field names, values as text) occur exactly `count` times.
struct CountCheck {
    std::vector<std::pair<std::string, std::string>> match;  // "kind" first
    std::uint64_t count = 0;
    std::optional<std::string> point;  // only this capture point's events; unset: every point's
};

// `expect: nat`: nat-check's judgement of two capture points, one on each side of a device
// (docs/nat-check.md), with its golden file NAME.nat.golden beside the points' ones.
struct NatExpect {
    // The capture points on the client's and on the server's side of the device (nat-check's
    // INSIDE and OUTSIDE): with a DNAT in front of the server, its inside is the server's side.
    std::string client_side = "inside", server_side = "outside";
    std::optional<std::string> verdict;                   // overall: "pass" or "fail"
    // Per check (natcheck::kAllChecks) over every item: "pass", "fail" or "skip".
    std::vector<std::pair<std::string, std::string>> checks;
};

struct Expect {
    std::optional<std::string> golden;  // unset: golden/<name>.<point>.golden per capture point
    std::vector<std::uint16_t> keep_ports;
    // The TCP events the golden form keeps, by name ("zero_window"); unset: all. Real kernel TCP
    // repeats some events (window_full, retransmission) a number of times that varies from run
    // to run; a scenario keeps the ones it is about, and `counts` can pin how often.
    std::optional<std::vector<std::string>> golden_tcp_events;
    std::vector<CountCheck> counts;
    std::optional<NatExpect> nat;
};

struct Scenario {
    std::string file;  // as given to load_scenario
    std::string name;  // default: the file's stem
    std::string description;
    std::uint64_t seed = 0;
    std::int64_t start_time = 0;  // seconds since the Unix epoch
    std::uint32_t start_time_ns = 0;
    Topology topology;
    std::optional<ServerSection> server;  // absent exactly when topology.external_server is set
    ClientSection client;
    std::vector<TcpFault> faults;
    std::vector<Impairment> impairments;
    Expect expect;

    // The golden file of a capture point: expect.golden, or golden/<name>.<point>.golden. With
    // `golden_dir`, the file of that name in golden_dir instead (`ftpsim test --golden-dir`).
    std::string golden_path(const std::string& point, const std::string& golden_dir = "") const;
};

// Why only the virtual network can run the scenario (segment impairments, link loss or reorder
// probabilities), or "" when both backends can.
std::string virtual_network_only(const Scenario& s);

// Throws ScenarioError for an unreadable file and for every mistake in it.
Scenario load_scenario(const std::string& path);
// The same for text in memory; `file` stands for the file name (and gives the default name).
Scenario load_scenario_text(const std::string& text, const std::string& file);

// The client session's ops for a scenario's steps: one per step, except ftp1_ls and ftp1_mget,
// which expand to ftp(1)'s command sequences (client_scripts.hpp). With `step_of_op`, also the
// index of the step each op comes from.
std::vector<ClientOp> expand_steps(const ClientSection& client, std::vector<std::size_t>* step_of_op = nullptr);

}  // namespace ftpsim::sim::scenario
