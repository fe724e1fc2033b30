// The `faults:` list of a server configuration: which command, which occurrence, what happens.
#include <algorithm>
#include <cctype>

#include "sim/config/server_config_yaml.hpp"
#include "sim/config/suggest.hpp"
#include "sim/config/yaml_reader.hpp"

namespace ftpsim::sim::config {

namespace {

struct KindInfo {
    const char* name;
    Fault::Kind kind;
    std::vector<std::string> fields;  // besides verb, occurrence, kind
};

const std::vector<KindInfo>& kinds() {
    static const std::vector<KindInfo> k = {
        {"reply", Fault::Kind::kReply, {"code", "text"}},
        {"delay", Fault::Kind::kDelay, {"delay_ms"}},
        {"close", Fault::Kind::kClose, {}},
        {"short_transfer", Fault::Kind::kShortTransfer, {"bytes"}},
        {"refuse_data", Fault::Kind::kRefuseData, {}},
        {"no_data_connection", Fault::Kind::kNoDataConnection, {}},
        {"reset_data", Fault::Kind::kResetData, {"bytes"}},
    };
    return k;
}

const std::vector<std::string> kFaultKeys = {"verb", "occurrence", "kind", "code", "text", "delay_ms", "bytes"};

Fault read_fault(const YamlReader& r, const YAML::Node& node, const std::string& where) {
    auto entries = r.entries(node, where, kFaultKeys);
    auto find = [&](const std::string& key) -> const YAML::Node* {
        for (const auto& e : entries)
            if (e.first.Scalar() == key) return &e.second;
        return nullptr;
    };
    Fault f;
    const YAML::Node* verb = find("verb");
    const YAML::Node* kind = find("kind");
    if (!verb) r.fail(node, where, "'verb' is required (a command such as RETR, or CONNECT for the greeting)");
    if (!kind) r.fail(node, where, "'kind' is required");

    f.verb = r.text(*verb, key_path(where, "verb"));
    std::transform(f.verb.begin(), f.verb.end(), f.verb.begin(), [](unsigned char c) { return std::toupper(c); });
    if (f.verb.empty() || f.verb.size() > 8 ||
        !std::all_of(f.verb.begin(), f.verb.end(), [](unsigned char c) { return std::isupper(c); }))
        r.fail(*verb, key_path(where, "verb"), "'" + verb->Scalar() + "' is not a command verb");

    std::string kind_name = r.text(*kind, key_path(where, "kind"));
    auto info = std::find_if(kinds().begin(), kinds().end(), [&](const KindInfo& k) { return kind_name == k.name; });
    if (info == kinds().end()) {
        std::vector<std::string> names;
        for (const auto& k : kinds()) names.emplace_back(k.name);
        std::string hint = did_you_mean(kind_name, names);
        if (hint.empty()) hint = " (reply, delay, close, short_transfer, refuse_data, no_data_connection, reset_data)";
        r.fail(*kind, key_path(where, "kind"), "unknown kind '" + kind_name + "'" + hint);
    }
    f.kind = info->kind;

    for (const auto& [k, v] : entries) {
        const std::string& key = k.Scalar();
        std::string path = key_path(where, key);
        if (key == "verb" || key == "kind") continue;
        if (key == "occurrence") {
            f.occurrence = static_cast<std::uint32_t>(r.uint(v, path, 0, 1000000));
            continue;
        }
        if (std::find(info->fields.begin(), info->fields.end(), key) == info->fields.end())
            r.fail(k, path, "does not apply to kind '" + kind_name + "'");
        if (key == "code") f.code = static_cast<int>(r.uint(v, path, 100, 599));
        if (key == "text") f.text = r.text(v, path);
        if (key == "delay_ms") f.delay = static_cast<Nanos>(r.uint(v, path, 0, 3600 * 1000)) * kMillisecond;
        if (key == "bytes") f.bytes = r.uint(v, path, 0, UINT64_MAX);
    }
    if (f.kind == Fault::Kind::kReply && !find("code"))
        r.fail(node, where, "kind 'reply' needs 'code' (the reply code to answer instead)");
    if (f.kind == Fault::Kind::kDelay && !find("delay_ms"))
        r.fail(node, where, "kind 'delay' needs 'delay_ms'");
    while (!f.text.empty() && f.text.back() == '\n') f.text.pop_back();
    return f;
}

}  // namespace

std::vector<Fault> read_faults(const YamlReader& r, const YAML::Node& list) {
    std::vector<Fault> out;
    if (list.IsNull()) return out;
    r.expect(list, YAML::NodeType::Sequence, "faults");
    for (std::size_t i = 0; i < list.size(); ++i)
        out.push_back(read_fault(r, list[i], "faults[" + std::to_string(i) + "]"));
    return out;
}

}  // namespace ftpsim::sim::config
