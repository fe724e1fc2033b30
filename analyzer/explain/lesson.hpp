// The lesson of one capture, as plain data: what `ftpsim explain` renders as Markdown (with a
// Mermaid sequence diagram) or as one self-contained HTML page (with an SVG ladder drawn by
// ftpsim itself). build_lesson() fills it from the analyzer's decode and the annotate sentences
// (annotate/frame_annotator.hpp); the renderers only lay it out, so tests can build a Lesson by
// hand and check each renderer alone.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "decode/events.hpp"
#include "net/endpoint.hpp"

namespace ftpsim::explain {

// One TCP connection: a lane of the ladder, between its end on the FTP client's host and its
// end on the FTP server's host. Lanes are in order of first appearance (the analyzer's
// connection ids), so the control connection is usually lane 0.
struct Lane {
    std::uint64_t conn = 0;  // the analyzer's connection id (Event::conn)
    analyzer::ConnRole role = analyzer::ConnRole::kTcp;
    std::string label;          // "control", "data 1: LIST (active)"
    net::Endpoint client_end;   // the FTP client's end (for data connections too)
    net::Endpoint server_end;   // the FTP server's end
    bool opened_by_client = true;  // who sent the SYN (false: the server, as in active mode)
    bool handshake_seen = true;    // false: the capture started mid-connection
    std::uint64_t open_frame = 0, close_frame = 0;  // 0: not in the capture
    std::int64_t open_time_ns = 0, close_time_ns = 0;  // relative to the first frame
    std::string close_reason;   // "fin", "rst", ... (analyzer::close_reason_name); empty: open
    // Data connections: "active" / "passive", the transfer ("RETR 1.psd"), and the arrow index
    // (into Lesson::arrows) of the PORT/EPRT command or 227/229 reply that announced it.
    std::string mode, transfer;
    std::optional<std::size_t> announced_by;
};

enum class ArrowKind : std::uint8_t {
    kCommand,  // an FTP command (client to server)
    kReply,    // an FTP reply, every line of a multi-line one in one arrow
    kTcp,      // SYN, SYN/ACK, FIN, RST, and TCP analysis events (zero window, probe ...)
    kData,     // payload on a data connection; consecutive segments one way are one arrow
};

// One arrow of the ladder, drawn on its lane at its time.
struct Arrow {
    ArrowKind kind = ArrowKind::kTcp;
    std::size_t lane = 0;        // index into Lesson::lanes
    bool from_client = true;     // from the FTP client's end to the FTP server's end
    std::uint64_t first_frame = 0, last_frame = 0;  // equal unless segments were merged
    std::int64_t time_ns = 0;    // of first_frame, relative to the first frame
    std::string label;           // "USER alfon", "227 Entering Passive Mode (...)", "SYN", "10808 bytes"
    std::string note;            // the annotate sentence of first_frame (empty: none)
    // PORT/EPRT commands and 227/229 replies: the lane (index) of the data connection they
    // announced, once it came; none when it never came or for other arrows.
    std::optional<std::size_t> announces;
    // kReply: the code (0 otherwise); kTcp: the analysis event name or "syn", "fin", "rst".
    int code = 0;
    std::string tcp_event;
};

// A row of the packet table: Wireshark's default columns plus the sentence.
struct PacketRow {
    std::uint64_t frame = 0;
    std::int64_t time_ns = 0;  // relative to the first frame
    std::string source, destination, protocol;
    std::uint32_t length = 0;
    std::string info;
    std::string what;  // the annotate sentence
};

// PORT/PASV/EPRT/EPSV arithmetic spelled out (RFC 959 §4.1.2, RFC 2428 §2-3).
struct AddressWorking {
    std::uint64_t frame = 0;
    std::string message;      // "PORT 192,168,1,5,8,156" or "227 Entering Passive Mode (...)"
    std::string host;         // "192.168.1.5"
    int port = 0;             // 2204
    std::string arithmetic;   // "8*256+156 = 2204" (EPRT/EPSV: "the port is given in decimal")
    std::string who_listens;  // "the client listens; the server connects from port 20"
};

// A reply code read digit by digit (RFC 959 §4.2.1 and §4.2.2): once per distinct code.
struct ReplyCodeReading {
    int code = 0;
    std::uint64_t first_frame = 0;
    std::string text;          // the first line's text as the server sent it
    std::string first_digit;   // "2: positive completion"
    std::string second_digit;  // "2: connections (RFC 959 §4.2.1)"
    std::string meaning;       // "service ready for new user"
};

// A TCP event explained where it happens.
struct TcpMoment {
    std::uint64_t frame = 0;
    std::int64_t time_ns = 0;
    std::size_t lane = 0;
    std::string event;        // "handshake", "fin", "rst", "zero_window", "zero_window_probe",
                              // "window_update", "retransmission", ...
    std::string explanation;  // a sentence or two for a student
};

struct LessonSummary {
    std::string capture;        // the file name as given
    std::uint64_t frames = 0;
    std::int64_t duration_ns = 0;
    std::string client, server;  // "192.168.1.5", "192.168.1.10:21"
    std::string banner;          // the greeting's first line text
    std::vector<std::string> modes;  // "active", "passive" as the data connections used them
    std::uint64_t commands = 0, replies = 0, data_connections = 0;
};

struct Lesson {
    std::string title;  // "Lesson: active_filezilla.client.pcap"
    LessonSummary summary;
    std::vector<Lane> lanes;
    std::vector<Arrow> arrows;  // in frame order
    std::vector<PacketRow> packets;
    std::vector<AddressWorking> addresses;
    std::vector<ReplyCodeReading> reply_codes;
    std::vector<TcpMoment> tcp_moments;
    std::vector<std::string> warnings;  // the analyzer's warnings about the input
};

// Reads the capture (pcap or pcapng) and builds its lesson. Throws capture::CaptureError naming
// the file when it cannot be read. `title` empty: "Lesson: " and the file's name.
Lesson build_lesson(const std::string& capture_path, const std::string& title,
                    const std::function<void(const std::string&)>& warn);

// The renderers (lesson_markdown.cpp, lesson_html.cpp, ladder_svg.cpp). Pure functions.
std::string render_markdown(const Lesson& lesson);  // with a Mermaid sequenceDiagram block
std::string render_svg(const Lesson& lesson);       // the ladder alone, a standalone <svg>
std::string render_html(const Lesson& lesson);      // one self-contained page, SVG inline

}  // namespace ftpsim::explain
