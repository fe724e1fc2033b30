// A second receiver of the frames the virtual network captures, besides (or instead of) the pcap
// file: code that analyses the traffic in memory gets every frame as it goes onto the wire, so
// it need not write the capture and read it back.
#pragma once

#include <cstdint>
#include <span>

namespace ftpsim::sim::vnet {

struct Segment;

class FrameTap {
public:
    virtual ~FrameTap() = default;
    // One Ethernet frame (LINKTYPE_ETHERNET, as in the pcap file), in capture order. `time_ns`:
    // nanoseconds since the Unix epoch; the bytes are valid during the call only.
    virtual void on_frame(std::int64_t time_ns, std::span<const std::uint8_t> frame) = 0;
    // The segment that frame carries, right after on_frame: what the simulator knows of it
    // beyond its bytes (its connection number and SegmentNote bits), for ground truth.
    virtual void on_segment(std::int64_t /*time_ns*/, const Segment& /*s*/) {}
};

}  // namespace ftpsim::sim::vnet
