#include "sim/run/host_setup.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "sim/netns/command.hpp"
#include "sim/netns/in_namespace.hpp"

namespace ftpsim::sim::run {

namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

void shape(const netns::Topology& topo, const PlannedShaping& s) {
    const auto& itf = topo.interface(s.host, s.peer);
    std::vector<std::string> argv{"tc", "qdisc", "replace", "dev", itf.name, "root", "netem"};
    // One-way latency on each end's egress; netem without jitter keeps packets in order.
    if (s.latency_ms > 0) argv.insert(argv.end(), {"delay", number(s.latency_ms) + "ms"});
    if (s.bandwidth_mbps > 0) argv.insert(argv.end(), {"rate", number(s.bandwidth_mbps) + "mbit"});
    auto r = netns::run_command(argv, {std::chrono::milliseconds(5000), itf.netns});
    if (r.exit_code != 0)
        throw std::runtime_error("link " + s.host + " - " + s.peer + ": latency/bandwidth need tc netem (the sch_netem "
                                 "kernel module): " + netns::join_argv(argv) + ": " + r.output);
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

}  // namespace

void apply_host_setup(const netns::Topology& topo, const NetworkPlan& plan) {
    for (const auto& s : plan.shaping) shape(topo, s);
    for (const auto& h : plan.windows_hosts) windows_ttl(topo, h);
}

}  // namespace ftpsim::sim::run
