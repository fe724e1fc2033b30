// Shifts every timestamp of a finished capture so that its first packet carries the scenario's
// start_time (docs/scenario-format.md): a run on real interfaces is stamped with the wall clock,
// a scenario's pcap with the time the scenario says, so the same scenario gives the same times.
// The gaps between packets are the measured ones.
#pragma once

#include <cstdint>
#include <string>

namespace ftpsim::sim::run {

// Writes `to` from `from` retimed, through golden::AtomicFile: `to` appears whole or not at all,
// and `from` is left as it was. `to` may be `from` (rewritten in place). Throws
// std::runtime_error naming the file.
void retime_capture(const std::string& from, const std::string& to, std::int64_t start_seconds,
                    std::uint32_t start_nanos);

}  // namespace ftpsim::sim::run
