// Addresses and transport endpoints as the analyzer sees them on the wire.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

namespace ftpsim::net {

// An IPv4 or IPv6 address in network byte order. IPv4 uses the first 4 bytes.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};
    bool v6 = false;

    static IpAddress v4(std::uint32_t host_order) {
        IpAddress a;
        a.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
        a.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
        a.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
        a.bytes[3] = static_cast<std::uint8_t>(host_order);
        return a;
    }
    static IpAddress from_v4_bytes(const std::uint8_t* p) {
        IpAddress a;
        std::memcpy(a.bytes.data(), p, 4);
        return a;
    }
    static IpAddress from_v6_bytes(const std::uint8_t* p) {
        IpAddress a;
        std::memcpy(a.bytes.data(), p, 16);
        a.v6 = true;
        return a;
    }
    // Parses dotted-quad IPv4 or RFC 4291 text IPv6; returns false on bad text.
    static bool parse(const std::string& text, IpAddress& out);

    std::string str() const;  // 192.168.1.5 or 2001:db8::1 (RFC 5952 form)
    auto operator<=>(const IpAddress&) const = default;
};

struct Endpoint {
    IpAddress addr;
    std::uint16_t port = 0;

    std::string str() const;  // 192.168.1.5:2203 or [2001:db8::1]:2203
    auto operator<=>(const Endpoint&) const = default;
};

struct EndpointHash {
    std::size_t operator()(const Endpoint& e) const noexcept {
        std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: cheap and good enough for a hash table
        for (auto b : e.addr.bytes) h = (h ^ b) * 1099511628211ULL;
        h = (h ^ e.port) * 1099511628211ULL;
        return static_cast<std::size_t>(h ^ (e.addr.v6 ? 0x9e3779b97f4a7c15ULL : 0));
    }
};

}  // namespace ftpsim::net
