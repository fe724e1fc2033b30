// Reads a capture back and checks every frame: its length on the wire, and for IPv4/IPv6 TCP
// frames the IPv4 header checksum and the TCP checksum. With checksum offload left on, veth
// frames would be captured with checksums never filled in; this proves offloads were disabled.
#pragma once

#include <pcap/pcap.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace ftpsim::netns_test {

struct FrameCheck {
    std::size_t frames = 0, max_len = 0;
    std::size_t tcp_frames = 0, bad_checksums = 0;
    int linktype = -1;
};

// One's-complement sum over bytes (RFC 1071), folded by the caller.
inline std::uint32_t sum16(const std::uint8_t* p, std::size_t n, std::uint32_t acc = 0) {
    for (std::size_t i = 0; i + 1 < n; i += 2) acc += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    if (n % 2 != 0) acc += static_cast<std::uint32_t>(p[n - 1] << 8);
    return acc;
}
inline bool sums_to_ffff(std::uint32_t acc) {
    while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
    return acc == 0xffff;
}

// Checks one Ethernet frame's checksums; counts into `c`.
inline void check_frame(const std::uint8_t* f, std::size_t len, FrameCheck& c) {
    if (len < 14) return;
    const unsigned ethertype = static_cast<unsigned>(f[12] << 8 | f[13]);
    const std::uint8_t* ip = f + 14;
    const std::size_t ip_len = len - 14;
    std::uint32_t pseudo = 0;
    const std::uint8_t* tcp = nullptr;
    std::size_t tcp_len = 0;
    if (ethertype == 0x0800 && ip_len >= 20) {
        const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
        const std::size_t total = static_cast<std::size_t>(ip[2] << 8 | ip[3]);
        if (ihl < 20 || total > ip_len || total < ihl) return;
        if (!sums_to_ffff(sum16(ip, ihl))) ++c.bad_checksums;
        if (ip[9] != 6) return;
        tcp = ip + ihl;
        tcp_len = total - ihl;
        pseudo = sum16(ip + 12, 8) + 6 + static_cast<std::uint32_t>(tcp_len);
    } else if (ethertype == 0x86dd && ip_len >= 40) {
        const std::size_t payload = static_cast<std::size_t>(ip[4] << 8 | ip[5]);
        if (ip[6] != 6 || payload + 40 > ip_len) return;  // extension headers: not expected here
        tcp = ip + 40;
        tcp_len = payload;
        pseudo = sum16(ip + 8, 32) + 6 + static_cast<std::uint32_t>(tcp_len);
    } else {
        return;
    }
    ++c.tcp_frames;
    if (!sums_to_ffff(sum16(tcp, tcp_len, pseudo))) ++c.bad_checksums;
}

inline FrameCheck check_capture(const std::string& file) {
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline(file.c_str(), err);
    if (p == nullptr) throw std::runtime_error(err);
    FrameCheck c;
    c.linktype = pcap_datalink(p);
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    for (int i = 0; i < 1000000 && pcap_next_ex(p, &h, &data) == 1; ++i) {  // bounded
        ++c.frames;
        c.max_len = std::max<std::size_t>(c.max_len, h->len);
        if (c.linktype == DLT_EN10MB && h->caplen == h->len) check_frame(data, h->caplen, c);
    }
    pcap_close(p);
    return c;
}

}  // namespace ftpsim::netns_test
