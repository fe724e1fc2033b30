// Which control connection of the inside capture is which of the outside capture. Addresses
// cannot tell (the device translates them; DNAT may change the port too), so the pairing reads
// what the device leaves alone: the command/reply sequence with the host-ports cut out, then
// the server port and the time since each capture's first frame.
#pragma once

#include <cstddef>
#include <vector>

#include "natcheck/side_record.hpp"

namespace ftpsim::natcheck {

struct ControlMatch {
    std::size_t inside = 0, outside = 0;  // indexes into SideRecord::controls
};

// Pairs in inside order. Two connections pair when their first lines agree: all of the
// shorter one's first kMinAgreeingLines lines (or all its lines when it has fewer), so two
// sessions of the same server that differ in a user name or a command do not pair; but no
// line after the first PORT/EPRT/227/229 is required to agree, since a faulty device may
// corrupt the stream from the rewrite on.
inline constexpr std::size_t kMinAgreeingLines = 6;
std::vector<ControlMatch> pair_controls(const SideRecord& inside, const SideRecord& outside);

}  // namespace ftpsim::natcheck
