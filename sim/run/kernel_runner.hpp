// Runs one scenario on the kernel network backend: real network namespaces joined by veth pairs
// (sim/netns), a live capture per capture point (sim/capture), our FTP server and client on
// kernel sockets (sim/asio), each on a thread inside its host's namespace. Everything is bounded
// by one deadline and torn down on every path (RAII, plus the signal-time namespace registry).
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/asio/ftp_client.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

// The run could not happen because of the environment (no privilege, a tool failing, a port
// that cannot be bound): exit 2, as bad input.
class EnvironmentError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// The run happened but did not complete (deadline, the client could not connect, a capture
// failed): the scenario fails, exit 1.
class RunFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct KernelRunOptions {
    std::string out_dir;  // OUT/<scenario>.<point>.pcap and OUT/<scenario>.log
    std::chrono::milliseconds deadline{30000};
};

struct CaptureFile {
    std::string point;
    std::string path;
    std::uint64_t packets = 0;
    std::uint64_t dropped = 0;
};

struct KernelRunResult {
    std::vector<CaptureFile> captures;  // in the scenario's order, all published
    asio_io::ClientOutcome client;
    std::string log_path;  // the server's and the client's log lines
    // Set-up that could not be done (no netem): the run went on; and leftovers of killed runs
    // it removed (leftovers.hpp).
    std::vector<std::string> warnings;
};

// Throws EnvironmentError or RunFailure; every namespace created is gone when it returns or throws.
KernelRunResult run_on_kernel(const scenario::Scenario& s, const NetworkPlan& plan, const KernelRunOptions& options);

}  // namespace ftpsim::sim::run
