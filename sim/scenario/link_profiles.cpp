#include "sim/scenario/link_profiles.hpp"

namespace ftpsim::sim::scenario {

namespace {

// Round numbers in the range of measured networks: a switched gigabit LAN answers a ping in
// 0.2-0.5 ms; 802.11g Wi-Fi in a few ms with ms of variation (contention, retries); ADSL adds
// 10-20 ms of interleaving each way at single-digit-to-16 Mbit/s; a continental Internet path
// is 30-50 ms each way. Asymmetric DSL is written as its downstream rate.
constexpr LinkProfile kProfiles[] = {
    {"lan", 0.15, 0.05, 1000, "switched Ethernet: 0.3 ms RTT, 1 Gbit/s"},
    {"wifi", 2.0, 1.5, 54, "802.11g Wi-Fi: about 4 ms RTT, jittery, 54 Mbit/s"},
    {"dsl", 15.0, 2.0, 16, "ADSL: about 30 ms RTT, 16 Mbit/s"},
    {"wan", 35.0, 4.0, 100, "an Internet path: about 70 ms RTT, 100 Mbit/s"},
};

}  // namespace

const LinkProfile* find_link_profile(const std::string& name) {
    for (const LinkProfile& p : kProfiles)
        if (name == p.name) return &p;
    return nullptr;
}

std::vector<std::string> link_profile_names() {
    std::vector<std::string> names;
    for (const LinkProfile& p : kProfiles) names.emplace_back(p.name);
    return names;
}

}  // namespace ftpsim::sim::scenario
