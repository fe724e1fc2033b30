// The knobs of the virtual TCP, defaulting to what a Linux 6.x host puts on the wire.
#pragma once

#include <cstdint>

#include "sim/engine/actions.hpp"

namespace ftpsim::sim::vnet {

struct TcpProfile {
    std::uint8_t ttl = 64;                   // Linux net.ipv4.ip_default_ttl
    std::uint16_t syn_window = 64240;        // 44 * 1460: Linux's initial receive window
    std::uint8_t window_scale = 7;           // RFC 7323 §2.2; Linux with a 3+ MiB rmem_max
    bool timestamps = true;                  // RFC 7323 §3
    bool sack_permitted = true;              // RFC 2018: offered (this stack sends no SACK blocks)
    std::uint32_t receive_buffer = 131072;   // Linux tcp_rmem default
    std::uint32_t send_buffer = 131072;      // a write completes once it fits in here
    std::uint32_t initial_cwnd_segments = 10;  // RFC 6928
    Nanos delayed_ack = 40 * kMillisecond;   // Linux's TCP_DELACK_MIN (RFC 1122 §4.2.3.2: < 0.5 s)
    Nanos rto_initial = kSecond;             // RFC 6298 §2.1
    Nanos rto_min = 200 * kMillisecond;      // Linux TCP_RTO_MIN (RFC 6298 §2.4 says 1 s)
    Nanos rto_max = 120 * kSecond;           // Linux TCP_RTO_MAX
    int syn_retries = 6;                     // Linux tcp_syn_retries
    int max_retransmissions = 15;            // Linux tcp_retries2
    // Zero-window probes: one new byte (RFC 9293 §3.8.6.1; Windows) or, as Linux does, an empty
    // segment one below SND.UNA.
    bool probe_with_new_byte = false;
    // IPv4 identification: Linux counts per connection from a random start (a DF packet's ID only
    // has to differ among the connection's own, RFC 6864 §4.1); Windows has one counter per host.
    bool ip_id_per_connection = true;
    // SYN options in Windows' order (MSS, NOP, WS, NOP, NOP, SACK_PERM) rather than Linux's
    // (MSS, SACK_PERM, TS, NOP, WS).
    bool windows_option_order = false;
    // Ephemeral ports: Linux's ip_local_port_range; Windows uses IANA's dynamic range (RFC 6335).
    std::uint16_t ephemeral_first = 32768, ephemeral_last = 60999;
};

// A Windows 10/11 host as captures show it: initial TTL / hop limit 128, the SYN's window 64240
// with window scale 8 and its options in Windows' order (MSS, NOP, WS, NOP, NOP, SACK_PERM), no
// TCP timestamps (off by default on Windows), a 200 ms delayed-ACK timer, one-byte zero-window
// probes, one IPv4 ID counter for the host, ephemeral ports from 49152.
inline TcpProfile windows_profile() {
    TcpProfile p;
    p.ttl = 128;
    p.window_scale = 8;
    p.timestamps = false;
    p.delayed_ack = 200 * kMillisecond;
    p.receive_buffer = 65536;
    p.probe_with_new_byte = true;
    p.ip_id_per_connection = false;
    p.windows_option_order = true;
    p.ephemeral_first = 49152;
    p.ephemeral_last = 65535;
    return p;
}

}  // namespace ftpsim::sim::vnet
