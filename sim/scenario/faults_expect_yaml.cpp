// The `faults` (TCP-level, for the network engine) and `expect` (what the captures must show)
// sections. Faults name a client step by index or by its `name:`, checked here so that a
// renumbered step list fails loudly.
#include <algorithm>
#include <optional>

#include "sim/config/suggest.hpp"
#include "sim/scenario/scenario_yaml.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::sim::scenario {

namespace {

struct KindSpec {
    const char* name;
    TcpFault::Kind kind;
    std::vector<std::string> keys;  // besides `at` and `kind`
};

const std::vector<KindSpec>& kinds() {
    static const std::vector<KindSpec> k = {
        {"drop_data_syn", TcpFault::Kind::kDropDataSyn, {"count"}},
        {"rst_data_after_bytes", TcpFault::Kind::kRstDataAfterBytes, {"bytes"}},
        {"stall_receiver", TcpFault::Kind::kStallReceiver, {"after_bytes", "for_ms"}},
    };
    return k;
}

std::size_t read_step_ref(const YamlReader& r, const YAML::Node& v, const std::string& key, const ClientSection& c) {
    const std::string t = r.text(v, key);
    if (!t.empty() && std::all_of(t.begin(), t.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
        if (c.steps.empty()) r.fail(v, key, "the client has no steps");
        return static_cast<std::size_t>(r.uint(v, key, 0, c.steps.size() - 1));  // 0: the first step
    }
    std::vector<std::string> names;
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
        if (c.steps[i].name == t) return i;
        if (!c.steps[i].name.empty()) names.push_back(c.steps[i].name);
    }
    r.fail(v, key, "no step named '" + t + "' (name a step with name:, or give its index from 0)" +
                       config::did_you_mean(t, names));
}

TcpFault read_fault(const YamlReader& r, const YAML::Node& node, const std::string& key, const ClientSection& c) {
    // `kind` decides the other keys: read it first.
    r.expect(node, YAML::NodeType::Map, key);
    const YAML::Node kind_node = node["kind"];
    if (!kind_node.IsDefined()) r.fail(node, key, "'kind' is missing");
    const KindSpec* spec = nullptr;
    std::vector<std::string> names;
    const std::string kind = r.text(kind_node, key + ".kind");
    for (const auto& k : kinds()) {
        if (kind == k.name) spec = &k;
        names.emplace_back(k.name);
    }
    if (!spec) r.fail(kind_node, key + ".kind", "unknown fault kind '" + kind + "'" + config::did_you_mean(kind, names));
    TcpFault f;
    f.kind = spec->kind;
    std::vector<std::string> allowed = spec->keys;
    allowed.insert(allowed.end(), {"at", "kind"});
    bool at = false, bytes = false, duration = false;
    for (const auto& [k, v] : r.entries(node, key, allowed)) {
        const std::string& n = k.Scalar();
        const std::string where = config::key_path(key, n);
        if (n == "at") {
            f.step = read_step_ref(r, v, where, c);
            at = true;
        } else if (n == "count") {
            f.count = static_cast<std::uint32_t>(r.uint(v, where, 1, 16));
        } else if (n == "bytes" || n == "after_bytes") {
            f.bytes = r.uint(v, where, 0, UINT64_MAX);
            bytes = true;
        } else if (n == "for_ms") {
            f.for_ms = r.uint(v, where, 1, 7ULL * 24 * 3600 * 1000);
            duration = true;
        }
    }
    if (!at) r.fail(node, key, "'at' (the client step, by index or name) is missing");
    // Every kind acts on a data connection: a fault on a step without one would never fire.
    const Step& target = c.steps[f.step];
    if (target.spec->data == OpData::kNone)
        r.fail(node["at"], key + ".at", "step " + std::to_string(f.step) + " (" + target.spec->step +
                                            ") opens no data connection for a " + spec->name + " fault");
    if (f.kind == TcpFault::Kind::kRstDataAfterBytes && !bytes) r.fail(node, key, "'bytes' is missing");
    if (f.kind == TcpFault::Kind::kStallReceiver && (!bytes || !duration))
        r.fail(node, key, "expected after_bytes and for_ms");
    return f;
}

// Analyzer JSON fields (docs/analyzer-json.md) a count check can match, by event kind.
const std::vector<std::pair<std::string, std::vector<std::string>>>& match_fields() {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> f = {
        {"conn", {"conn", "action", "role", "handshake", "reason"}},
        {"command", {"conn", "verb", "arg"}},
        {"reply", {"conn", "code", "text", "greeting", "to_verb"}},
        {"data", {"conn", "control_conn", "mode", "command", "arg", "direction", "bytes", "sha256", "rest", "completion"}},
        {"tcp", {"conn", "event"}},
        {"anomaly", {"conn", "what"}},
    };
    return f;
}

CountCheck read_count(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    CountCheck c;
    bool counted = false;
    std::optional<YAML::Node> match_node;  // unset: absent
    for (const auto& [k, v] : r.entries(node, key, {"match", "count", "point"})) {
        if (k.Scalar() == "count") {
            c.count = r.uint(v, key + ".count", 0, UINT64_MAX);
            counted = true;
        } else if (k.Scalar() == "point") {
            c.point = read_name(r, v, key + ".point");
        } else {
            match_node = v;
        }
    }
    if (!match_node) r.fail(node, key, "'match' is missing");
    const YAML::Node& match = *match_node;
    if (!counted) r.fail(node, key, "'count' is missing");
    const std::string mkey = key + ".match";
    r.expect(match, YAML::NodeType::Map, mkey);
    const YAML::Node kind_node = match["kind"];
    if (!kind_node.IsDefined()) r.fail(match, mkey, "'kind' is missing (conn, command, reply, data, tcp or anomaly)");
    const std::string kind = r.text(kind_node, mkey + ".kind");
    const std::vector<std::string>* fields = nullptr;
    std::vector<std::string> kinds;
    for (const auto& [k, f] : match_fields()) {
        if (k == kind) fields = &f;
        kinds.push_back(k);
    }
    if (!fields) r.fail(kind_node, mkey + ".kind", "unknown event kind '" + kind + "'" + config::did_you_mean(kind, kinds));
    std::vector<std::string> allowed = *fields;
    allowed.push_back("kind");
    c.match.emplace_back("kind", kind);
    for (const auto& [k, v] : r.entries(match, mkey, allowed))
        if (k.Scalar() != "kind") c.match.emplace_back(k.Scalar(), r.text(v, config::key_path(mkey, k.Scalar())));
    return c;
}

}  // namespace

const char* TcpFault::kind_name(Kind kind) {
    for (const auto& k : kinds())
        if (k.kind == kind) return k.name;
    return "?";
}

std::vector<TcpFault> read_tcp_faults(const YamlReader& r, const YAML::Node& node, const ClientSection& client) {
    std::vector<TcpFault> out;
    const auto& list = read_list(r, node, "faults");
    for (std::size_t i = 0; i < list.size(); ++i) out.push_back(read_fault(r, list[i], item_key("faults", i), client));
    return out;
}

Expect read_expect(const YamlReader& r, const YAML::Node& node) {
    Expect e;
    for (const auto& [k, v] : r.entries(node, "expect", {"golden", "keep_ports", "golden_tcp_events", "counts", "nat"})) {
        const std::string& n = k.Scalar();
        const std::string where = "expect." + n;
        if (n == "golden") {
            e.golden = r.text(v, where);
        } else if (n == "golden_tcp_events") {
            std::vector<std::string> names;
            for (int t = 0; t < tcp::kTcpEventCount; ++t)
                names.emplace_back(tcp::tcp_event_name(static_cast<tcp::TcpEvent>(t)));
            const auto& l = read_list(r, v, where);
            std::vector<std::string> kept;
            for (std::size_t i = 0; i < l.size(); ++i) {
                const std::string name = r.text(l[i], item_key(where, i));
                if (std::find(names.begin(), names.end(), name) == names.end())
                    r.fail(l[i], item_key(where, i), "unknown TCP event '" + name + "'" + config::did_you_mean(name, names));
                kept.push_back(name);
            }
            e.golden_tcp_events = kept;
        } else if (n == "keep_ports") {
            const auto& l = read_list(r, v, where);
            for (std::size_t i = 0; i < l.size(); ++i)
                e.keep_ports.push_back(static_cast<std::uint16_t>(r.uint(l[i], item_key(where, i), 1, 65535)));
        } else if (n == "nat") {
            e.nat = read_nat_expect(r, v);
        } else {
            const auto& l = read_list(r, v, where);
            for (std::size_t i = 0; i < l.size(); ++i) e.counts.push_back(read_count(r, l[i], item_key(where, i)));
        }
    }
    return e;
}

}  // namespace ftpsim::sim::scenario
