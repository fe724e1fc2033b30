// Named link profiles: what a capture taken on a kind of network looks like in its timing.
// A profile gives a link its one-way latency, jitter and bandwidth; a key given beside it
// (latency_ms, jitter_ms, bandwidth_mbps) overrides that one value.
#pragma once

#include <string>
#include <vector>

namespace ftpsim::sim::scenario {

struct LinkProfile {
    const char* name;
    double latency_ms;      // one way
    double jitter_ms;       // latency varies within ± this
    double bandwidth_mbps;
    const char* what;       // for documentation and error messages
};

// nullptr for an unknown name.
const LinkProfile* find_link_profile(const std::string& name);
std::vector<std::string> link_profile_names();

}  // namespace ftpsim::sim::scenario
