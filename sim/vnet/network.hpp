// Two hosts joined by one full-duplex link: latency, bandwidth (serialisation delay, one frame
// at a time per direction, FIFO) and MTU. Every frame is captured when it starts onto the wire
// (a tap at the sender's port), so an injected loss still shows in the capture and the
// sender's retransmission is seen as one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/endpoint.hpp"
#include "sim/vnet/event_queue.hpp"
#include "sim/vnet/frame_tap.hpp"
#include "sim/vnet/pcap_writer.hpp"
#include "sim/vnet/prng.hpp"
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

struct NetworkConfig {
    std::uint64_t seed = 1;
    HostConfig hosts[2];
    LinkConfig link;
    TcpProfile tcp;
    std::int64_t start_time_ns = 1'767'225'600'000'000'000;  // 2026-01-01 00:00:00 UTC
    std::vector<LossRule> losses;
    std::vector<Impairment> impairments;
    // Every segment is lost / reordered with these probabilities, drawn from the seed's stream.
    double loss_probability = 0;
    double reorder_probability = 0;
};

class Network {
public:
    // `pcap_path` empty: no capture file. `tap` (may be null, outlives the network) gets every
    // captured frame too.
    Network(NetworkConfig config, const std::string& pcap_path, FrameTap* tap = nullptr);
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
    // Index of the host owning `addr`, or -1.
    int host_of(const net::IpAddress& addr) const;

    // Puts a segment on the link from `host` towards the other one.
    void transmit(int host, Segment s);
    std::uint32_t next_connection_number() { return ++connections_; }

    // Closes and renames the capture; false on an I/O error.
    bool finish_capture();
    std::uint64_t frames() const { return frames_; }
    std::uint64_t dropped() const { return dropped_; }

private:
    // The impairment acting on `s`, if any (counting it for the rules); kDrop for a loss rule or
    // a random loss, kReorder for a random reorder.
    std::optional<Impairment> impairment_for(const Segment& s);
    // Encodes, serialises and captures `s` now; `lost` drops it after the tap.
    void put_on_wire(int host, Segment s, bool lost, int copies = 1);
    void release_held(int host);

    NetworkConfig config_;
    EventQueue queue_;
    Prng prng_;
    std::unique_ptr<PcapWriter> pcap_;
    FrameTap* tap_ = nullptr;
    std::vector<std::uint8_t> tap_frame_;  // where frames are encoded for a tap without a file
    std::unique_ptr<TcpStack> stacks_[2];
    Nanos busy_until_[2] = {0, 0};   // per direction: when the link is free again
    std::uint16_t ip_id_[2] = {0, 0};
    std::uint32_t connections_ = 0;
    std::vector<std::uint32_t> data_segments_;  // per connection number
    std::vector<std::uint32_t> all_segments_;   // per connection number
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
