// Nodes joined by full-duplex point-to-point links: two hosts with TCP stacks (node 0 the client,
// node 1 the server) and any number of routers (node 2 + i), which forward by longest-prefix
// routes, decrement the TTL and may translate addresses (nat.hpp). Each link has latency,
// bandwidth (serialisation delay, one frame at a time per direction, FIFO) and MTU. A capture
// point is a tap on one interface (a node's end of a link): it sees a frame leave when it starts
// onto the wire and arrive when its last bit is in, so a frame lost on the link is in the
// sender's capture only, and one a device drops is in its inside capture only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/vnet/event_queue.hpp"
#include "sim/vnet/frame_tap.hpp"
#include "sim/vnet/nat.hpp"
#include "sim/vnet/pcap_writer.hpp"
#include "sim/engine/prng.hpp"
#include "sim/vnet/tcp_profile.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::vnet {

class TcpStack;

struct HostConfig {
    std::string name;
    net::IpAddress ipv4;
    net::IpAddress ipv6;
    MacAddress mac{};
    std::optional<TcpProfile> tcp;  // unset: the network's profile
};

struct LinkConfig {
    Nanos latency = kMillisecond;            // one way, propagation
    // Each frame's latency varies uniformly within latency ± jitter, drawn from the seed (a
    // stream of its own per link, so jitter changes no other draw). Frames keep their order: a
    // queue on the path delays the ones behind a slow one, as a real link does.
    Nanos jitter = 0;
    std::uint64_t bits_per_second = 100'000'000;
    std::uint32_t mtu = 1500;                // IP packet bytes
};

// Which segment a rule acts on: the Nth (1-based) payload-carrying segment of connection K
// (1-based, in SYN order), counting both directions and retransmissions alike; or, with
// nth_data_segment 0, the Nth segment of any kind (SYN, SYN-ACK, pure ACK, FIN ...).
struct SegmentRule {
    std::uint32_t connection = 0;
    std::uint32_t nth_data_segment = 0;
    std::uint32_t nth_segment = 0;
};
using LossRule = SegmentRule;  // the segment is dropped

// What only a simulator does precisely, to one chosen segment. The capture is a tap at the
// sender's port: a dropped segment is in it (lost after the tap), a duplicated one twice, a split
// one as two segments, a delayed or reordered one where it finally went onto the wire.
struct Impairment {
    enum class Kind {
        kDrop,       // lost on the link
        kDuplicate,  // delivered twice (the same frame, twice on the wire)
        kSplit,      // sent as two segments, the first with `split_at` payload bytes
        kReorder,    // sent after the next segment of the same connection from the same host
        kDelay,      // held `delay` before it goes onto the wire
    };
    Kind kind = Kind::kDrop;
    SegmentRule segment;
    std::uint32_t split_at = 0;
    Nanos delay = 0;
};

// A link between two nodes (0: the client host, 1: the server host, 2 + i: router i) and the MAC
// of each end's interface.
struct LinkSpec {
    int a = 0, b = 1;
    MacAddress mac_a{}, mac_b{};
    LinkConfig config;
    double loss_probability = 0;  // every frame sent on it (routers' too) is lost with it
};

// Destinations within prefix/bits leave through `link` (an index into NetworkConfig::links).
struct Route {
    net::IpAddress prefix;
    unsigned bits = 0;
    std::size_t link = 0;
};

struct RouterConfig {
    std::string name;
    std::vector<Route> routes;
    std::optional<NatConfig> nat;
    // Its own addresses (and a NAT's pool and published ones): a SYN to one of them that nothing
    // translates reaches the router's own TCP, which has no listener and answers RST, as Linux
    // does (RFC 9293 §3.10.7.1).
    std::vector<net::IpAddress> addresses;
};

// A tap on node `node`'s interface on link `link`, written to `pcap_path` (empty: none) and
// handed to `tap` (may be null; outlives the network).
struct CaptureSpec {
    int node = 0;
    std::size_t link = 0;
    std::string pcap_path;
    FrameTap* tap = nullptr;
};

struct NetworkConfig {
    std::uint64_t seed = 1;
    HostConfig hosts[2];
    LinkConfig link;  // the hosts' one link when `links` is empty
    TcpProfile tcp;
    std::int64_t start_time_ns = 1'767'225'600'000'000'000;  // 2026-01-01 00:00:00 UTC
    std::vector<LossRule> losses;
    std::vector<Impairment> impairments;
    // Every segment a host sends is lost / reordered with these probabilities, drawn from the
    // seed's stream (on a router's links: each link's loss_probability).
    double loss_probability = 0;
    double reorder_probability = 0;
    // Empty: the two hosts on one link (`link`, the hosts' MACs). Otherwise every link, and the
    // routers; a host sends by its routes (none: by its first link).
    std::vector<LinkSpec> links;
    std::vector<RouterConfig> routers;
    std::vector<Route> host_routes[2];
};

class Network {
public:
    // One capture, on the client host's first link (`pcap_path` empty: no file).
    Network(NetworkConfig config, const std::string& pcap_path, FrameTap* tap = nullptr);
    Network(NetworkConfig config, const std::vector<CaptureSpec>& captures);
    ~Network();

    EventQueue& queue() { return queue_; }
    const NetworkConfig& config() const { return config_; }
    TcpStack& stack(int host);
    // The TCP/IP profile of a host: its own, or the network's.
    const TcpProfile& profile(int host) const {
        return config_.hosts[host].tcp ? *config_.hosts[host].tcp : config_.tcp;
    }
    // The next `count` SYNs that open a connection to a port other than `spared` (the control
    // port) are dropped, each retransmission counting as one: a firewall blocking data
    // connections for a while. 0 ends it.
    void drop_opening_syns(std::uint32_t count, std::uint16_t spared) {
        syn_drops_left_ = count;
        syn_drop_spared_port_ = spared;
    }
    std::uint32_t syn_drops_left() const { return syn_drops_left_; }
    // Index of the host owning `addr`, or -1.
    int host_of(const net::IpAddress& addr) const;
    // The MTU of the host's first link (its TCP's MSS follows it).
    std::uint32_t host_mtu(int host) const { return links_[node_links_[host].front()].spec.config.mtu; }

    // Whether `host` has a route to `addr` (no route: connect(2) fails with ENETUNREACH).
    bool reaches(int host, const net::IpAddress& addr) const { return route(host, addr) != SIZE_MAX; }
    // Sends a segment from `host` by its routes.
    void transmit(int host, Segment s);
    std::uint32_t next_connection_number() { return ++connections_; }

    // Closes and renames the captures; false on an I/O error.
    bool finish_capture();
    std::uint64_t frames() const { return frames_; }
    std::uint64_t dropped() const { return dropped_; }
    // Segments the routers did not forward (no connection a NAT admits, TTL, no route, MTU).
    std::uint64_t router_drops() const { return router_drops_; }
    // Per config().impairments: how many segments each acted on (0: its segment never happened).
    const std::vector<std::uint32_t>& impairment_hits() const { return impairment_hits_; }
    // Per connection number (index 0 unused): payload-carrying segments, and segments of any kind.
    const std::vector<std::uint32_t>& data_segments() const { return data_segments_; }
    const std::vector<std::uint32_t>& all_segments() const { return all_segments_; }

private:
    // The impairment acting on `s`, if any (counting it for the rules); kDrop for a loss rule or
    // a random loss, kReorder for a random reorder.
    std::optional<Impairment> impairment_for(Segment& s);
    struct Tap {
        std::unique_ptr<PcapWriter> pcap;
        FrameTap* tap = nullptr;
    };
    struct LinkState {
        LinkSpec spec;
        Nanos busy_until[2] = {0, 0};  // per direction (0: from end a): when it is free again
        Nanos last_arrival[2] = {0, 0};  // per direction: keeps jittered frames in order
        Prng jitter{0};
        std::vector<std::size_t> taps[2];  // on end a's / end b's interface
    };
    struct RouterState {
        std::unique_ptr<NatDevice> nat;
        std::uint16_t ip_id = 0;
    };
    // The RST a router's own TCP sends for a SYN to one of its addresses.
    void reset_from_router(int router, const Segment& syn);

    // Stamps the host's IP fields on `s` and sends it by its routes; `lost` drops it on the link.
    void put_on_wire(int host, Segment s, bool lost, int copies = 1);
    void release_held(int host);
    // The link `node` sends to `addr` on; SIZE_MAX when there is no route.
    std::size_t route(int node, const net::IpAddress& addr) const;
    // Serialises `s` onto `link` from its end `from` (0: a, 1: b), captured at both ends.
    void send_on_link(std::size_t link, int from, Segment s, bool lost, int copies = 1);
    void arrive(std::size_t link, int at, Segment s);
    void forward(int router, std::size_t in_link, Segment s);
    // Hands `s` to the taps on the interface at `end` of `link`, as sent by end `sender`.
    void tap_out(std::size_t link, int end, int sender, const Segment& s);

    NetworkConfig config_;
    EventQueue queue_;
    Prng prng_;
    std::vector<Tap> taps_;
    std::vector<LinkState> links_;
    std::vector<std::vector<std::size_t>> node_links_;  // per node, its links in order
    std::vector<RouterState> routers_;
    std::vector<Segment> forwarded_;  // a router's output, reused
    std::uint64_t router_drops_ = 0;
    std::vector<std::uint8_t> tap_frame_;  // where frames are encoded for a tap without a file
    std::unique_ptr<TcpStack> stacks_[2];
    std::uint16_t ip_id_[2] = {0, 0};
    std::uint32_t connections_ = 0;
    std::vector<std::uint32_t> data_segments_;  // per connection number
    std::vector<std::uint32_t> all_segments_;   // per connection number
    std::vector<std::uint32_t> impairment_hits_ = std::vector<std::uint32_t>(config_.impairments.size(), 0);
    std::uint64_t frames_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint32_t syn_drops_left_ = 0;
    std::uint16_t syn_drop_spared_port_ = 0;
    Prng impair_prng_{0};
    // Per host: a segment held for reordering, until that host sends the connection's next one.
    std::optional<Segment> held_[2];
    std::uint64_t held_generation_[2] = {0, 0};
};

}  // namespace ftpsim::sim::vnet
