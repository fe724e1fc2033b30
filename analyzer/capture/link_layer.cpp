#include "capture/link_layer.hpp"

#include <pcap/dlt.h>

namespace ftpsim::capture {
namespace {

constexpr std::uint16_t kEtherIPv4 = 0x0800;
constexpr std::uint16_t kEtherIPv6 = 0x86DD;
constexpr std::uint16_t kEtherVlan = 0x8100;     // IEEE 802.1Q
constexpr std::uint16_t kEtherQinQ = 0x88A8;     // IEEE 802.1ad
constexpr std::uint16_t kEtherVlanOld = 0x9100;  // pre-standard QinQ, still seen

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }

NetworkLayer by_ethertype(std::uint16_t type, std::size_t offset) {
    if (type == kEtherIPv4) return {4, offset, type};
    if (type == kEtherIPv6) return {6, offset, type};
    return {0, offset, type};
}

std::optional<NetworkLayer> by_version_nibble(std::span<const std::uint8_t> f, std::size_t offset) {
    if (f.size() <= offset) return std::nullopt;
    int v = f[offset] >> 4;
    return NetworkLayer{v == 4 || v == 6 ? v : 0, offset, 0};
}

std::optional<NetworkLayer> ethernet(std::span<const std::uint8_t> f) {
    std::size_t off = 12;
    if (f.size() < off + 2) return std::nullopt;
    std::uint16_t type = be16(&f[off]);
    // Any number of stacked VLAN tags: each is 2 bytes of TCI then the next type.
    while (type == kEtherVlan || type == kEtherQinQ || type == kEtherVlanOld) {
        off += 4;
        if (f.size() < off + 2) return std::nullopt;
        type = be16(&f[off]);
    }
    return by_ethertype(type, off + 2);
}

// BSD loopback: a 4-byte address family in the capturing host's byte order (DLT_NULL) or in
// network order (DLT_LOOP). AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30 by OS.
std::optional<NetworkLayer> loopback(std::span<const std::uint8_t> f) {
    if (f.size() < 4) return std::nullopt;
    std::uint32_t le = f[0] | f[1] << 8 | f[2] << 16 | static_cast<std::uint32_t>(f[3]) << 24;
    std::uint32_t be = static_cast<std::uint32_t>(f[0]) << 24 | f[1] << 16 | f[2] << 8 | f[3];
    std::uint32_t family = le < 256 ? le : be;
    if (family == 2) return NetworkLayer{4, 4, kEtherIPv4};
    if (family == 10 || family == 24 || family == 28 || family == 30)
        return NetworkLayer{6, 4, kEtherIPv6};
    return NetworkLayer{0, 4, 0};
}

}  // namespace

bool link_layer_supported(int dlt) {
    switch (dlt) {
        case DLT_EN10MB:
        case DLT_LINUX_SLL:
        case DLT_LINUX_SLL2:
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6:
        case DLT_NULL:
        case DLT_LOOP:
            return true;
        default:
            return false;
    }
}

std::optional<NetworkLayer> locate_network_layer(int dlt, std::span<const std::uint8_t> f) {
    switch (dlt) {
        case DLT_EN10MB:
            return ethernet(f);
        case DLT_LINUX_SLL:  // 16-byte header, protocol type in its last two bytes
            if (f.size() < 16) return std::nullopt;
            return by_ethertype(be16(&f[14]), 16);
        case DLT_LINUX_SLL2:  // 20-byte header, protocol type in its first two bytes
            if (f.size() < 20) return std::nullopt;
            return by_ethertype(be16(&f[0]), 20);
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6:
            return by_version_nibble(f, 0);
        case DLT_NULL:
        case DLT_LOOP:
            return loopback(f);
        default:
            return std::nullopt;
    }
}

}  // namespace ftpsim::capture
