// What the FTP driver tells a ground-truth recorder besides the frames themselves: which bytes of
// a control connection are which command or reply line, as the engine that wrote them meant
// them. The recorder turns that and the segments at a capture point into per-frame truth
// (sim/truth, docs/ground-truth.md).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/engine/actions.hpp"

namespace ftpsim::sim::vnet {

class SessionLedger {
public:
    virtual ~SessionLedger() = default;
    // One SendControl (`bytes` and what they are, `messages`) whose first byte is at `offset` of
    // the byte stream the client (`from_client`) or the server writes on control connection
    // `connection` (the network's 1-based connection number).
    virtual void control_sent(std::uint32_t connection, bool from_client, std::uint64_t offset,
                              std::string_view bytes, const std::vector<ControlMessage>& messages) = 0;
};

}  // namespace ftpsim::sim::vnet
