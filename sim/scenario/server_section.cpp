// The `server` section: `host` and `port` are the scenario's; every other key belongs to the
// server configuration format (docs/server-config.md) and is read by its own loader, on this
// node of the scenario's document, so the two formats cannot drift apart and its messages name
// the scenario file's lines.
#include "sim/config/server_config_yaml.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

ServerSection read_server(const YamlReader& r, const YAML::Node& node, const Topology& topo,
                          const std::string& file) {
    if (node.IsNull()) r.fail(node, "server", "expected the server's settings, at least 'host'");
    ServerSection s;
    try {
        s.loaded = config::load_server_config_node(node, file, "server", {"host", "port"});
    } catch (const config::ConfigError& e) {
        throw ScenarioError(e.what());
    }
    bool hosted = false;
    for (const auto& [k, v] : r.entries(node, "server", {})) {
        if (k.Scalar() == "host") {
            check_host_ref(r, topo, v, "server.host");
            s.host = v.Scalar();
            hosted = true;
        } else if (k.Scalar() == "port") {
            s.port = static_cast<std::uint16_t>(r.uint(v, "server.port", 1, 65535));
        }
    }
    // After the server's own keys: a misspelt "hots" gets its suggestion, not "host is missing".
    if (!hosted) r.fail(node, "server", "'host' is missing (the topology host the server runs on)");
    return s;
}

}  // namespace ftpsim::sim::scenario
