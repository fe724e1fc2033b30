// The decoded sequence: what the analyzer reports about a capture, one event at a time.
// Renderers (text, golden, JSON) and the golden comparison all read this one model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ftp/address_codec.hpp"
#include "net/endpoint.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::analyzer {

enum class ConnRole : std::uint8_t { kTcp, kFtpControl, kFtpData };

struct ConnOpen {
    ConnRole role = ConnRole::kTcp;
    bool handshake = true;  // false: the capture started mid-connection
};
struct ConnClose {
    ConnRole role = ConnRole::kTcp;
    tcp::CloseReason reason = tcp::CloseReason::kFin;
};
struct CommandEvent {
    std::string verb;  // upper-cased
    std::string arg;   // raw bytes
    std::uint64_t first_frame = 0;  // frame holding the line's first byte (the event's frame
                                    // holds its last): they differ when a segment split the line
    // The argument is a secret (AnalyzeOptions::secrets decides, once): outputs show
    // ftp::kSecretMask instead unless asked to show secrets.
    bool secret = false;
    // PORT/EPRT: the endpoint the argument names (RFC 959 §4.1.2, RFC 2428 §2); none when the
    // verb is another or the argument does not parse.
    std::optional<net::Endpoint> endpoint;
};
struct ReplyEvent {
    int code = 0;
    std::string text;                // first line's text
    std::vector<std::string> lines;  // every line as received
    // Per line, the frames holding its first and its last byte.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> line_frames;
    std::string to_verb;             // the command it answers; empty for the greeting or none
    std::uint64_t to_frame = 0;      // frame of that command (0 when none)
    bool greeting = false;           // the server's opening reply (RFC 959 §5.4: 120, 220, 421)
    // 227/229: the endpoint the text announces and where in the text it is (RFC 959 §4.1.2,
    // RFC 2428 §3; for 229 only the port is set); none for other codes or when none is found.
    std::optional<ftp::FoundEndpoint> endpoint;
};
struct DataEvent {
    std::uint64_t control_conn = 0;
    std::string mode;       // "active" or "passive"
    std::string command;    // LIST, RETR, ...
    std::string arg;        // the transfer command's argument
    std::string direction;  // "download" (server to client) or "upload"
    std::uint64_t bytes = 0;
    std::string sha256;     // hex of the bytes carried (hashed as they streamed)
    std::uint64_t rest = 0;  // REST offset in force for the transfer
    int completion = 0;      // 226, 250, 425, 426, 451 ...; 0 when none was captured
    std::uint64_t open_frame = 0;  // first frame of the data connection (0: it never came)
    std::uint64_t completion_frame = 0;  // frame of the final reply's event (0: none captured)
    net::Endpoint data_client, data_server;  // who connected to whom
};
struct TcpAnalysisEvent {
    tcp::TcpEvent event = tcp::TcpEvent::kRst;
    // inconsistent_retransmission: which bytes differ and which copy the stream kept.
    std::optional<tcp::InconsistentBytes> inconsistency;
};
struct AnomalyEvent {
    std::string what;    // short stable name: "ftp_bounce", "gap", "reply_without_command" ...
    std::string detail;  // a sentence for people
};

using EventBody = std::variant<ConnOpen, ConnClose, CommandEvent, ReplyEvent, DataEvent,
                               TcpAnalysisEvent, AnomalyEvent>;

struct Event {
    std::uint64_t frame = 0;  // 1-based frame at which the event became known
    tcp::TimeNs time = 0;
    std::uint64_t conn = 0;  // TCP connection id (for data events: the data connection, 0 if none)
    net::Endpoint src, dst;  // for commands client->server, replies server->client
    EventBody body;
};

inline Event make_event(std::uint64_t frame, tcp::TimeNs time, std::uint64_t conn,
                        const net::Endpoint& src, const net::Endpoint& dst, EventBody body) {
    Event e;
    e.frame = frame;
    e.time = time;
    e.conn = conn;
    e.src = src;
    e.dst = dst;
    e.body = std::move(body);
    return e;
}

// "conn", "command", "reply", "data", "tcp", "anomaly"
const char* event_kind_name(const Event& e);
const char* conn_role_name(ConnRole r);
const char* close_reason_name(tcp::CloseReason r);
// Which copy of inconsistent bytes the stream kept: "first" or "later".
const char* kept_copy_name(const tcp::InconsistentBytes& b);

}  // namespace ftpsim::analyzer
