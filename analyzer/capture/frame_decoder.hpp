// Decodes one captured frame down to its TCP segment (with libtins for the IP and TCP headers).
#pragma once

#include <optional>
#include <string>

#include "capture/frame.hpp"
#include "tcp/segment.hpp"

namespace ftpsim::capture {

struct DecodedFrame {
    std::optional<tcp::TcpSegment> tcp;  // payload points into the RawFrame's bytes
    std::string protocol;   // for non-TCP frames: "UDP", "ICMP", "ARP", "IPv4" ...
    std::string source, destination;  // addresses for the packet table (empty if not IP)
    std::string info;       // for non-TCP frames, when described: "Who has 192.168.1.10? Tell ..."
    std::string problem;    // why the frame could not be decoded, for a warning; empty if fine
    bool cut_by_snaplen = false;
};

// Decodes `frame` (after its link-layer header of type frame.link_type). Never throws: malformed frames come back
// with `problem` set. Addresses as text (for the packet table) are made only when `describe`
// is set: formatting them for every packet of a large capture costs more than decoding it.
DecodedFrame decode_frame(const RawFrame& frame, bool describe);

}  // namespace ftpsim::capture
