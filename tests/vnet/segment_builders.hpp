// Addresses and TCP segments written inline, for the virtual network's segment-level tests
// (the NAT device, the NAT64).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

#include "net/endpoint.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::vnet::test {

inline net::IpAddress ip(const char* t) {
    net::IpAddress a;
    EXPECT_TRUE(net::IpAddress::parse(t, a)) << t;
    return a;
}

inline Segment seg(net::Endpoint src, net::Endpoint dst, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                   std::string payload = "") {
    Segment s;
    s.src = src;
    s.dst = dst;
    s.seq = seq;
    s.ack = ack;
    s.flags = flags;
    s.payload = std::move(payload);
    return s;
}

}  // namespace ftpsim::sim::vnet::test
