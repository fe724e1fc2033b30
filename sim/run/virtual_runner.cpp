#include "sim/run/virtual_runner.hpp"

#include <filesystem>
#include <sstream>

#include "golden/atomic_file.hpp"
#include "sim/config/memory_tree.hpp"
#include "sim/run/fault_plan.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/run/run_log.hpp"

namespace ftpsim::sim::run {

namespace {

namespace sc = scenario;
namespace fs = std::filesystem;

// An unlimited link still serialises frames: 10 Gbit/s, as a veth pair is effectively.
constexpr std::uint64_t kUnlimitedBitsPerSecond = 10'000'000'000ULL;

vnet::HostConfig host_config(const sc::Host& h) {
    vnet::HostConfig c;
    c.name = h.name;
    bool have_v4 = false, have_v6 = false;
    for (const auto& a : h.addresses) {  // the first address of each family
        bool& have = a.addr.v6 ? have_v6 : have_v4;
        if (!have) (a.addr.v6 ? c.ipv6 : c.ipv4) = a.addr;
        have = true;
    }
    c.mac = h.mac ? *h.mac : derived_mac(h.name);
    if (h.os == sc::HostOs::kWindows) c.tcp = vnet::windows_profile();
    return c;
}

vnet::Impairment::Kind vnet_kind(sc::Impairment::Kind k) {
    using V = vnet::Impairment::Kind;
    switch (k) {
        case sc::Impairment::Kind::kDrop: return V::kDrop;
        case sc::Impairment::Kind::kDuplicate: return V::kDuplicate;
        case sc::Impairment::Kind::kSplit: return V::kSplit;
        case sc::Impairment::Kind::kReorder: return V::kReorder;
        case sc::Impairment::Kind::kDelay: return V::kDelay;
    }
    return V::kDrop;
}

const sc::Link& direct_link(const sc::Scenario& s) {
    const std::string& a = s.client.host;
    const std::string& b = s.server->host;
    for (const auto& l : s.topology.links)
        if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return l;
    throw UnsupportedScenario(s.file + ": the virtual network needs the client and the server on one direct link");
}

}  // namespace

VirtualPlan plan_virtual(const sc::Scenario& s) {
    auto refuse = [&](const std::string& what) {
        throw UnsupportedScenario(s.file + ": " + what + " is not supported by the virtual network yet");
    };
    if (!s.topology.routers.empty()) refuse("a router");
    if (s.topology.external_server || !s.server) refuse("an external server");
    if (s.server->host == s.client.host) refuse("client and server on the same host");
    const sc::Link& link = direct_link(s);

    VirtualPlan plan;
    for (const auto& c : s.topology.captures) {
        const std::string peer = c.host == s.client.host ? s.server->host : s.client.host;
        const bool on_link = (c.host == s.client.host || c.host == s.server->host) &&
                             (c.interface == "auto" || c.interface == peer);
        if (!on_link)
            throw UnsupportedScenario(s.file + ": capture point '" + c.name +
                                      "': the virtual network captures only the client-server link");
        plan.capture_points.push_back(c.name);
    }
    if (plan.capture_points.empty()) throw UnsupportedScenario(s.file + ": no capture point: nothing to check");

    vnet::NetworkConfig& n = plan.network.network;
    n.seed = s.seed;
    n.hosts[0] = host_config(*s.topology.find_host(s.client.host));
    n.hosts[1] = host_config(*s.topology.find_host(s.server->host));
    n.link.mtu = link.mtu;
    n.link.latency = static_cast<Nanos>(link.latency_ms * static_cast<double>(kMillisecond));
    n.link.bits_per_second = link.bandwidth_mbps > 0 ? static_cast<std::uint64_t>(link.bandwidth_mbps * 1e6)
                                                     : kUnlimitedBitsPerSecond;
    n.start_time_ns = s.start_time * 1'000'000'000LL + s.start_time_ns;
    n.loss_probability = link.loss;
    n.reorder_probability = link.reorder;
    for (const auto& i : s.impairments) {
        vnet::Impairment v;
        v.kind = vnet_kind(i.kind);
        v.segment = {i.connection, i.segment, i.any_segment};
        v.split_at = i.at_byte;
        v.delay = static_cast<Nanos>(i.ms) * kMillisecond;
        n.impairments.push_back(v);
    }
    const net::IpAddress server = server_address(s);
    plan.network.ipv6 = server.v6;
    plan.network.server_port = s.server->port;

    FaultPlan faults = plan_faults(s);
    plan.ops = std::move(faults.ops);
    plan.network.syn_drops = faults.syn_drops;
    plan.server = s.server->loaded.config;
    plan.server.faults.insert(plan.server.faults.end(), faults.server_faults.begin(), faults.server_faults.end());
    plan.keep_ports = fixed_ports(s);
    return plan;
}

std::string virtual_capture_path(const sc::Scenario& s, const std::string& out_dir, const std::string& point) {
    return (fs::path(out_dir) / (s.name + "." + point + ".pcap")).string();
}

VirtualRunResult run_on_virtual(const sc::Scenario& s, const VirtualPlan& plan, const std::string& out_dir,
                                vnet::FrameTap* tap) {
    VirtualRunResult result;
    const fs::path first = virtual_capture_path(s, out_dir, plan.capture_points.front());
    for (const auto& point : plan.capture_points) {
        std::error_code ec;
        fs::remove(virtual_capture_path(s, out_dir, point), ec);  // a stale file must not pass
    }
    auto tree = config::build_memory_tree(s.server->loaded.tree);
    vnet::VnetResult run = vnet::run_ftp_session(plan.network, plan.server, *tree, s.client.config, plan.ops,
                                                 first.string(), tap);
    if (!run.capture_ok) throw EnvironmentError(first.string() + ": cannot write the capture");
    // One link, one tap: every capture point on it sees the same frames.
    for (std::size_t i = 0; i < plan.capture_points.size(); ++i) {
        const fs::path path = virtual_capture_path(s, out_dir, plan.capture_points[i]);
        if (i != 0) {
            golden::AtomicFile copy(path.string());
            std::error_code ec;
            fs::copy_file(first, copy.temp_path(), fs::copy_options::overwrite_existing, ec);
            if (ec) throw EnvironmentError(path.string() + ": " + ec.message());
            copy.commit();
        }
        result.captures.push_back({plan.capture_points[i], path.string(), run.frames, run.dropped});
    }
    result.log_path = (fs::path(out_dir) / (s.name + ".log")).string();
    std::vector<std::string> client_lines;
    for (const auto& r : run.results) append_client_log(r, client_lines);
    std::ostringstream header;
    header << "# virtual network: " << run.frames << " frames, " << run.dropped << " dropped, ended at "
           << static_cast<double>(run.end_time) / static_cast<double>(kSecond) << " s virtual time\n";
    write_run_log(result.log_path, header.str(), client_lines);
    result.results = std::move(run.results);
    if (!run.client_finished)
        throw RunFailure("the client did not finish within the virtual deadline (" +
                         std::to_string(plan.network.deadline / kSecond) + " s of virtual time)");
    return result;
}

}  // namespace ftpsim::sim::run
