// Entry point of the pcap analyzer: frames in (pushed one at a time, as Boost.Beast's
// basic_parser::put takes buffers), FTP decoded, events out in order. analyze_file is the loop
// that pushes a capture file's frames.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "capture/frame.hpp"
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
    // Every TCP segment after the tracker has seen it (and after the events it caused), with
    // its connection and relative numbers: for checks that need TCP-level facts (the NAT
    // check's sequence continuity) without decoding the frames a second time.
    virtual void on_segment(const tcp::TcpSegment& /*segment*/, const tcp::SegmentSummary& /*summary*/) {}
    // Non-fatal trouble with the input (a truncated record, a packet cut by the snap length).
    virtual void on_warning(const std::string& message) = 0;
};

// Which command arguments are secrets (CommandEvent::secret): the default rule,
// ftp::is_secret_verb (PASS, ACCT), plus what a caller adds, such as the arguments a scenario
// marks secret. Decided once, when the command is decoded; every output reads the flag.
struct SecretRule {
    std::set<std::string, std::less<>> verbs;      // more upper-case verbs whose argument is secret
    std::set<std::string, std::less<>> arguments;  // argument values secret whatever the verb
    // An empty argument hides nothing, so it is never secret.
    bool secret(std::string_view upper_verb, std::string_view arg) const;
};

struct AnalyzeOptions {
    bool packet_summaries = false;
    bool show_secrets = false;    // secret arguments in packet summaries
    std::size_t max_line = 8192;  // longer control lines are reported as overlong
    SecretRule secrets;
    // Commands waiting for their reply, per control connection (Zeek's max_pending_commands):
    // past it, commands are still reported but no longer remembered for pairing, and one
    // too_many_pending_commands anomaly says so.
    std::size_t max_pending_commands = 50;
};

struct AnalyzeStats {
    std::uint64_t frames = 0;
    std::uint64_t bytes = 0;  // captured bytes read
};

// Decodes frames pushed in capture order. Events and warnings go to the sink as soon as they are
// known; finish() ends every connection still open (the end of the capture).
class Analyzer {
public:
    // `capture` names the input in warnings ("<capture>: frame 12: ...").
    Analyzer(EventSink& sink, AnalyzeOptions options = {}, std::string capture = {});
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    // One frame; its bytes need to stay valid only during the call.
    void put(const capture::RawFrame& frame);
    // After the last frame; put() must not be called again.
    AnalyzeStats finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Pushes every frame of a pcap or pcapng file through an Analyzer. Throws capture::CaptureError
// (capture/capture_error.hpp) when the file cannot be analysed at all.
AnalyzeStats analyze_file(const std::string& path, EventSink& sink,
                          const AnalyzeOptions& options = {});

}  // namespace ftpsim::analyzer
