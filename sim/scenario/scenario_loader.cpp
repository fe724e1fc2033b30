// The top level of a scenario file: reads the file, parses the YAML, and calls each section's
// reader in dependency order (topology, then server and client which name its hosts, then the
// faults which name client steps), whatever order the file gives them in.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "sim/config/suggest.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

const std::vector<std::string> kTopKeys = {"name", "description", "seed", "start_time", "topology",
                                           "server", "client", "faults", "impairments", "expect"};

// The KEY of a mistake that is in no value: the top level's shape, and YAML syntax.
const std::string kDocumentKey = "document";
const std::string kSyntaxKey = "YAML syntax";

// A message quotes the file's own text (keys, values, names): a control byte in it would break
// the one-line form or a terminal, so each is shown as an escape (\n, \t, \r, \xHH).
std::string escape_control_bytes(const std::string& message) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    for (const char ch : message) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != 0x7f) {
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\r') {
            out += "\\r";
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        }
    }
    return out;
}

constexpr std::uintmax_t kMaxScenarioBytes = 16 << 20;  // as the server configuration's limit

// Unset: the section is absent (a default YAML::Node is a defined null, so optional says it).
struct Sections {
    std::optional<YAML::Node> topology, server, client, faults, impairments, expect;
    YAML::Mark server_key;
};

// Whether links (through the router, or any host) join `a` to `b`: a scenario whose client
// cannot reach its server would only time out in the network engine.
bool connected(const Topology& t, const std::string& a, const std::string& b) {
    std::set<std::string> seen = {a};
    std::vector<std::string> todo = {a};
    while (!todo.empty()) {
        const std::string at = todo.back();
        todo.pop_back();
        if (at == b) return true;
        for (const auto& l : t.links) {
            const std::string* next = l.a == at ? &l.b : l.b == at ? &l.a : nullptr;
            if (next && seen.insert(*next).second) todo.push_back(*next);
        }
    }
    return false;
}

Scenario read_root(const YamlReader& r, const YAML::Node& root, const std::string& file) {
    Scenario s;
    s.file = file;
    s.name = std::filesystem::path(file).stem().string();
    Sections sec;
    // The sections' own names are their KEY: checked here so that an unknown one reads
    // "FILE:LINE:COLUMN: KEY: ..." as every other mistake does.
    for (auto it = root.begin(); it != root.end(); ++it) {
        const YAML::Node k = it->first;
        if (!k.IsScalar()) r.fail(k, kDocumentKey, "a section's name must be a single value");
        if (std::find(kTopKeys.begin(), kTopKeys.end(), k.Scalar()) != kTopKeys.end()) continue;
        std::string hint = config::did_you_mean(k.Scalar(), kTopKeys);
        if (hint.empty()) {
            hint = " (valid keys:";
            for (const auto& t : kTopKeys) hint += " " + t;
            hint += ")";
        }
        r.fail(k, k.Scalar(), "unknown key '" + k.Scalar() + "'" + hint);
    }
    for (const auto& [k, v] : r.entries(root, "", kTopKeys)) {
        const std::string& n = k.Scalar();
        if (n == "name") s.name = read_name(r, v, n);
        else if (n == "description") s.description = r.text(v, n);
        else if (n == "seed") s.seed = r.uint(v, n, 0, UINT64_MAX);
        else if (n == "start_time") read_time(r, v, n, s.start_time, s.start_time_ns);
        else if (n == "topology") sec.topology = v;
        else if (n == "server") sec.server = v, sec.server_key = k.Mark();
        else if (n == "client") sec.client = v;
        else if (n == "faults") sec.faults = v;
        else if (n == "impairments") sec.impairments = v;
        else sec.expect = v;
    }
    if (!sec.topology) r.fail(root, "topology", "'topology' is missing: a scenario needs topology, server and client");
    s.topology = read_topology(r, *sec.topology);
    if (s.topology.external_server && sec.server)
        r.fail_at(sec.server_key, "server", "not allowed with topology.external_server: the client talks to that server");
    if (!s.topology.external_server && !sec.server)
        r.fail(root, "server", "'server' is missing (or give topology.external_server to use another server)");
    if (sec.server) s.server = read_server(r, *sec.server, s.topology, file);
    if (!sec.client) r.fail(root, "client", "'client' is missing: a scenario needs topology, server and client");
    s.client = read_client(r, *sec.client, s.topology);
    if (s.server && !connected(s.topology, s.client.host, s.server->host))
        r.fail((*sec.client)["host"], "client.host", "'" + s.client.host + "' has no path of links to the server's host '" +
                                                         s.server->host + "'");
    if (sec.faults) s.faults = read_tcp_faults(r, *sec.faults, s.client);
    if (sec.impairments) s.impairments = read_impairments(r, *sec.impairments);
    if (sec.expect) {
        s.expect = read_expect(r, *sec.expect);
        for (std::size_t i = 0; i < s.expect.counts.size(); ++i) {
            const auto& point = s.expect.counts[i].point;
            if (!point) continue;
            std::vector<std::string> names;
            for (const auto& c : s.topology.captures) names.push_back(c.name);
            if (std::find(names.begin(), names.end(), *point) == names.end())
                r.fail((*sec.expect)["counts"][i]["point"], "expect.counts[" + std::to_string(i) + "].point",
                       "no capture point named '" + *point + "'" + config::did_you_mean(*point, names));
        }
        if (s.expect.nat) {
            for (const std::string* point : {&s.expect.nat->client_side, &s.expect.nat->server_side}) {
                std::vector<std::string> names;
                for (const auto& c : s.topology.captures) names.push_back(c.name);
                if (std::find(names.begin(), names.end(), *point) == names.end())
                    r.fail((*sec.expect)["nat"], "expect.nat", "no capture point named '" + *point + "'" +
                                                                   config::did_you_mean(*point, names));
            }
        }
        // One golden path for several capture points would have them overwrite each other.
        if (s.expect.golden && s.expect.golden->find("{point}") == std::string::npos && s.topology.captures.size() > 1)
            r.fail((*sec.expect)["golden"], "expect.golden", "there are several capture points: put {point} in the path");
    }
    // Think times draw from streams of their own, derived from the scenario's seed.
    s.client.config.think_seed = s.seed ^ 0xc1e47ULL;
    if (s.server) s.server->loaded.config.think_seed = s.seed ^ 0x5e7e7ULL;
    return s;
}

}  // namespace

std::string virtual_network_only(const Scenario& s) {
    if (!s.impairments.empty()) return "impairments act on single segments";
    for (const auto& r : s.topology.routers)
        if (r.nat && r.nat->type == Nat::Type::kNat64)
            return std::string("router '") + r.name + "' is a NAT64 (RFC 6146), which Linux does not have in the kernel";
    for (const auto& r : s.topology.routers)
        if (r.nat && !r.nat->netfilter)
            return std::string("router '") + r.name + "' runs a simulated ALG (alg: " + Nat::alg_name(r.nat->alg) + ")";
    // Linux's nf_conntrack_ftp has these fixed (300 s, one expectation) and always pairs a pool.
    for (const auto& r : s.topology.routers)
        if (r.nat && (!r.nat->paired || r.nat->expect_timeout_ms != 300000 || r.nat->max_expected != 1))
            return std::string("router '") + r.name + "' sets paired, expect_timeout_ms or max_expected, which Linux has fixed";
    for (const auto& l : s.topology.links)
        if (l.loss > 0 || l.reorder > 0) return "link loss or reorder (" + l.a + " - " + l.b + ")";
    return "";
}

std::string Scenario::golden_path(const std::string& point, const std::string& golden_dir) const {
    if (!expect.golden) return (golden_dir.empty() ? std::string("golden") : golden_dir) + "/" + name + "." + point + ".golden";
    std::string p = *expect.golden;
    if (auto at = p.find("{point}"); at != std::string::npos) p.replace(at, 7, point);
    if (golden_dir.empty()) return p;
    const auto slash = p.rfind('/');
    return golden_dir + "/" + (slash == std::string::npos ? p : p.substr(slash + 1));
}

Scenario load_scenario_text(const std::string& text, const std::string& file) {
    YamlReader r(file);
    try {
        YAML::Node root;
        try {
            root = YAML::Load(text);
        } catch (const YAML::Exception& e) {
            r.fail_at(e.mark, kSyntaxKey, e.msg);
        }
        // An empty file (or one of comments only) has no node to point at: its start.
        if (!root.IsDefined() || root.IsNull())
            r.fail_at(YAML::Mark(), "topology", "the file is empty: a scenario needs topology, server and client");
        if (!root.IsMap())
            r.fail(root, kDocumentKey, "expected a mapping of sections (topology:, server:, client: ...) at the top level");
        return read_root(r, root, file);
    } catch (const config::ConfigError& e) {  // ours, YamlReader's, and the server loader's
        throw ScenarioError(escape_control_bytes(e.what()));
    } catch (const YAML::Exception& e) {  // yaml-cpp's own (should not happen: every access is checked)
        throw ScenarioError(escape_control_bytes(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                 std::to_string(e.mark.column + 1) + ": " + kDocumentKey + ": " + e.msg));
    }
}

Scenario load_scenario(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw ScenarioError(path + ": is a directory, not a file");
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxScenarioBytes) throw ScenarioError(path + ": too large for a scenario file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScenarioError(path + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ScenarioError(path + ": cannot read the file");
    return load_scenario_text(text.str(), path);
}

}  // namespace ftpsim::sim::scenario
