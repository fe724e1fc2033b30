#include "sim/vnet/network.hpp"

#include <stdexcept>

#include "sim/vnet/tcp_stack.hpp"

namespace ftpsim::sim::vnet {

Network::Network(NetworkConfig config, const std::string& pcap_path)
    : config_(std::move(config)), prng_(config_.seed) {
    if (!pcap_path.empty()) pcap_ = std::make_unique<PcapWriter>(pcap_path);
    for (int i = 0; i < 2; ++i) {
        // Each host draws from its own stream, so adding traffic on one host does not change
        // the other's numbers.
        Prng host_prng = prng_.fork();
        ip_id_[i] = static_cast<std::uint16_t>(host_prng.next());
        stacks_[i] = std::make_unique<TcpStack>(*this, i, host_prng.fork());
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

bool Network::should_drop(const Segment& s) {
    if (syn_drops_left_ != 0 && (s.flags & kSyn) && !(s.flags & kAck) && s.dst.port != syn_drop_spared_port_) {
        --syn_drops_left_;
        return true;
    }
    if (s.connection == 0) return false;
    if (data_segments_.size() <= s.connection) {
        data_segments_.resize(s.connection + 1, 0);
        all_segments_.resize(s.connection + 1, 0);
    }
    const std::uint32_t any = ++all_segments_[s.connection];
    const std::uint32_t data = s.payload.empty() ? 0 : ++data_segments_[s.connection];
    for (const auto& rule : config_.losses) {
        if (rule.connection != s.connection) continue;
        if (rule.nth_data_segment != 0 ? rule.nth_data_segment == data : rule.nth_segment == any) return true;
    }
    return false;
}

void Network::transmit(int host, Segment s) {
    const int to = 1 - host;
    if (ip_packet_length(s) > config_.link.mtu) {
        throw std::logic_error("vnet: segment larger than the link MTU");
    }
    FrameAddressing a;
    a.src_mac = config_.hosts[host].mac;
    a.dst_mac = config_.hosts[to].mac;
    a.ttl = profile(host).ttl;
    if (!s.src.addr.v6) a.ip_id = ip_id_[host]++;  // one counter per host, DF set
    auto frame = std::make_shared<std::vector<std::uint8_t>>(encode_frame(s, a));
    const bool drop = should_drop(s);

    // Serialisation: the frame waits for the link to be free, then occupies it for
    // size * 8 / bandwidth (the Ethernet preamble and gap are not modelled).
    const Nanos now = queue_.now();
    const Nanos start = busy_until_[host] > now ? busy_until_[host] : now;
    const Nanos tx = static_cast<Nanos>(frame->size() * 8ULL * 1'000'000'000ULL /
                                        config_.link.bits_per_second);
    busy_until_[host] = start + tx;
    const Nanos arrival = start + tx + config_.link.latency;

    queue_.at(start, [this, frame, drop, arrival, to, s = std::move(s)]() mutable {
        ++frames_;
        if (pcap_) pcap_->write(config_.start_time_ns + queue_.now(), *frame);
        if (drop) {
            ++dropped_;
            return;
        }
        queue_.at(arrival, [this, to, s = std::move(s)] { stacks_[to]->receive(s); });
    });
}

bool Network::finish_capture() {
    if (!pcap_) return true;
    return pcap_->finish();
}

}  // namespace ftpsim::sim::vnet
