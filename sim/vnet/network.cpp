#include "sim/vnet/network.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/vnet/tcp_stack.hpp"

namespace ftpsim::sim::vnet {

namespace {

std::vector<CaptureSpec> one_capture(const std::string& pcap_path, FrameTap* tap) {
    if (pcap_path.empty() && !tap) return {};
    return {CaptureSpec{0, 0, pcap_path, tap}};
}

}  // namespace

Network::Network(NetworkConfig config, const std::string& pcap_path, FrameTap* tap)
    : Network(std::move(config), one_capture(pcap_path, tap)) {}

Network::Network(NetworkConfig config, const std::vector<CaptureSpec>& captures)
    : config_(std::move(config)), prng_(config_.seed) {
    if (config_.links.empty()) {
        LinkSpec only{0, 1, config_.hosts[0].mac, config_.hosts[1].mac, config_.link, 0};
        config_.links.push_back(only);
    }
    node_links_.resize(2 + config_.routers.size());
    for (std::size_t i = 0; i < config_.links.size(); ++i) {
        const LinkSpec& l = config_.links[i];
        if (l.a < 0 || l.b < 0 || static_cast<std::size_t>(l.a) >= node_links_.size() ||
            static_cast<std::size_t>(l.b) >= node_links_.size() || l.a == l.b)
            throw std::invalid_argument("vnet: link " + std::to_string(i) + " joins no two distinct nodes");
        LinkState state{l, {0, 0}, {0, 0}, Prng(config_.seed ^ (0x6a09e667f3bcc908ULL * (i + 1))), {}};
        links_.push_back(std::move(state));
        node_links_[l.a].push_back(i);
        node_links_[l.b].push_back(i);
    }
    for (int host = 0; host < 2; ++host)
        if (node_links_[host].empty()) throw std::invalid_argument("vnet: a host has no link");
    for (const auto& c : captures) {
        if (c.link >= links_.size()) throw std::invalid_argument("vnet: capture on a link that does not exist");
        LinkState& l = links_[c.link];
        if (l.spec.a != c.node && l.spec.b != c.node) throw std::invalid_argument("vnet: capture on a link of another node");
        Tap t;
        if (!c.pcap_path.empty()) t.pcap = std::make_unique<PcapWriter>(c.pcap_path);
        t.tap = c.tap;
        taps_.push_back(std::move(t));
        l.taps[l.spec.a == c.node ? 0 : 1].push_back(taps_.size() - 1);
    }
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
    for (const auto& r : config_.routers) {
        RouterState state;
        if (r.nat) state.nat = std::make_unique<NatDevice>(*r.nat);
        routers_.push_back(std::move(state));
    }
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

std::optional<Impairment> Network::impairment_for(Segment& s) {
    if (syn_drops_left_ != 0 && (s.flags & kSyn) && !(s.flags & kAck) && s.dst.port != syn_drop_spared_port_) {
        --syn_drops_left_;
        s.firewalled = true;  // dropped by the receiving host, after its capture point
        return std::nullopt;
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
    for (std::size_t i = 0; i < config_.impairments.size(); ++i) {
        if (!matches(config_.impairments[i].segment)) continue;
        ++impairment_hits_[i];
        return config_.impairments[i];
    }
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
    if (overtakes) {
        held_[host]->notes |= kNoteReordered;
        release_held(host);
    }
}

void Network::release_held(int host) {
    if (!held_[host]) return;
    Segment s = std::move(*held_[host]);
    held_[host].reset();
    ++held_generation_[host];
    put_on_wire(host, std::move(s), false);
}

void Network::put_on_wire(int host, Segment s, bool lost, int copies) {
    // DF is set (encode_frame): the connection's own counter, or one per host.
    if (!s.src.addr.v6 && !s.ip_id) s.ip_id = ip_id_[host]++;
    s.ttl = profile(host).ttl;
    const std::size_t link = route(host, s.dst.addr);
    if (link == SIZE_MAX) throw std::logic_error("vnet: a host has no route to " + s.dst.addr.str());
    lost = lost || probability(impair_prng_, links_[link].spec.loss_probability);
    send_on_link(link, links_[link].spec.a == host ? 0 : 1, std::move(s), lost, copies);
}

std::size_t Network::route(int node, const net::IpAddress& addr) const {
    const std::vector<Route>* routes =
        node < 2 ? &config_.host_routes[node] : &config_.routers[static_cast<std::size_t>(node - 2)].routes;
    if (routes->empty()) return node < 2 ? node_links_[node].front() : SIZE_MAX;
    std::size_t best = SIZE_MAX;
    int best_bits = -1;
    for (const auto& r : *routes) {
        if (r.prefix.v6 != addr.v6 || static_cast<int>(r.bits) <= best_bits) continue;
        bool match = true;
        for (unsigned i = 0; i < r.bits / 8 && match; ++i) match = r.prefix.bytes[i] == addr.bytes[i];
        if (match && r.bits % 8 != 0) {
            const auto mask = static_cast<std::uint8_t>(0xff00u >> (r.bits % 8));
            match = (r.prefix.bytes[r.bits / 8] & mask) == (addr.bytes[r.bits / 8] & mask);
        }
        if (match) {
            best = r.link;
            best_bits = static_cast<int>(r.bits);
        }
    }
    return best;
}

void Network::tap_out(std::size_t link, int end, int sender, const Segment& s) {
    const LinkState& l = links_[link];
    const std::vector<std::size_t>& taps = l.taps[end];
    if (taps.empty()) return;
    FrameAddressing a;
    a.src_mac = sender == 0 ? l.spec.mac_a : l.spec.mac_b;
    a.dst_mac = sender == 0 ? l.spec.mac_b : l.spec.mac_a;
    a.ttl = s.ttl;
    if (!s.src.addr.v6) a.ip_id = *s.ip_id;
    const std::size_t frame_bytes = 14 + ip_packet_length(s);
    const std::int64_t time = config_.start_time_ns + queue_.now();
    // The frame is encoded only for a tap that wants it, straight into the file's buffer.
    for (const std::size_t i : taps) {
        Tap& t = taps_[i];
        std::uint8_t* at = nullptr;
        if (t.pcap) {
            at = t.pcap->record(time, frame_bytes);
        } else {
            tap_frame_.resize(frame_bytes);
            at = tap_frame_.data();
        }
        encode_frame_at(s, a, at);
        if (t.tap) {
            t.tap->on_frame(time, std::span<const std::uint8_t>(at, frame_bytes));
            t.tap->on_segment(time, s);
        }
    }
}

void Network::send_on_link(std::size_t link, int from, Segment s, bool lost, int copies) {
    LinkState& l = links_[link];
    const std::size_t ip_bytes = ip_packet_length(s);
    if (ip_bytes > l.spec.config.mtu) throw std::logic_error("vnet: segment larger than the link MTU");
    const std::size_t frame_bytes = 14 + ip_bytes;
    for (int copy = 0; copy < copies; ++copy) {
        // Serialisation: the frame waits for the link to be free, then occupies it for
        // size * 8 / bandwidth (the Ethernet preamble and gap are not modelled).
        const Nanos now = queue_.now();
        const Nanos start = l.busy_until[from] > now ? l.busy_until[from] : now;
        const Nanos tx = static_cast<Nanos>(frame_bytes * 8ULL * 1'000'000'000ULL / l.spec.config.bits_per_second);
        l.busy_until[from] = start + tx;
        Nanos arrival = start + tx + l.spec.config.latency;
        if (const Nanos j = l.spec.config.jitter; j > 0) {
            arrival += static_cast<Nanos>(l.jitter.below(static_cast<std::uint64_t>(2 * j) + 1)) - j;
            arrival = std::max({arrival, start + tx, l.last_arrival[from]});
            l.last_arrival[from] = arrival;
        }
        // The last copy takes the segment; a duplicate's first gets its own.
        Segment mine = copy + 1 < copies ? s : std::move(s);
        if (copy > 0) mine.notes |= kNoteDuplicate;
        if (lost) mine.notes |= kNoteLost;
        auto onto_wire = [this, link, from, lost, arrival](Segment seg) {
            ++frames_;
            tap_out(link, from, from, seg);
            if (lost) {
                ++dropped_;
                return;
            }
            queue_.at(arrival, [this, link, from, seg = std::move(seg)]() mutable { arrive(link, 1 - from, std::move(seg)); });
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

void Network::arrive(std::size_t link, int at, Segment s) {
    tap_out(link, at, 1 - at, s);
    const LinkState& l = links_[link];
    const int node = at == 0 ? l.spec.a : l.spec.b;
    if (node >= 2) {
        forward(node, link, std::move(s));
        return;
    }
    if (s.firewalled) {
        ++dropped_;
        return;
    }
    stacks_[node]->receive(s);
}

void Network::forward(int node, std::size_t in_link, Segment s) {
    RouterState& r = routers_[static_cast<std::size_t>(node - 2)];
    const RouterConfig& config = config_.routers[static_cast<std::size_t>(node - 2)];
    const bool to_router = std::find(config.addresses.begin(), config.addresses.end(), s.dst.addr) != config.addresses.end();
    forwarded_.clear();
    if (r.nat) {
        const bool from_outside = in_link == config.nat->outside_link;
        const Segment copy = to_router ? s : Segment{};
        if (r.nat->process(std::move(s), from_outside, config_.start_time_ns + queue_.now(), forwarded_) != NatDrop::kNone) {
            ++router_drops_;
            if (to_router) reset_from_router(node, copy);
            return;
        }
    } else if (to_router) {
        reset_from_router(node, s);
        return;
    } else {
        forwarded_.push_back(std::move(s));
    }
    // process() may append more than one; take them out before sending (which may recurse).
    std::vector<Segment> out;
    out.swap(forwarded_);
    for (auto& seg : out) {
        // RFC 791 §3.2 / RFC 8200 §3: a router decrements the TTL / hop limit and drops at zero.
        if (seg.ttl <= 1) {
            ++router_drops_;
            continue;
        }
        --seg.ttl;
        const std::size_t link = route(node, seg.dst.addr);
        if (link == SIZE_MAX || ip_packet_length(seg) > links_[link].spec.config.mtu) {
            ++router_drops_;
            continue;
        }
        const bool lost = probability(impair_prng_, links_[link].spec.loss_probability);
        send_on_link(link, links_[link].spec.a == node ? 0 : 1, std::move(seg), lost);
    }
}

void Network::reset_from_router(int node, const Segment& syn) {
    if (!syn.has(kSyn) || syn.has(kAck) || syn.has(kRst)) return;  // RFC 9293 §3.10.7.1: a SYN only
    RouterState& r = routers_[static_cast<std::size_t>(node - 2)];
    Segment rst;
    rst.src = syn.dst;
    rst.dst = syn.src;
    rst.seq = 0;
    rst.ack = syn.seq + 1;
    rst.flags = kRst | kAck;
    rst.connection = syn.connection;
    rst.ttl = 64;
    if (!rst.src.addr.v6) rst.ip_id = r.ip_id++;
    const std::size_t link = route(node, rst.dst.addr);
    if (link == SIZE_MAX) return;
    send_on_link(link, links_[link].spec.a == node ? 0 : 1, std::move(rst), false);
}

bool Network::finish_capture() {
    bool ok = true;
    for (auto& t : taps_)
        if (t.pcap) ok = t.pcap->finish() && ok;
    return ok;
}

}  // namespace ftpsim::sim::vnet
