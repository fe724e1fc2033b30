// Per-frame ground truth for one capture point of a virtual-network run: what a correct FTP
// dissector reports for each frame, written from what the engines meant and the simulator sent,
// never from decoding the capture (docs/ground-truth.md has the schema and its rules).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/truth/session_record.hpp"

namespace ftpsim::sim::truth {

// A command line: the n-th line the client wrote on its control connection (the server counts
// the same lines, so a reply's `answers` is this n).
struct TruthCommand {
    std::uint32_t connection = 0, n = 0;
    std::string line;  // as written, without the line end (Telnet bytes included)
    std::string verb, arg;
    bool telnet = false;
    std::optional<net::Endpoint> endpoint;  // PORT/EPRT
    std::uint64_t first_frame = 0;  // holds the line's first byte
    std::uint64_t frame = 0;        // completes it: a reassembling reader has it all here
};

struct TruthReplyLine {
    std::string line;
    std::uint64_t first_frame = 0, frame = 0;
};

struct TruthReply {
    std::uint32_t connection = 0, n = 0;
    int code = 0;
    std::vector<TruthReplyLine> lines;
    std::uint32_t answers = 0;  // the command's n; 0: none (greeting, timeout, refusal)
    std::optional<net::Endpoint> endpoint;  // 227/229
    std::uint64_t frame = 0;  // where its last line completes
};

// Where a data connection's address came from: a PORT/EPRT command or a 227/229 reply.
struct Announcement {
    bool by_command = false;
    std::uint32_t n = 0;
};

struct TruthConnection {
    std::uint32_t id = 0;          // the simulator's connection number (SYN order)
    enum class Role { kTcp, kControl, kData } role = Role::kTcp;
    net::Endpoint client, server;  // TCP's: who sent the SYN, who answered
    std::uint64_t first_frame = 0;
    // Data connections: the session's control connection, the transfer command it carries (0:
    // none, e.g. a passive connection whose RETR was refused) and what announced its address.
    std::uint32_t control = 0;
    std::uint32_t command = 0;
    std::optional<Announcement> announced_by;
};

struct TruthFrame {
    std::uint64_t frame = 0;
    std::int64_t time_ns = 0;
    std::uint32_t connection = 0;
    net::Endpoint src, dst;
    std::uint8_t flags = 0;  // vnet::TcpFlags
    std::uint32_t payload = 0;
    std::uint64_t stream_offset = 0;  // of the first payload byte in the sender's stream
    std::vector<std::string> events;  // TCP: retransmission, zero_window ... (SegmentNote, RST)
    std::vector<std::uint32_t> commands, replies;  // n of those that complete here
};

struct TruthAnomaly {
    std::uint64_t frame = 0;
    std::string kind;    // stable name: telnet_command, pipelined, unsolicited_reply ...
    std::string detail;  // a sentence for people
};

struct GroundTruth {
    std::vector<TruthConnection> connections;
    std::vector<TruthCommand> commands;
    std::vector<TruthReply> replies;
    std::vector<TruthFrame> frames;
    std::vector<TruthAnomaly> anomalies;
};

// Throws std::runtime_error when the frames cannot be matched with what was sent (a capture
// point behind a device that rewrites sequence numbers or payload: not supported).
GroundTruth build_ground_truth(const ControlLedger& ledger, const FrameLog& frames);

}  // namespace ftpsim::sim::truth
