// Runs an FTP session over the virtual network: a ServerSession per accepted control
// connection on one host, a ClientSession on the other, their actions mapped to virtual TCP
// sockets, everything on the virtual clock, the traffic written to a pcap file (and handed to a
// FrameTap, for analysis in memory). The same scenario and seed give a byte-identical capture on
// every machine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/client_session.hpp"
#include "sim/engine/file_system.hpp"
#include "sim/engine/server_config.hpp"
#include "sim/vnet/network.hpp"
#include "sim/vnet/session_ledger.hpp"

namespace ftpsim::sim::vnet {

// While client ops [first_op, end_op) run, the next `count` SYNs opening data connections are
// dropped (Network::drop_opening_syns): a firewall blocking the data port for a while.
struct SynDropWindow {
    std::size_t first_op = 0;
    std::size_t end_op = 0;
    std::uint32_t count = 1;
};

struct VnetScenario {
    NetworkConfig network = default_network();  // hosts[0] is the client, hosts[1] the server
    bool ipv6 = false;                 // the control connection over IPv6
    std::uint16_t server_port = 21;
    // Where the client connects, when not to the server host's own address (a DNAT's
    // published address).
    std::optional<net::IpAddress> connect_to;
    Nanos deadline = 600 * kSecond;    // virtual time
    std::vector<SynDropWindow> syn_drops;
    // Told what the engines meant by each control line and which connection is which data
    // channel, for ground truth (null: nobody asks).
    SessionLedger* ledger = nullptr;

    static NetworkConfig default_network();
};

struct VnetResult {
    bool client_finished = false;      // false: stopped at the deadline
    Nanos end_time = 0;                // virtual time at the end of the run
    std::vector<OpResult> results;
    std::uint64_t frames = 0;
    std::uint64_t dropped = 0;
    bool capture_ok = true;            // the pcap file was written and renamed
    // Per NetworkConfig::impairments: the segments each acted on (0: it never found its segment).
    std::vector<std::uint32_t> impairment_hits;
    // Per VnetScenario::syn_drops window: the SYNs it dropped (0: no data connection was opened
    // while it was in force).
    std::vector<std::uint32_t> syn_drop_hits;
    // Per connection number (index 0 unused, 1 the control connection): the payload-carrying
    // segments and the segments of any kind the connection carried, both directions.
    std::vector<std::uint32_t> data_segments, all_segments;
};

// `captures`: the capture points (network.hpp); `fs`, `server` and the taps outlive the call.
VnetResult run_ftp_session(const VnetScenario& scenario, const ServerConfig& server,
                           FileSystem& fs, const ClientConfig& client,
                           std::vector<ClientOp> ops, const std::vector<CaptureSpec>& captures);
// One capture on the client host's interface: `pcap_path` (empty: no file) and `tap` (may be
// null), which gets every frame the interface sees.
VnetResult run_ftp_session(const VnetScenario& scenario, const ServerConfig& server,
                           FileSystem& fs, const ClientConfig& client,
                           std::vector<ClientOp> ops, const std::string& pcap_path,
                           FrameTap* tap = nullptr);

}  // namespace ftpsim::sim::vnet
