#include "sim/config/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "sim/config/config_values.hpp"
#include "sim/config/server_config_yaml.hpp"
#include "sim/config/suggest.hpp"

namespace ftpsim::sim::config {

namespace {

const char* type_name(YAML::NodeType::value t) {
    switch (t) {
        case YAML::NodeType::Map: return "a mapping (key: value)";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return "a single value";
        case YAML::NodeType::Null: return "empty";
        default: return "missing";
    }
}

}  // namespace

void YamlReader::fail_at(const YAML::Mark& mark, const std::string& key, const std::string& message) const {
    std::string where = file_;
    if (!mark.is_null()) where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    const std::string full = prefix_.empty() ? key : key.empty() ? prefix_ : prefix_ + "." + key;
    throw ConfigError(where + ": " + (full.empty() ? "" : full + ": ") + message);
}

void YamlReader::fail(const YAML::Node& node, const std::string& key, const std::string& message) const {
    fail_at(node.IsDefined() ? node.Mark() : YAML::Mark::null_mark(), key, message);
}

void YamlReader::expect(const YAML::Node& n, YAML::NodeType::value type, const std::string& key) const {
    if (n.Type() != type)
        fail(n, key, std::string("expected ") + type_name(type) + ", found " + type_name(n.Type()));
}

std::vector<std::pair<YAML::Node, YAML::Node>> YamlReader::entries(const YAML::Node& map, const std::string& key,
                                                                   const std::vector<std::string>& allowed) const {
    std::vector<std::pair<YAML::Node, YAML::Node>> out;
    if (map.IsNull()) return out;  // "key:" with nothing after it: an empty mapping
    expect(map, YAML::NodeType::Map, key);
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        // Copies: `it->first` lives in a temporary that the iterator's -> returns.
        YAML::Node k = it->first;
        YAML::Node v = it->second;
        if (!k.IsScalar()) fail(k, key, "a key must be a single value");
        const std::string& name = k.Scalar();
        std::string where = key_path(key, name);
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::string hint = did_you_mean(name, allowed);
            if (hint.empty()) {
                hint = " (valid keys:";
                for (const auto& a : allowed) hint += " " + a;
                hint += ")";
            }
            fail(k, key, "unknown key '" + name + "'" + hint);
        }
        if (!seen.insert(name).second) fail(k, where, "given twice");
        out.emplace_back(k, v);
    }
    return out;
}

std::string YamlReader::text(const YAML::Node& n, const std::string& key) const {
    if (n.IsNull()) fail(n, key, "a value is needed");
    expect(n, YAML::NodeType::Scalar, key);
    return n.Scalar();
}

bool YamlReader::boolean(const YAML::Node& n, const std::string& key) const {
    std::string v = text(n, key);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    if (v == "true" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "no" || v == "off") return false;
    fail(n, key, "expected true or false, found '" + n.Scalar() + "'");
}

std::uint64_t YamlReader::uint(const YAML::Node& n, const std::string& key, std::uint64_t lo,
                               std::uint64_t hi) const {
    std::string error;
    std::uint64_t v = 0;
    if (!parse_uint(text(n, key), lo, hi, v, error)) fail(n, key, error);
    return v;
}

ThinkTime read_think_time_ms(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    constexpr std::uint64_t kMaxMs = 3600 * 1000;  // an hour between two commands is a typo
    if (node.IsSequence()) {
        if (node.size() != 2) r.fail(node, key, "expected a number of milliseconds or [MIN, MAX]");
        const std::uint64_t lo = r.uint(node[0], key + "[0]", 0, kMaxMs);
        const std::uint64_t hi = r.uint(node[1], key + "[1]", 0, kMaxMs);
        if (hi < lo) r.fail(node, key, "[MIN, MAX]: MAX (" + std::to_string(hi) + ") is below MIN (" + std::to_string(lo) + ")");
        return {static_cast<Nanos>(lo) * kMillisecond, static_cast<Nanos>(hi) * kMillisecond};
    }
    const auto ms = static_cast<Nanos>(r.uint(node, key, 0, kMaxMs)) * kMillisecond;
    return {ms, ms};
}

}  // namespace ftpsim::sim::config

namespace ftpsim::sim::config {

void claim_path(const YamlReader& r, TreePlaces& places, const std::string& path, bool directory,
                const YAML::Node& node, const std::string& key) {
    auto line_of = [](const YAML::Mark& m) { return m.is_null() ? std::string("?") : std::to_string(m.line + 1); };
    if (auto it = places.paths.find(path); it != places.paths.end()) {
        if (it->second.directory && directory) return;  // the same directory twice is harmless
        r.fail(node, key, "'" + path + "' is already given at line " + line_of(it->second.mark));
    }
    // Every ancestor must be a directory ...
    for (auto slash = path.rfind('/'); slash != std::string::npos && slash > 0; slash = path.rfind('/', slash - 1)) {
        auto it = places.paths.find(path.substr(0, slash));
        if (it != places.paths.end() && !it->second.directory)
            r.fail(node, key, "'" + it->first + "' (line " + line_of(it->second.mark) + ") is a file, so it cannot hold '" + path + "'");
    }
    // ... and a file cannot have descendants already given.
    if (!directory) {
        auto below = places.paths.lower_bound(path + "/");
        if (below != places.paths.end() && below->first.compare(0, path.size() + 1, path + "/") == 0)
            r.fail(node, key, "'" + path + "' is a directory of '" + below->first + "' (line " + line_of(below->second.mark) + ")");
    }
    places.paths[path] = {node.Mark(), directory};
}

}  // namespace ftpsim::sim::config
