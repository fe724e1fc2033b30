// The `ftpsim serve` configuration loader on arbitrary YAML: a configuration or a ConfigError,
// nothing else.
#include <cstdint>
#include <string>

#include "sim/config/server_config_yaml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)ftpsim::sim::config::load_server_config_text(text, "fuzz.yaml");
    } catch (const ftpsim::sim::config::ConfigError&) {
        // The documented outcome of a bad file.
    }
    return 0;
}
