// Entry point of the pcap analyzer: read a capture, decode FTP, report events in order.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "decode/events.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::analyzer {

// One packet as the packet table shows it (Wireshark's summary columns).
struct PacketSummary {
    std::uint64_t frame = 0;
    tcp::TimeNs time = 0;
    std::string source, destination, protocol;  // protocol: "TCP", "FTP", "FTP-DATA", "IPv4" ...
    std::uint32_t length = 0;                    // bytes on the wire
    std::string info;
};

class EventSink {
public:
    virtual ~EventSink() = default;
    // The first frame's time, before any event: renderers show times relative to it.
    virtual void on_start(tcp::TimeNs /*first_frame_time*/) {}
    virtual void on_event(const Event& e) = 0;
    // Called after every frame's events when AnalyzeOptions::packet_summaries is set.
    virtual void on_packet(const PacketSummary&) {}
    // Non-fatal trouble with the input (a truncated record, a packet cut by the snap length).
    virtual void on_warning(const std::string& message) = 0;
};

struct AnalyzeOptions {
    bool packet_summaries = false;
    bool show_secrets = false;    // PASS/ACCT arguments in packet summaries
    std::size_t max_line = 8192;  // longer control lines are reported as overlong
};

struct AnalyzeStats {
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;  // captured bytes read
};

// The input cannot be analysed at all: missing, unreadable, not a capture, unsupported link
// type. The message is one line naming the file.
class CaptureError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

AnalyzeStats analyze_file(const std::string& path, EventSink& sink,
                          const AnalyzeOptions& options = {});

}  // namespace ftpsim::analyzer
