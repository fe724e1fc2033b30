#include "sim/run/kernel_runner.hpp"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "sim/capture/live_capture.hpp"
#include "sim/config/memory_tree.hpp"
#include "sim/netns/in_namespace.hpp"
#include "sim/netns/privileges.hpp"
#include "sim/netns/registry.hpp"
#include "sim/netns/topology.hpp"
#include "sim/run/host_setup.hpp"
#include "sim/run/leftovers.hpp"
#include "sim/run/pcap_retime.hpp"
#include "sim/run/run_log.hpp"
#include "sim/run/server_thread.hpp"
#include "sim/run/syn_firewall.hpp"

namespace ftpsim::sim::run {

namespace {

namespace io = asio_io;
using Clock = std::chrono::steady_clock;

// Namespaces are "ftpsimrun-<pid>-<n>-<host>": a prefix of our own, so leftovers of a killed
// run can be removed without touching other users' namespaces (leftovers.hpp).
constexpr const char* kPrefix = kKernelNamespacePrefix;

// After the client's last step the server still closes its side; its FIN and the last ACKs
// should be in the capture. Both bounds are generous: on a veth this takes microseconds.
constexpr auto kServerCloseLimit = std::chrono::milliseconds(1000);
constexpr auto kSettle = std::chrono::milliseconds(20);

std::unique_ptr<netns::Topology> build_topology(const NetworkPlan& plan, std::vector<std::string>& warnings) {
    try {
        auto topo = std::make_unique<netns::Topology>(plan.hosts, plan.links, netns::TopologyOptions{kPrefix});
        for (auto& w : apply_host_setup(*topo, plan)) warnings.push_back(std::move(w));
        return topo;
    } catch (const netns::PrivilegeError& e) {
        throw EnvironmentError(std::string("cannot create network namespaces: ") + e.what());
    } catch (const std::exception& e) {
        throw EnvironmentError(std::string("cannot build the topology: ") + e.what());
    }
}

std::vector<std::unique_ptr<capture::LiveCapture>> start_captures(const scenario::Scenario& s, const NetworkPlan& plan,
                                                                  const netns::Topology& topo,
                                                                  const KernelRunOptions& o) {
    std::vector<std::unique_ptr<capture::LiveCapture>> caps;
    for (const auto& c : plan.captures) {
        capture::CaptureOptions co;
        co.netns = topo.netns(c.host);
        co.interface = topo.interface(c.host, c.peer).name;
        co.output = (std::filesystem::path(o.out_dir) / (s.name + "." + c.point + ".pcap")).string();
        // Past the run's deadline the capture stops itself and is never published.
        co.max_duration = o.deadline + std::chrono::seconds(5);
        std::error_code ec;
        std::filesystem::remove(co.output, ec);  // a stale file must not pass for this run's
        try {
            caps.push_back(std::make_unique<capture::LiveCapture>(co));
        } catch (const std::exception& e) {
            throw EnvironmentError("capture point '" + c.point + "': " + e.what());
        }
    }
    return caps;
}

// drop_data_syn: a firewall in both hosts (whichever receives the data connection's SYN: the
// client in active mode, the server in passive mode), blocked while the faulted step runs.
class SynDropFaults {
public:
    SynDropFaults(const NetworkPlan& plan, const netns::Topology& topo) : windows_(plan.faults.syn_drops) {
        if (windows_.empty()) return;
        try {
            client_.emplace(topo.netns(plan.client_host), 0);
            server_.emplace(topo.netns(plan.server_host), plan.server.port);
        } catch (const std::exception& e) {
            throw EnvironmentError(std::string("drop_data_syn needs nft(8) (Debian package nftables): ") + e.what());
        }
    }
    // Called on the client thread before client op `n` starts; the client waits for it, so the
    // rule is in place before the op's first data SYN.
    void before_op(std::size_t n, std::vector<std::string>& log) {
        for (const auto& w : windows_) {
            if (n == w.first_op) set(true, log);
            if (n == w.end_op) set(false, log);
        }
    }

private:
    void set(bool block, std::vector<std::string>& log) {
        for (auto* fw : {&*client_, &*server_}) block ? fw->block() : fw->unblock();
        log.push_back(block ? "client: fault: firewall drops data-connection SYNs" : "client: fault: firewall open");
    }
    std::vector<SynDropWindow> windows_;
    std::optional<SynFirewall> client_, server_;
};

// The client on a thread inside its host's namespace (its sockets, including the active-mode
// listeners, are created on that thread). run_ftp_client is bounded by `limit`.
io::ClientOutcome run_client(const NetworkPlan& plan, const netns::Topology& topo, const ClientConfig& config,
                             std::chrono::milliseconds limit, std::vector<std::string>& log) {
    SynDropFaults syn_drops(plan, topo);
    std::mutex mu;  // the hooks run on the client thread; `log` is read after the join
    std::size_t finished_ops = 0;
    io::ClientHooks hooks;
    hooks.log = [&](const std::string& line) {
        std::lock_guard lock(mu);
        log.push_back("client: " + line);
    };
    hooks.on_greeting = [&](const std::vector<ftp::Reply>&) {
        std::lock_guard lock(mu);
        syn_drops.before_op(0, log);
    };
    hooks.on_result = [&](const OpResult& r) {
        std::lock_guard lock(mu);
        append_client_log(r, log);
        syn_drops.before_op(++finished_ops, log);
    };
    const std::vector<ClientOp>& ops = plan.faults.ops;
    io::ClientTarget target{plan.connect_to.addr.str(), plan.connect_to.port};
    const std::string ns = topo.netns(plan.client_host);
    std::promise<io::ClientOutcome> result;
    auto outcome = result.get_future();
    std::thread t([&] {
        try {
            netns::enter_namespace(ns);
            result.set_value(io::run_ftp_client(target, config, ops, hooks, limit));
        } catch (...) {
            result.set_exception(std::current_exception());
        }
    });
    t.join();
    try {
        return outcome.get();
    } catch (const std::exception& e) {
        throw EnvironmentError(std::string("client: ") + e.what());
    }
}

}  // namespace

KernelRunResult run_on_kernel(const scenario::Scenario& s, const NetworkPlan& plan, const KernelRunOptions& o) {
    const auto start = Clock::now();
    auto remaining = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(o.deadline - (Clock::now() - start));
    };
    try {
        netns::require_netns_privilege();
    } catch (const netns::PrivilegeError& e) {
        throw EnvironmentError(std::string("root or CAP_NET_ADMIN (with CAP_SYS_ADMIN) is needed: ") + e.what());
    }
    // A killed run leaves namespaces only until the next run; SIGINT/SIGTERM remove them at once.
    // (`ftpsim run` and `ftpsim test` have removed them before the first scenario, and said so;
    // here for any other caller, and for a run killed since.)
    netns::install_cleanup_handlers();
    KernelRunResult result;
    for (const auto& name : remove_namespaces_of_killed_runs())
        result.warnings.push_back("removed network namespace " + name + ", left by a run that was killed");

    result.log_path = (std::filesystem::path(o.out_dir) / (s.name + ".log")).string();
    std::vector<std::string> client_log;
    std::string server_log;

    // Declared in build order so that an exception tears down in reverse: the server first,
    // then the captures (their temporaries deleted), then the namespaces.
    std::unique_ptr<netns::Topology> topo = build_topology(plan, result.warnings);
    auto caps = start_captures(s, plan, *topo, o);
    std::unique_ptr<ServerThread> server;
    try {
        ServerConfig config = s.server->loaded.config;
        config.faults.insert(config.faults.end(), plan.faults.server_faults.begin(), plan.faults.server_faults.end());
        server = std::make_unique<ServerThread>(topo->netns(plan.server_host), std::move(config),
                                                config::build_memory_tree(s.server->loaded.tree), plan.server);
    } catch (const std::exception& e) {
        throw EnvironmentError(e.what());
    }

    result.client =
        run_client(plan, *topo, s.client.config, std::max(remaining(), std::chrono::milliseconds(1)), client_log);
    bool idle = server->wait_idle(std::min(kServerCloseLimit, std::max(remaining(), std::chrono::milliseconds(1))));
    std::this_thread::sleep_for(kSettle);
    for (std::size_t i = 0; i < caps.size(); ++i) {
        try {
            // Written retimed from the finished temporary: the final name never holds the
            // capture with the wall clock's times, even for a moment.
            auto stats = caps[i]->stop([&](const std::string& finished, const std::string& output) {
                retime_capture(finished, output, s.start_time, s.start_time_ns);
            });
            result.captures.push_back({plan.captures[i].point, caps[i]->output_path(), stats.packets, stats.dropped});
        } catch (const std::exception& e) {
            server->stop();
            write_run_log(result.log_path, "# server\n" + server->log(), client_log);
            throw RunFailure("capture point '" + plan.captures[i].point + "': " + e.what());
        }
    }
    server->stop();
    server_log = server->log();
    if (!idle) server_log += "run: the server still had sessions when the capture stopped\n";
    write_run_log(result.log_path, "# server\n" + server_log, client_log);
    server.reset();
    caps.clear();
    if (!topo->destroy()) throw EnvironmentError("some namespaces could not be deleted (see `ip netns list`)");

    if (!result.client.connected)
        throw RunFailure("the client could not connect to " + plan.connect_to.str() + ": " + result.client.error);
    if (!result.client.finished)
        throw RunFailure("the client did not finish within the deadline of " + std::to_string(o.deadline.count()) +
                         " ms" + (result.client.error.empty() ? "" : ": " + result.client.error));
    return result;
}

}  // namespace ftpsim::sim::run
