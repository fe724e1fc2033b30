#include "sim/vnet/network.hpp"

#include <stdexcept>

#include "sim/vnet/tcp_stack.hpp"

namespace ftpsim::sim::vnet {

Network::Network(NetworkConfig config, const std::string& pcap_path, FrameTap* tap)
    : config_(std::move(config)), prng_(config_.seed), tap_(tap) {
    if (!pcap_path.empty()) pcap_ = std::make_unique<PcapWriter>(pcap_path);
    for (int i = 0; i < 2; ++i) {
        // Each host draws from its own stream, so adding traffic on one host does not change
        // the other's numbers.
        Prng host_prng = prng_.fork();
        ip_id_[i] = static_cast<std::uint16_t>(host_prng.next());
        stacks_[i] = std::make_unique<TcpStack>(*this, i, host_prng.fork());
    }
    // After the hosts' streams, so that impairments leave the hosts' numbers (ISNs, ports) as
    // they are without them.
    impair_prng_ = prng_.fork();
}

Network::~Network() = default;

TcpStack& Network::stack(int host) { return *stacks_[host]; }

int Network::host_of(const net::IpAddress& addr) const {
    for (int i = 0; i < 2; ++i) {
        if (addr == config_.hosts[i].ipv4 || addr == config_.hosts[i].ipv6) return i;
    }
    return -1;
}

namespace {

// A reordered segment waits this long at most for the next one to overtake it: if the sender
// has nothing more to send (it waits for an ACK), the segment goes out late rather than never.
constexpr Nanos kReorderHoldLimit = 10 * kMillisecond;

bool probability(Prng& prng, double p) {
    // 53 bits of the draw as a fraction in [0, 1): the same on every machine.
    return p > 0 && static_cast<double>(prng.next() >> 11) * 0x1.0p-53 < p;
}

}  // namespace

std::optional<Impairment> Network::impairment_for(const Segment& s) {
    if (syn_drops_left_ != 0 && (s.flags & kSyn) && !(s.flags & kAck) && s.dst.port != syn_drop_spared_port_) {
        --syn_drops_left_;
        return Impairment{Impairment::Kind::kDrop, {}, 0, 0};
    }
    if (s.connection == 0) return std::nullopt;
    if (data_segments_.size() <= s.connection) {
        data_segments_.resize(s.connection + 1, 0);
        all_segments_.resize(s.connection + 1, 0);
    }
    const std::uint32_t any = ++all_segments_[s.connection];
    const std::uint32_t data = s.payload.empty() ? 0 : ++data_segments_[s.connection];
    auto matches = [&](const SegmentRule& r) {
        if (r.connection != s.connection) return false;
        return r.nth_data_segment != 0 ? r.nth_data_segment == data : r.nth_segment == any;
    };
    for (const auto& rule : config_.losses)
        if (matches(rule)) return Impairment{Impairment::Kind::kDrop, rule, 0, 0};
    for (const auto& imp : config_.impairments)
        if (matches(imp.segment)) return imp;
    // Drawn for every segment, whether it is impaired or not, so that a rule added above does
    // not shift which later segments the random impairments hit.
    const bool lose = probability(impair_prng_, config_.loss_probability);
    const bool reorder = probability(impair_prng_, config_.reorder_probability);
    if (lose) return Impairment{Impairment::Kind::kDrop, {}, 0, 0};
    if (reorder) return Impairment{Impairment::Kind::kReorder, {}, 0, 0};
    return std::nullopt;
}

void Network::transmit(int host, Segment s) {
    const std::optional<Impairment> imp = impairment_for(s);
    using K = Impairment::Kind;
    const K kind = imp ? imp->kind : K::kDrop;
    if (imp && kind == K::kReorder && !held_[host]) {
        held_[host] = std::move(s);
        const std::uint64_t generation = ++held_generation_[host];
        queue_.at(queue_.now() + kReorderHoldLimit, [this, host, generation] {
            if (held_generation_[host] == generation) release_held(host);
        });
        return;
    }
    if (imp && kind == K::kDelay) {
        queue_.at(queue_.now() + imp->delay, [this, host, s = std::move(s)]() mutable {
            put_on_wire(host, std::move(s), false);
        });
        return;
    }
    const bool overtakes = held_[host] && held_[host]->connection == s.connection;
    if (imp && kind == K::kSplit && imp->split_at > 0 && imp->split_at < s.payload.size()) {
        // As a sender that wrote the bytes in two sends would: the FIN, if any, on the second.
        Segment first = s, second = s;
        first.payload.resize(imp->split_at);
        first.flags = static_cast<std::uint8_t>(first.flags & ~kFin);
        second.payload.erase(0, imp->split_at);
        second.seq += imp->split_at;
        put_on_wire(host, std::move(first), false);
        put_on_wire(host, std::move(second), false);
    } else {
        put_on_wire(host, std::move(s), imp && kind == K::kDrop, imp && kind == K::kDuplicate ? 2 : 1);
    }
    if (overtakes) release_held(host);
}

void Network::release_held(int host) {
    if (!held_[host]) return;
    Segment s = std::move(*held_[host]);
    held_[host].reset();
    ++held_generation_[host];
    put_on_wire(host, std::move(s), false);
}

void Network::put_on_wire(int host, Segment s, bool lost, int copies) {
    const int to = 1 - host;
    FrameAddressing a;
    a.src_mac = config_.hosts[host].mac;
    a.dst_mac = config_.hosts[to].mac;
    a.ttl = profile(host).ttl;
    // DF is set (encode_frame): the connection's own counter, or one per host.
    if (!s.src.addr.v6) a.ip_id = s.ip_id ? *s.ip_id : ip_id_[host]++;
    const std::size_t ip_bytes = ip_packet_length(s);
    if (ip_bytes > config_.link.mtu) throw std::logic_error("vnet: segment larger than the link MTU");
    const std::size_t frame_bytes = 14 + ip_bytes;
    for (int copy = 0; copy < copies; ++copy) {
        // Serialisation: the frame waits for the link to be free, then occupies it for
        // size * 8 / bandwidth (the Ethernet preamble and gap are not modelled).
        const Nanos now = queue_.now();
        const Nanos start = busy_until_[host] > now ? busy_until_[host] : now;
        const Nanos tx = static_cast<Nanos>(frame_bytes * 8ULL * 1'000'000'000ULL / config_.link.bits_per_second);
        busy_until_[host] = start + tx;
        const Nanos arrival = start + tx + config_.link.latency;
        // The last copy takes the segment; a duplicate's first gets its own.
        Segment mine = copy + 1 < copies ? s : std::move(s);
        // The frame is encoded when it goes onto the wire, into one reused buffer, and only when
        // a capture (the file or a tap) wants it.
        auto onto_wire = [this, a, lost, arrival, to, frame_bytes](Segment seg) {
            ++frames_;
            if (pcap_ || tap_) {
                const std::int64_t time = config_.start_time_ns + queue_.now();
                std::uint8_t* at = nullptr;
                if (pcap_) {
                    at = pcap_->record(time, frame_bytes);
                } else {
                    tap_frame_.resize(frame_bytes);
                    at = tap_frame_.data();
                }
                encode_frame_at(seg, a, at);
                if (tap_) tap_->on_frame(time, std::span<const std::uint8_t>(at, frame_bytes));
            }
            if (lost) {
                ++dropped_;
                return;
            }
            queue_.at(arrival, [this, to, seg = std::move(seg)] { stacks_[to]->receive(seg); });
        };
        // An idle link takes the frame at once: no event needed for the tap (half the events of
        // a run, and the queue is the simulator's hottest path).
        if (start == now) {
            onto_wire(std::move(mine));
        } else {
            queue_.at(start, [onto_wire, seg = std::move(mine)]() mutable { onto_wire(std::move(seg)); });
        }
    }
}

bool Network::finish_capture() {
    if (!pcap_) return true;
    return pcap_->finish();
}

}  // namespace ftpsim::sim::vnet
