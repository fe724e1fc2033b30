#include "sim/vnet/wire.hpp"

#include <array>
#include <cstring>
#include <stdexcept>

namespace ftpsim::sim::vnet {
namespace {

// TCP options, at most 40 bytes (RFC 9293 §3.1: data offset of 15 words), built on the stack:
// every segment is encoded once and measured once, so a heap buffer each time would show.
struct Options {
    std::array<std::uint8_t, 40> bytes{};
    std::size_t size = 0;
    void put(std::uint8_t b) { bytes[size++] = b; }
    void put16(std::uint16_t v) {
        put(static_cast<std::uint8_t>(v >> 8));
        put(static_cast<std::uint8_t>(v));
    }
    void put32(std::uint32_t v) {
        put16(static_cast<std::uint16_t>(v >> 16));
        put16(static_cast<std::uint16_t>(v));
    }
    void timestamps(const Segment& s) {
        put(8);  // RFC 7323 §3.2: kind 8, length 10, TSval, TSecr
        put(10);
        put32(s.timestamps->first);
        put32(s.timestamps->second);
    }
};

// Options in the order Linux writes them, so captures look like a Linux peer's:
// SYN: MSS, SACK_PERM, TS, NOP, WS (or MSS, NOP, NOP, SACK_PERM, NOP, WS without TS);
// others: NOP, NOP, TS.
Options encode_options(const Segment& s) {
    Options o;
    if (s.windows_option_order && s.has(kSyn)) {
        // Windows: MSS, NOP, WS, NOP, NOP, SACK_PERM (and TS, when on, before the SACK_PERM).
        if (s.mss) {
            o.put(2);
            o.put(4);
            o.put16(*s.mss);
        }
        if (s.wscale) for (std::uint8_t b : {std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{3}, *s.wscale}) o.put(b);
        if (s.timestamps) {
            o.put(1);
            o.put(1);
            o.timestamps(s);
        }
        if (s.sack_permitted) for (std::uint8_t b : {1, 1, 4, 2}) o.put(b);
        while (o.size % 4 != 0) o.put(1);
        return o;
    }
    if (s.mss) {
        o.put(2);
        o.put(4);
        o.put16(*s.mss);
    }
    if (s.has(kSyn) && s.sack_permitted) {
        if (s.timestamps) {
            o.put(4);  // RFC 2018 §2: SACK-Permitted, kind 4, length 2
            o.put(2);
            o.timestamps(s);
        } else {
            for (std::uint8_t b : {1, 1, 4, 2}) o.put(b);
        }
    } else if (s.timestamps) {
        o.put(1);
        o.put(1);
        o.timestamps(s);
    }
    if (s.wscale) {
        for (std::uint8_t b : {std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{3}, *s.wscale}) o.put(b);  // NOP, RFC 7323 §2.2
    }
    while (o.size % 4 != 0) o.put(1);
    return o;
}

std::uint32_t sum_bytes(const std::uint8_t* p, std::size_t n, std::uint32_t sum) {
    // RFC 1071 §2: the one's complement sum can be taken over wider words and folded at the
    // end (byte order independent, §2(B)): 32-bit big-endian words into 64 bits, which cannot
    // overflow for any frame, then the 16-bit halves.
    std::uint64_t acc = sum;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        acc += static_cast<std::uint32_t>(p[i]) << 24 | static_cast<std::uint32_t>(p[i + 1]) << 16 |
               static_cast<std::uint32_t>(p[i + 2]) << 8 | p[i + 3];
    for (; i + 1 < n; i += 2) acc += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (n % 2 != 0) acc += static_cast<std::uint32_t>(p[n - 1] << 8);
    acc = (acc & 0xffffffff) + (acc >> 32);
    acc = (acc & 0xffffffff) + (acc >> 32);
    acc = (acc & 0xffff) + (acc >> 16);  // 32-bit words: fold their halves
    acc = (acc & 0xffff) + (acc >> 16);
    return static_cast<std::uint32_t>(acc);
}

}  // namespace

std::uint16_t internet_checksum(const std::uint8_t* data, std::size_t length, std::uint32_t sum) {
    sum = sum_bytes(data, length, sum);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

std::size_t tcp_options_length(const Segment& s) { return encode_options(s).size; }

std::size_t ip_packet_length(const Segment& s) {
    return (s.src.addr.v6 ? 40 : 20) + 20 + tcp_options_length(s) + s.payload.size();
}

std::vector<std::uint8_t> encode_frame(const Segment& s, const FrameAddressing& a) {
    std::vector<std::uint8_t> f(14 + ip_packet_length(s));
    encode_frame_at(s, a, f.data());
    return f;
}

void encode_frame_at(const Segment& s, const FrameAddressing& a, std::uint8_t* out) {
    if (s.src.addr.v6 != s.dst.addr.v6) throw std::logic_error("vnet: mixed IPv4/IPv6 segment");
    const bool v6 = s.src.addr.v6;
    const Options options = encode_options(s);
    const std::size_t tcp_len = 20 + options.size + s.payload.size();

    // Filled in place (a pcap writer's buffer): a frame per segment is the simulator's hottest
    // path.
    std::uint8_t* p = out;
    auto u8 = [&p](std::uint8_t v) { *p++ = v; };
    auto u16 = [&p](std::uint16_t v) {
        *p++ = static_cast<std::uint8_t>(v >> 8);
        *p++ = static_cast<std::uint8_t>(v);
    };
    auto u32 = [&u16](std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v >> 16));
        u16(static_cast<std::uint16_t>(v));
    };
    auto bytes = [&p](const std::uint8_t* from, std::size_t n) {
        if (n != 0) std::memcpy(p, from, n);
        p += n;
    };
    bytes(a.dst_mac.data(), 6);
    bytes(a.src_mac.data(), 6);
    u16(v6 ? 0x86dd : 0x0800);

    std::uint8_t* const ip = p;
    if (v6) {
        u32(0x60000000u | (a.flow_label & 0xfffff));
        u16(static_cast<std::uint16_t>(tcp_len));
        u8(6);  // next header: TCP
        u8(a.ttl);
        bytes(s.src.addr.bytes.data(), 16);
        bytes(s.dst.addr.bytes.data(), 16);
    } else {
        u8(0x45);
        u8(0);
        u16(static_cast<std::uint16_t>(20 + tcp_len));
        u16(a.ip_id);
        u16(s.df ? 0x4000 : 0);  // DF: Linux sets it on TCP (path MTU discovery, RFC 1191)
        u8(a.ttl);
        u8(6);
        u16(0);  // header checksum, below
        bytes(s.src.addr.bytes.data(), 4);
        bytes(s.dst.addr.bytes.data(), 4);
        const std::uint16_t sum = internet_checksum(ip, 20);
        ip[10] = static_cast<std::uint8_t>(sum >> 8);
        ip[11] = static_cast<std::uint8_t>(sum);
    }

    std::uint8_t* const tcp = p;
    u16(s.src.port);
    u16(s.dst.port);
    u32(s.seq);
    u32(s.ack);
    u8(static_cast<std::uint8_t>((20 + options.size) / 4 << 4));
    u8(s.flags);
    u16(s.window);
    u16(0);  // checksum, below
    u16(0);  // urgent pointer
    bytes(options.bytes.data(), options.size);
    bytes(reinterpret_cast<const std::uint8_t*>(s.payload.data()), s.payload.size());

    // Pseudo-header (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for IPv6).
    std::uint32_t sum = 0;
    const std::size_t alen = v6 ? 16 : 4;
    sum = sum_bytes(s.src.addr.bytes.data(), alen, sum);
    sum = sum_bytes(s.dst.addr.bytes.data(), alen, sum);
    sum += 6;
    sum += static_cast<std::uint32_t>(tcp_len & 0xffff) + static_cast<std::uint32_t>(tcp_len >> 16);
    const std::uint16_t check = internet_checksum(tcp, tcp_len, sum);
    tcp[16] = static_cast<std::uint8_t>(check >> 8);
    tcp[17] = static_cast<std::uint8_t>(check);
}

}  // namespace ftpsim::sim::vnet
