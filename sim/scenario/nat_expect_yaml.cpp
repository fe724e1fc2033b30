// `expect.nat`: which two capture points nat-check judges, and the verdicts it must give
// (check names are nat-check's own, natcheck::kAllChecks; docs/nat-check.md).
#include <algorithm>

#include "natcheck/nat_check.hpp"
#include "sim/config/suggest.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

std::string read_verdict(const YamlReader& r, const YAML::Node& v, const std::string& key, bool skip_allowed) {
    const std::string t = r.text(v, key);
    std::vector<std::string> ok = {"pass", "fail"};
    if (skip_allowed) ok.push_back("skip");
    if (std::find(ok.begin(), ok.end(), t) == ok.end())
        r.fail(v, key, "unknown verdict '" + t + "' (" + (skip_allowed ? "pass | fail | skip" : "pass | fail") + ")" +
                           config::did_you_mean(t, ok));
    return t;
}

}  // namespace

NatExpect read_nat_expect(const YamlReader& r, const YAML::Node& node) {
    NatExpect e;
    for (const auto& [k, v] : r.entries(node, "expect.nat", {"client_side", "server_side", "verdict", "checks"})) {
        const std::string& n = k.Scalar();
        const std::string where = "expect.nat." + n;
        if (n == "client_side") {
            e.client_side = read_name(r, v, where);
        } else if (n == "server_side") {
            e.server_side = read_name(r, v, where);
        } else if (n == "verdict") {
            e.verdict = read_verdict(r, v, where, false);
        } else {
            std::vector<std::string> names(std::begin(natcheck::kAllChecks), std::end(natcheck::kAllChecks));
            if (!v.IsMap()) r.fail(v, where, "expected a map of check: pass | fail | skip");
            for (const auto& entry : v) {
                const std::string check = entry.first.Scalar();
                const std::string key = where + "." + check;
                if (std::find(names.begin(), names.end(), check) == names.end())
                    r.fail(entry.first, key, "unknown nat-check check '" + check + "'" + config::did_you_mean(check, names));
                e.checks.emplace_back(check, read_verdict(r, entry.second, key, true));
            }
        }
    }
    if (e.client_side == e.server_side) r.fail(node, "expect.nat", "client_side and server_side name the same capture point");
    return e;
}

}  // namespace ftpsim::sim::scenario
