// A router of the topology and its `nat` section: which translation, on which interface, and
// which FTP ALG rewrites the addresses in PORT/EPRT/227/229 (docs/scenario-format.md, `routers`).
#include <algorithm>

#include "sim/config/config_values.hpp"
#include "sim/config/suggest.hpp"
#include "sim/scenario/scenario_yaml.hpp"

namespace ftpsim::sim::scenario {

namespace {

const std::vector<std::string> kRouterKeys = {"name", "addresses", "nat"};
const std::vector<std::string> kNatKeys = {"type", "outside", "to", "address", "ports", "helper",
                                           "alg", "paired", "expect_timeout_ms", "max_expected",
                                           "outbound", "prefix"};

struct AlgName {
    const char* name;
    Nat::Alg alg;
};
constexpr AlgName kAlgs[] = {
    {"correct", Nat::Alg::kCorrect},
    {"none", Nat::Alg::kNone},
    {"linux", Nat::Alg::kLinux},
    {"no_seq_fixup", Nat::Alg::kNoSeqFixup},
    {"first_command_only", Nat::Alg::kFirstCommandOnly},
    {"drop_split_command", Nat::Alg::kDropSplitCommand},
    {"wrong_port", Nat::Alg::kWrongPort},
};

template <typename T>
T pick(const YamlReader& r, const YAML::Node& v, const std::string& key,
       const std::vector<std::pair<std::string, T>>& choices, const std::string& what) {
    const std::string t = r.text(v, key);
    std::vector<std::string> names;
    for (const auto& [n, value] : choices) {
        if (n == t) return value;
        names.push_back(n);
    }
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : " | ") + n;
    r.fail(v, key, "unknown " + what + " '" + t + "' (" + list + ")" + config::did_you_mean(t, names));
}

net::IpAddress read_address(const YamlReader& r, const YAML::Node& v, const std::string& key) {
    net::IpAddress a;
    if (!net::IpAddress::parse(r.text(v, key), a)) r.fail(v, key, "'" + r.text(v, key) + "' is not an IP address");
    return a;
}

// A NAT64 translates to the outside interface's IPv4 address and has no FTP ALG: the failure it
// reproduces is that none exists (RFC 6384 describes one). `alg: none` may say so.
void check_nat64(const YamlReader& r, const YAML::Node& node, const std::string& key, Nat& nat, bool helper, bool alg,
                 const YAML::Node& device_key) {
    if (helper)
        r.fail(device_key, config::key_path(key, "helper"),
               "nat64 is not Linux netfilter (no NAT64 in the kernel): no 'helper'; it has no FTP ALG");
    if (alg && nat.alg != Nat::Alg::kNone)
        r.fail(device_key, config::key_path(key, "alg"), "nat64 has no FTP ALG (RFC 6384 describes one): only 'alg: none'");
    if (!nat.to.empty()) r.fail(node["to"], config::key_path(key, "to"), "nat64 takes the outside interface's IPv4 address: no 'to'");
    if (nat.address) r.fail(node["address"], config::key_path(key, "address"), "'address' belongs to type: dnat only");
    if (!nat.paired) r.fail(node["paired"], config::key_path(key, "paired"), "nat64 has one IPv4 address: no 'paired: false'");
    nat.alg = Nat::Alg::kNone;
    nat.netfilter = false;
}

Nat read_nat(const YamlReader& r, const YAML::Node& node, const std::string& key) {
    Nat nat;
    bool typed = false, helper = false, alg = false, prefixed = false;
    YAML::Node device_key, prefix_key;
    for (const auto& [k, v] : r.entries(node, key, kNatKeys)) {
        const std::string& name = k.Scalar();
        const std::string where = config::key_path(key, name);
        if (name == "type") {
            nat.type = pick<Nat::Type>(r, v, where, {{"masquerade", Nat::Type::kMasquerade}, {"snat", Nat::Type::kSnat},
                                                     {"dnat", Nat::Type::kDnat}, {"nat64", Nat::Type::kNat64}}, "NAT type");
            typed = true;
        } else if (name == "outside") {
            nat.outside = read_name(r, v, where);
        } else if (name == "to") {
            if (v.IsSequence()) {
                const auto& list = read_list(r, v, where);
                for (std::size_t i = 0; i < list.size(); ++i) nat.to.push_back(read_address(r, list[i], item_key(where, i)));
            } else {
                nat.to.push_back(read_address(r, v, where));
            }
        } else if (name == "address") {
            nat.address = read_address(r, v, where);
        } else if (name == "ports") {
            nat.ports.clear();
            const auto& list = read_list(r, v, where);
            for (std::size_t i = 0; i < list.size(); ++i)
                nat.ports.push_back(static_cast<std::uint16_t>(r.uint(list[i], item_key(where, i), 1, 65535)));
            // nf_conntrack_ftp takes at most 8 ports (its `ports=` module parameter).
            if (nat.ports.empty() || nat.ports.size() > 8) r.fail(v, where, "1 to 8 control ports");
        } else if (name == "helper") {
            // ftp_match: the mistake of firewalld#453, `ct helper "ftp"` written as a match
            // where `ct helper set "ftp"` was meant: the helper is never attached.
            const std::string h = r.text(v, where);
            const std::vector<std::string> helpers = {"ftp", "none", "ftp_match"};
            if (std::find(helpers.begin(), helpers.end(), h) == helpers.end())
                r.fail(v, where, "unknown helper '" + h + "' (ftp | none | ftp_match)" + config::did_you_mean(h, helpers));
            nat.netfilter = true;
            nat.alg = h == "ftp" ? Nat::Alg::kLinux : Nat::Alg::kNone;
            nat.helper_as_match = h == "ftp_match";
            helper = true;
            device_key = k;
        } else if (name == "alg") {
            std::vector<std::pair<std::string, Nat::Alg>> choices;
            for (const auto& a : kAlgs) choices.emplace_back(a.name, a.alg);
            nat.alg = pick<Nat::Alg>(r, v, where, choices, "ALG");
            nat.netfilter = false;
            alg = true;
            device_key = k;
        } else if (name == "paired") {
            nat.paired = r.boolean(v, where);
        } else if (name == "prefix") {
            nat.prefix = read_cidr(r, v, where);
            // RFC 6052 §2.2 allows /32 to /96; the /96 form (the address in the last 32 bits,
            // no "u" octet) is the one NAT64 deployments use, and the only one here.
            if (!nat.prefix.addr.v6 || nat.prefix.prefix != 96)
                r.fail(v, where, "'" + nat.prefix.str() + "': an IPv6 /96 prefix (RFC 6052 §2.2), e.g. 64:ff9b::/96");
            prefix_key = k;
            prefixed = true;
        } else if (name == "outbound") {
            nat.outbound_allowed = pick<bool>(r, v, where, {{"allow", true}, {"drop", false}}, "outbound policy");
        } else if (name == "expect_timeout_ms") {
            nat.expect_timeout_ms = r.uint(v, where, 1, 3'600'000);
        } else {
            nat.max_expected = static_cast<std::uint32_t>(r.uint(v, where, 1, 64));
        }
    }
    if (!typed) r.fail(node, key, "'type' is missing (masquerade | snat | dnat | nat64)");
    if (nat.type == Nat::Type::kNat64) {
        check_nat64(r, node, key, nat, helper, alg, device_key);
        return nat;
    }
    if (prefixed) r.fail(prefix_key, config::key_path(key, "prefix"), "'prefix' belongs to type: nat64 only");
    if (helper && alg) r.fail(device_key, key, "give either 'helper' (Linux netfilter) or 'alg' (a simulated ALG), not both");
    if (!helper && !alg)
        r.fail(node, key, "the device is missing: 'helper: ftp | none' (Linux netfilter, both backends) or "
                          "'alg: ...' (a simulated ALG, virtual network only)");
    if (nat.type == Nat::Type::kSnat && nat.to.empty()) r.fail(node, key, "snat needs 'to': the source address(es)");
    if (nat.type != Nat::Type::kSnat && nat.to.size() > 1) r.fail(node[ "to"], config::key_path(key, "to"), "one address");
    if (nat.type == Nat::Type::kMasquerade && !nat.to.empty())
        r.fail(node["to"], config::key_path(key, "to"), "masquerade takes the outside interface's address: no 'to'");
    if (!nat.paired && nat.to.size() < 2)
        r.fail(node["paired"], config::key_path(key, "paired"), "paired: false needs a pool of two or more 'to' addresses");
    return nat;
}

}  // namespace

Cidr Nat::well_known_nat64_prefix() {
    Cidr c;
    net::IpAddress::parse("64:ff9b::", c.addr);
    c.prefix = 96;
    return c;
}

const char* Nat::alg_name(Alg alg) {
    for (const auto& a : kAlgs)
        if (a.alg == alg) return a.name;
    return "?";
}

Router read_router(const YamlReader& r, const YAML::Node& node, const std::string& key, std::set<net::IpAddress>& taken) {
    Router router;
    bool named = false, addressed = false;
    for (const auto& [k, v] : r.entries(node, key, kRouterKeys)) {
        const std::string where = config::key_path(key, k.Scalar());
        if (k.Scalar() == "name") {
            router.name = read_name(r, v, where);
            named = true;
        } else if (k.Scalar() == "addresses") {
            router.addresses = read_addresses(r, v, where, taken);
            addressed = true;
        } else {
            router.nat = read_nat(r, v, where);
        }
    }
    if (!named) r.fail(node, key, "'name' is missing");
    if (!addressed) r.fail(node, key, "'addresses' is missing: one on each link, in the subnet of the peer");
    return router;
}

}  // namespace ftpsim::sim::scenario
