// The readers of each section of a scenario file, internal to the loader (scenario_loader.cpp
// calls them in dependency order: topology first, since the other sections name its hosts).
// Errors go through config::YamlReader, so they read as the server configuration's do.
#pragma once

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>
#include <vector>

#include "sim/config/yaml_reader.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::scenario {

using config::YamlReader;

// topology_yaml.cpp
Topology read_topology(const YamlReader& r, const YAML::Node& node);
// A name given to a host, the router or a capture point: letters, digits, '-', '_', '.'.
std::string read_name(const YamlReader& r, const YAML::Node& node, const std::string& key);
// A list of ADDRESS/PREFIX, each used once in the whole topology (`taken`).
std::vector<Cidr> read_addresses(const YamlReader& r, const YAML::Node& node, const std::string& key,
                                 std::set<net::IpAddress>& taken);

// router_yaml.cpp: one router and its `nat` section; `key` is where it is written.
Router read_router(const YamlReader& r, const YAML::Node& node, const std::string& key, std::set<net::IpAddress>& taken);

// A topology host (not a router) by name, or an error at `node` listing the nearest.
void check_host_ref(const YamlReader& r, const Topology& topo, const YAML::Node& node, const std::string& key);

// server_section.cpp: host and port here, every other key by the server-config loader.
ServerSection read_server(const YamlReader& r, const YAML::Node& node, const Topology& topo,
                          const std::string& file);

// client_yaml.cpp
ClientSection read_client(const YamlReader& r, const YAML::Node& node, const Topology& topo);
DataMode read_mode(const YamlReader& r, const YAML::Node& node, const std::string& key);

// faults_expect_yaml.cpp
std::vector<TcpFault> read_tcp_faults(const YamlReader& r, const YAML::Node& node, const ClientSection& client);
Expect read_expect(const YamlReader& r, const YAML::Node& node);
// nat_expect_yaml.cpp: `expect.nat`.
NatExpect read_nat_expect(const YamlReader& r, const YAML::Node& node);

// impairments_yaml.cpp
std::vector<Impairment> read_impairments(const YamlReader& r, const YAML::Node& node);

// scalars.cpp: numbers and times the server loader has no reader for.
double read_number(const YamlReader& r, const YAML::Node& node, const std::string& key, double lo, double hi);
// "2019-12-02T12:00:00Z", "2019-12-02T12:00:00.25+01:00" (RFC 3339) or whole epoch seconds.
void read_time(const YamlReader& r, const YAML::Node& node, const std::string& key, std::int64_t& seconds,
               std::uint32_t& nanos);
// "192.0.2.10/24", "2001:db8::1/64".
Cidr read_cidr(const YamlReader& r, const YAML::Node& node, const std::string& key);
std::array<std::uint8_t, 6> read_mac(const YamlReader& r, const YAML::Node& node, const std::string& key);
// A list node (or an error); "key[i]" names its items.
const YAML::Node& read_list(const YamlReader& r, const YAML::Node& node, const std::string& key);
inline std::string item_key(const std::string& key, std::size_t i) { return key + "[" + std::to_string(i) + "]"; }

}  // namespace ftpsim::sim::scenario
