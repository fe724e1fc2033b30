// Reading YAML nodes with errors that say where: "FILE:LINE:COL: key: message". Internal to
// the configuration loader (server_config_yaml*.cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/engine/think_time.hpp"

namespace ftpsim::sim::config {

class YamlReader {
public:
    // `key_prefix`: the keys' place in an enclosing document ("server" for a scenario's server
    // section), put before every key in messages.
    explicit YamlReader(std::string file, std::string key_prefix = "")
        : file_(std::move(file)), prefix_(std::move(key_prefix)) {}

    // Throws ConfigError "FILE:LINE:COL: KEY: message" at `node` (its key's place when the node
    // carries no position).
    [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& message) const;
    [[noreturn]] void fail_at(const YAML::Mark& mark, const std::string& key, const std::string& message) const;

    // The entries of a mapping in document order, each key a plain scalar; rejects a key given
    // twice, and any key not in `allowed` (with the nearest valid key suggested). `allowed`
    // empty: any key.
    std::vector<std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map, const std::string& key,
                                                           const std::vector<std::string>& allowed) const;
    std::string text(const YAML::Node& n, const std::string& key) const;  // any scalar
    bool boolean(const YAML::Node& n, const std::string& key) const;
    std::uint64_t uint(const YAML::Node& n, const std::string& key, std::uint64_t lo, std::uint64_t hi) const;
    void expect(const YAML::Node& n, YAML::NodeType::value type, const std::string& key) const;

private:
    std::string file_;
    std::string prefix_;
};

// A think time in milliseconds: a number (always that long) or [MIN, MAX] (drawn from the seed).
ThinkTime read_think_time_ms(const YamlReader& r, const YAML::Node& node, const std::string& key);

// Where each path of the file tree was given, to reject a path given twice or a file that
// would have to be a directory too ("/a" a file and "/a/b" another file).
struct TreePlaces {
    struct Place {
        YAML::Mark mark;
        bool directory = false;
    };
    std::map<std::string, Place> paths;
};
void claim_path(const YamlReader& r, TreePlaces& places, const std::string& path, bool directory,
                const YAML::Node& node, const std::string& key);

// "key" or "parent.key"; "list[3]".
inline std::string key_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

}  // namespace ftpsim::sim::config
