#include "sim/vnet/wire.hpp"

#include <stdexcept>

namespace ftpsim::sim::vnet {
namespace {

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v));
}
void set16(std::vector<std::uint8_t>& out, std::size_t at, std::uint16_t v) {
    out[at] = static_cast<std::uint8_t>(v >> 8);
    out[at + 1] = static_cast<std::uint8_t>(v);
}

void put_timestamps(std::vector<std::uint8_t>& o, const Segment& s) {
    o.push_back(8);  // RFC 7323 §3.2: kind 8, length 10, TSval, TSecr
    o.push_back(10);
    put32(o, s.timestamps->first);
    put32(o, s.timestamps->second);
}

// Options in the order Linux writes them, so captures look like a Linux peer's:
// SYN: MSS, SACK_PERM, TS, NOP, WS (or MSS, NOP, NOP, SACK_PERM, NOP, WS without TS);
// others: NOP, NOP, TS.
std::vector<std::uint8_t> encode_options(const Segment& s) {
    std::vector<std::uint8_t> o;
    if (s.mss) {
        o.push_back(2);
        o.push_back(4);
        put16(o, *s.mss);
    }
    if (s.has(kSyn) && s.sack_permitted) {
        if (s.timestamps) {
            o.push_back(4);  // RFC 2018 §2: SACK-Permitted, kind 4, length 2
            o.push_back(2);
            put_timestamps(o, s);
        } else {
            o.insert(o.end(), {1, 1, 4, 2});
        }
    } else if (s.timestamps) {
        o.insert(o.end(), {1, 1});
        put_timestamps(o, s);
    }
    if (s.wscale) {
        o.insert(o.end(), {1, 3, 3, *s.wscale});  // NOP, RFC 7323 §2.2: kind 3, length 3
    }
    while (o.size() % 4 != 0) o.push_back(1);
    return o;
}

std::uint32_t sum_bytes(const std::uint8_t* p, std::size_t n, std::uint32_t sum) {
    for (std::size_t i = 0; i + 1 < n; i += 2) sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (n % 2 != 0) sum += static_cast<std::uint32_t>(p[n - 1] << 8);
    return sum;
}

}  // namespace

std::uint16_t internet_checksum(const std::uint8_t* data, std::size_t length, std::uint32_t sum) {
    sum = sum_bytes(data, length, sum);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

std::size_t tcp_options_length(const Segment& s) { return encode_options(s).size(); }

std::size_t ip_packet_length(const Segment& s) {
    return (s.src.addr.v6 ? 40 : 20) + 20 + tcp_options_length(s) + s.payload.size();
}

std::vector<std::uint8_t> encode_frame(const Segment& s, const FrameAddressing& a) {
    if (s.src.addr.v6 != s.dst.addr.v6) throw std::logic_error("vnet: mixed IPv4/IPv6 segment");
    const bool v6 = s.src.addr.v6;
    const auto options = encode_options(s);
    const std::size_t tcp_len = 20 + options.size() + s.payload.size();

    std::vector<std::uint8_t> f;
    f.reserve(14 + 40 + tcp_len);
    f.insert(f.end(), a.dst_mac.begin(), a.dst_mac.end());
    f.insert(f.end(), a.src_mac.begin(), a.src_mac.end());
    put16(f, v6 ? 0x86dd : 0x0800);

    const std::size_t ip_at = f.size();
    if (v6) {
        put32(f, 0x60000000u | (a.flow_label & 0xfffff));
        put16(f, static_cast<std::uint16_t>(tcp_len));
        f.push_back(6);  // next header: TCP
        f.push_back(a.ttl);
        f.insert(f.end(), s.src.addr.bytes.begin(), s.src.addr.bytes.end());
        f.insert(f.end(), s.dst.addr.bytes.begin(), s.dst.addr.bytes.end());
    } else {
        f.push_back(0x45);
        f.push_back(0);
        put16(f, static_cast<std::uint16_t>(20 + tcp_len));
        put16(f, a.ip_id);
        put16(f, 0x4000);  // DF: Linux sets it on TCP (path MTU discovery, RFC 1191)
        f.push_back(a.ttl);
        f.push_back(6);
        put16(f, 0);
        f.insert(f.end(), s.src.addr.bytes.begin(), s.src.addr.bytes.begin() + 4);
        f.insert(f.end(), s.dst.addr.bytes.begin(), s.dst.addr.bytes.begin() + 4);
        set16(f, ip_at + 10, internet_checksum(f.data() + ip_at, 20));
    }

    const std::size_t tcp_at = f.size();
    put16(f, s.src.port);
    put16(f, s.dst.port);
    put32(f, s.seq);
    put32(f, s.ack);
    f.push_back(static_cast<std::uint8_t>((20 + options.size()) / 4 << 4));
    f.push_back(s.flags);
    put16(f, s.window);
    put16(f, 0);  // checksum, below
    put16(f, 0);  // urgent pointer
    f.insert(f.end(), options.begin(), options.end());
    f.insert(f.end(), s.payload.begin(), s.payload.end());

    // Pseudo-header (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for IPv6).
    std::uint32_t sum = 0;
    const std::size_t alen = v6 ? 16 : 4;
    sum = sum_bytes(s.src.addr.bytes.data(), alen, sum);
    sum = sum_bytes(s.dst.addr.bytes.data(), alen, sum);
    sum += 6;
    sum += static_cast<std::uint32_t>(tcp_len & 0xffff) + static_cast<std::uint32_t>(tcp_len >> 16);
    set16(f, tcp_at + 16, internet_checksum(f.data() + tcp_at, tcp_len, sum));
    return f;
}

}  // namespace ftpsim::sim::vnet
