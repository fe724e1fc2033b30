// Whether a device's sequence adjustment is right on one control connection. When an ALG
// rewrites a PORT or 227 to a different length, every later segment of that direction must be
// shifted by the difference, and the peer's acknowledgements and SACK blocks shifted back
// (Linux: nf_conntrack_seqadj.c). Without it the receiver sees bytes it already has or a gap,
// and the sender sees ACKs for data it never sent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "natcheck/side_record.hpp"

namespace ftpsim::natcheck {

struct SeqViolation {
    std::uint64_t inside_frame = 0, outside_frame = 0;
    std::string what;  // "client->server seq 120 outside, expected 123 (inside 120 shifted by +3)"
};

// Compares the two sides' segments of one control connection. Segments carrying new data are
// paired in order per direction (a retransmission is not new data), so a segment the device
// dropped and the sender retransmitted still pairs; every outside sequence number must be the
// inside one plus the length changes of the earlier segments. Acknowledging segments are paired
// in order per direction too (when one side has more, only those advancing the ACK are), and
// each outside ACK and SACK edge must be the inside one mapped through the same changes.
// At most `limit` violations are returned, in order.
std::vector<SeqViolation> check_seq_continuity(const ControlRecord& inside, const ControlRecord& outside,
                                               std::size_t limit = 64);

}  // namespace ftpsim::natcheck
