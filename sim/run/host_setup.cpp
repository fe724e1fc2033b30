#include "sim/run/host_setup.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "sim/netns/command.hpp"
#include "sim/netns/in_namespace.hpp"
#include "sim/run/nft_ruleset.hpp"

namespace ftpsim::sim::run {

namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

std::vector<std::string> netem_argv(const std::string& interface, const PlannedShaping& s) {
    std::vector<std::string> argv{"tc", "qdisc", "replace", "dev", interface, "root", "netem"};
    // One-way latency on each end's egress. With jitter, netem computes each packet's send time
    // on its own and reorders them, unless a rate is set: then a packet never leaves before the
    // one ahead of it (netem_enqueue counts from the last queued packet's time). So a jittered
    // link without a bandwidth gets a rate far above what a scenario sends.
    if (s.latency_ms > 0) {
        argv.insert(argv.end(), {"delay", number(s.latency_ms) + "ms"});
        if (s.jitter_ms > 0) argv.push_back(number(s.jitter_ms) + "ms");
    }
    if (s.bandwidth_mbps > 0) argv.insert(argv.end(), {"rate", number(s.bandwidth_mbps) + "mbit"});
    else if (s.jitter_ms > 0) argv.insert(argv.end(), {"rate", "10gbit"});
    return argv;
}

namespace {

// "" when the link is shaped; a warning when this kernel has no netem qdisc (the run goes on).
std::string shape(const netns::Topology& topo, const PlannedShaping& s) {
    const auto& itf = topo.interface(s.host, s.peer);
    const std::vector<std::string> argv = netem_argv(itf.name, s);
    auto r = netns::run_command(argv, {std::chrono::milliseconds(5000), itf.netns});
    if (r.exit_code == 0) return "";
    const std::string link = "link " + s.host + " - " + s.peer;
    for (const char* missing : {"qdisc kind is unknown", "Unknown qdisc", "No such file", "not supported"}) {
        if (r.output.find(missing) != std::string::npos)
            return "the links' latency, jitter and bandwidth are NOT applied: this kernel has no netem qdisc (sch_netem). "
                          "Load it with `modprobe sch_netem`; some distributions ship it in the kernel's extra "
                          "modules package (Ubuntu: linux-modules-extra-$(uname -r)). The capture's protocol is "
                          "the same, its timing is the host's; the virtual network (the default) applies them.";
    }
    throw std::runtime_error(link + ": tc netem failed: " + netns::join_argv(argv) + ": " + r.output);
}

void write_sysctl(const std::string& path, const std::string& value) {
    std::ofstream f(path);
    f << value << "\n";
    f.flush();
    if (!f) throw std::runtime_error(path + ": cannot write " + value + ": " + std::strerror(errno));
}

// /proc/sys/net is resolved in the namespace of the thread that opens it, so this runs on a
// thread inside the host's namespace. The interface's own IPv6 hop_limit was copied from
// "default" when it was created, so it is set too.
void windows_ttl(const netns::Topology& topo, const std::string& host) {
    std::vector<std::string> ifnames;
    for (const auto& i : topo.interfaces())
        if (i.host == host) ifnames.push_back(i.name);
    netns::in_namespace(topo.netns(host), [&] {
        write_sysctl("/proc/sys/net/ipv4/ip_default_ttl", "128");
        write_sysctl("/proc/sys/net/ipv6/conf/default/hop_limit", "128");
        write_sysctl("/proc/sys/net/ipv6/conf/all/hop_limit", "128");
        for (const auto& n : ifnames) write_sysctl("/proc/sys/net/ipv6/conf/" + n + "/hop_limit", "128");
    });
}

// The router's rules with the interface names the topology gave its links, loaded in one nft
// transaction (the whole ruleset as one argument: no shell, no file). The addresses only the NAT
// answers for go on the outside interface first.
void nat(const netns::Topology& topo, const PlannedNat& n) {
    NatRules rules = n.rules;
    const std::string& ns = topo.netns(n.router);
    const std::string outside = topo.interface(n.router, rules.outside).name;
    for (const auto& a : n.extra_addresses) {
        std::vector<std::string> argv{"ip", "-n", ns, "addr", "add", a, "dev", outside};
        if (a.find(':') != std::string::npos) argv.push_back("nodad");
        netns::run_checked(argv);
    }
    rules.outside = outside;
    for (auto& peer : rules.inside) peer = topo.interface(n.router, peer).name;
    const std::string text = nft_ruleset(rules);
    netns::CommandResult r;
    try {
        r = netns::run_command({"nft", text}, {std::chrono::milliseconds(10000), ns});
    } catch (const std::exception& e) {
        throw std::runtime_error("router " + n.router + ": NAT needs nft(8) (Debian package nftables): " + e.what());
    }
    if (r.exit_code != 0)
        throw std::runtime_error("router " + n.router + ": nft refused the ruleset: " + r.output + "\n" + text);
}

}  // namespace

std::vector<std::string> apply_host_setup(const netns::Topology& topo, const NetworkPlan& plan) {
    std::vector<std::string> warnings;
    for (const auto& s : plan.shaping) {
        if (std::string w = shape(topo, s); !w.empty()) {
            warnings.push_back(std::move(w));
            break;  // no netem for one link: none for any
        }
    }
    for (const auto& h : plan.windows_hosts) windows_ttl(topo, h);
    for (const auto& n : plan.nats) nat(topo, n);
    return warnings;
}

}  // namespace ftpsim::sim::run
