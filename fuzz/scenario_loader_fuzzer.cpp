// The scenario loader on arbitrary YAML (and arbitrary bytes): a scenario or a ScenarioError,
// never a crash, a hang or another exception escaping. The steps of a loaded scenario expand.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>

#include "fuzz_input.hpp"
#include "sim/scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto s = ftpsim::sim::scenario::load_scenario_text(text, "fuzz.yaml");
        (void)ftpsim::sim::scenario::expand_steps(s.client);
        (void)ftpsim::sim::scenario::virtual_network_only(s);
    } catch (const ftpsim::sim::scenario::ScenarioError&) {
        // The documented outcome of a bad file.
    }
    return 0;
}
