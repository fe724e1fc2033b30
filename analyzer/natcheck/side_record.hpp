// What the NAT check keeps of one side's capture: per control connection its command/reply
// lines, the PORT/EPRT/227/229 announcements with the data connection each one set up on this
// side, and the TCP facts of its segments. Data connections are summarised (endpoints, bytes,
// SHA-256) by the analyzer as they stream; nothing else of the capture is kept, so memory grows
// with the control traffic only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "capture/frame.hpp"
#include "decode/analyzer.hpp"
#include "net/endpoint.hpp"
#include "tcp/segment.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::natcheck {

enum class AnnouncementKind : std::uint8_t { kPort, kEprt, kPasv, kEpsv };  // PORT, EPRT, 227, 229

// "port", "eprt", "pasv", "epsv": the stable names of the report.
const char* announcement_kind_name(AnnouncementKind k);
// "PORT", "EPRT", "227", "229": as a person reads them.
const char* announcement_label(AnnouncementKind k);

// The data connection an announcement led to, as this side saw it.
struct DataSeen {
    bool transfer = false;     // a transfer used the announcement (a DataEvent came)
    // Its TCP connection was established: the SYN was answered (or, when the capture started
    // after the handshake, bytes flowed). A connection of unanswered SYNs is not.
    bool established = false;
    std::string command;       // RETR, LIST ...
    net::Endpoint client, server;  // who connected to whom
    std::uint64_t bytes = 0;
    std::string sha256;
    int completion = 0;
    std::uint64_t open_frame = 0;
};

// SYNs (without ACK) towards the announced endpoint after the announcement (for a 227 also
// towards its port at the control connection's server address, where clients often go).
struct SynSeen {
    std::uint64_t count = 0;
    std::uint64_t first_frame = 0;
    net::Endpoint source, destination;  // of the first SYN
    bool answered = false;  // a SYN-ACK came back from the announced endpoint
};

struct Announcement {
    AnnouncementKind kind = AnnouncementKind::kPort;
    // The endpoint announced; for 229 the address is the control connection's server address
    // on this side (RFC 2428 §3: only the port is sent).
    net::Endpoint value;
    std::string raw;  // the encoded host-port as sent (PORT/EPRT argument, 227/229 span)
    std::uint64_t frame = 0;
    std::size_t message = 0;  // index into ControlRecord::messages
    DataSeen data;
    SynSeen syn;
};

// One command or reply, with the announced endpoint cut out so that both sides compare equal
// when only the rewritten span differs.
struct ControlMessage {
    bool reply = false;
    std::string masked;  // "PORT <host-port>", "227 Entering Passive Mode (<host-port>)." ...
    bool secret = false;  // a command whose argument is secret: shown masked
    std::uint64_t frame = 0;
};

// TCP facts of one control-connection segment. Sequence numbers are relative to each
// direction's ISN (SYN = 0), acknowledgements and SACK edges relative to the peer's.
struct SegmentFact {
    tcp::Direction dir = tcp::Direction::kClientToServer;
    std::uint64_t frame = 0;
    std::uint32_t seq = 0, ack = 0, len = 0;
    std::uint8_t flags = 0;
    std::uint8_t sack_count = 0;
    std::array<tcp::TcpSegment::SackBlock, 4> sack{};
};

struct ControlRecord {
    std::uint64_t conn = 0;  // the analyzer's connection id on this side
    net::Endpoint client, server;
    std::uint64_t open_frame = 0;
    tcp::TimeNs open_time = 0;  // relative to the capture's first frame
    std::vector<ControlMessage> messages;
    std::vector<Announcement> announcements;
    std::vector<SegmentFact> segments;
};

struct SideRecord {
    std::string capture;  // path or name, for messages
    std::vector<ControlRecord> controls;  // in order of appearance
    analyzer::AnalyzeStats stats;
    std::vector<std::string> warnings;  // the first few of the analyzer's warnings
};

// Builds a SideRecord from frames pushed in capture order (the analyzer's push API): for
// captures read from files and for frames a virtual network's tap hands over.
class SideRecorder {
public:
    explicit SideRecorder(std::string capture, analyzer::AnalyzeOptions options = {});
    ~SideRecorder();
    SideRecorder(const SideRecorder&) = delete;
    SideRecorder& operator=(const SideRecorder&) = delete;

    void put(const capture::RawFrame& frame);
    // Trouble reading the capture (a truncated last record): kept with the analyzer's warnings.
    void warn(const std::string& message);
    // After the last frame.
    SideRecord finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reads a pcap or pcapng file through a SideRecorder. Throws capture::CaptureError naming the
// file when it cannot be read.
SideRecord record_file(const std::string& path, const analyzer::AnalyzeOptions& options = {});

}  // namespace ftpsim::natcheck
