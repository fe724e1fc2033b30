// One captured frame as the analyzer takes it: from a capture file (CaptureReader) or handed over
// in memory by whoever produced it (the virtual network's tap, tests).
#pragma once

#include <cstdint>
#include <span>

#include "tcp/segment.hpp"

namespace ftpsim::capture {

// Link-layer header types (LINKTYPE_* of the pcap format) that writers in this project use.
inline constexpr int kLinkTypeEthernet = 1;

struct RawFrame {
    int link_type = kLinkTypeEthernet;  // LINKTYPE_* / DLT_* of the frame's first header
    std::uint64_t number = 0;           // 1-based
    tcp::TimeNs time = 0;
    std::uint32_t wire_length = 0;        // length on the wire (pcap "len")
    std::span<const std::uint8_t> bytes;  // what was captured (pcap "caplen" bytes)
};

}  // namespace ftpsim::capture
