// The `impairments` section: segment-level impairments for the virtual network, each naming one
// segment by connection and number, as a packet table shows them.
#include <cctype>

#include "sim/config/suggest.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

struct KindSpec {
    const char* name;
    Impairment::Kind kind;
    const char* extra_key;  // the key the kind needs besides the segment's, or nullptr
};

constexpr KindSpec kKinds[] = {
    {"drop", Impairment::Kind::kDrop, nullptr},       {"duplicate", Impairment::Kind::kDuplicate, nullptr},
    {"split", Impairment::Kind::kSplit, "at_byte"},   {"reorder", Impairment::Kind::kReorder, nullptr},
    {"delay", Impairment::Kind::kDelay, "ms"},
};

// Seconds of virtual time a delay may last: past the client's reply timeout nothing is learnt.
constexpr std::uint64_t kMaxDelayMs = 600'000;

Impairment read_one(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    r.expect(node, YAML::NodeType::Map, key);
    const YAML::Node kind_node = node["kind"];
    if (!kind_node.IsDefined()) r.fail(node, key, "'kind' is missing (drop, duplicate, split, reorder or delay)");
    const std::string kind = r.text(kind_node, key + ".kind");
    const KindSpec* spec = nullptr;
    std::vector<std::string> names;
    for (const auto& k : kKinds) {
        if (kind == k.name) spec = &k;
        names.emplace_back(k.name);
    }
    if (!spec) r.fail(kind_node, key + ".kind", "unknown impairment '" + kind + "'" + config::did_you_mean(kind, names));
    Impairment imp;
    imp.kind = spec->kind;
    std::vector<std::string> allowed = {"kind", "connection", "segment", "any_segment"};
    if (spec->extra_key) allowed.emplace_back(spec->extra_key);
    bool extra = false;
    for (const auto& [k, v] : r.entries(node, key, allowed)) {
        const std::string& n = k.Scalar();
        const std::string where = config::key_path(key, n);
        if (n == "connection") {
            // "control" for the first connection; data connections by number in SYN order.
            imp.connection = r.text(v, where) == "control"
                                 ? 1
                                 : static_cast<std::uint32_t>(r.uint(v, where, 1, 1'000'000));
        } else if (n == "segment") {
            imp.segment = static_cast<std::uint32_t>(r.uint(v, where, 1, 100'000'000));
        } else if (n == "any_segment") {
            imp.any_segment = static_cast<std::uint32_t>(r.uint(v, where, 1, 100'000'000));
        } else if (n == "at_byte") {
            imp.at_byte = static_cast<std::uint32_t>(r.uint(v, where, 1, 65535));
            extra = true;
        } else if (n == "ms") {
            imp.ms = r.uint(v, where, 1, kMaxDelayMs);
            extra = true;
        }
    }
    if ((imp.segment == 0) == (imp.any_segment == 0))
        r.fail(node, key, "expected exactly one of 'segment' (the Nth carrying payload) and 'any_segment'");
    if (imp.kind == Impairment::Kind::kSplit && imp.any_segment != 0)
        r.fail(node, key, "split needs 'segment': only a segment with payload can be split");
    if (spec->extra_key && !extra) r.fail(node, key, std::string("'") + spec->extra_key + "' is missing");
    return imp;
}

}  // namespace

std::vector<Impairment> read_impairments(const YamlReader& r, const YAML::Node& node) {
    std::vector<Impairment> out;
    const auto& list = read_list(r, node, "impairments");
    for (std::size_t i = 0; i < list.size(); ++i) out.push_back(read_one(r, list[i], item_key("impairments", i)));
    return out;
}

}  // namespace ftpsim::sim::scenario
