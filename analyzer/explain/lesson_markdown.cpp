// render_markdown(): the lesson as one Markdown document (GitHub-flavoured: tables and a
// ```mermaid block, which GitHub, GitLab and most editors draw).
#include <cstdio>

#include "explain/lesson.hpp"
#include "explain/mermaid_diagram.hpp"

namespace ftpsim::explain {
namespace {

// Characters Markdown would read as markup inside a table cell or a list item: escaped, so a
// file name like "a_b*c" or a reply with '|' shows as it was sent.
std::string md(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '|': out += "\\|"; break;
        case '\\': out += "\\\\"; break;
        case '`': out += "\\`"; break;
        case '*': out += "\\*"; break;
        case '_': out += "\\_"; break;
        case '[': out += "\\["; break;
        case ']': out += "\\]"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '\n':
        case '\r': out += ' '; break;
        default: out += c;
        }
    }
    return out;
}

// Seconds with microseconds, as Wireshark's Time column shows them.
std::string seconds(std::int64_t ns) {
    char buf[32];
    const bool negative = ns < 0;
    const std::uint64_t abs = negative ? static_cast<std::uint64_t>(-ns) : static_cast<std::uint64_t>(ns);
    std::snprintf(buf, sizeof buf, "%s%llu.%06llu", negative ? "-" : "",
                  static_cast<unsigned long long>(abs / 1'000'000'000),
                  static_cast<unsigned long long>(abs % 1'000'000'000 / 1000));
    return buf;
}

std::string opened_by(const Lane& lane) {
    const net::Endpoint& from = lane.opened_by_client ? lane.client_end : lane.server_end;
    return std::string(lane.opened_by_client ? "client" : "server") + " from port " +
           std::to_string(from.port) + (lane.handshake_seen ? "" : " (handshake not captured)");
}

void summary(std::string& out, const Lesson& l) {
    const LessonSummary& s = l.summary;
    out += "## Summary\n\n";
    out += "- Capture: `" + s.capture + "`, " + std::to_string(s.frames) + " frames over " +
           seconds(s.duration_ns) + " s\n";
    if (!s.client.empty()) out += "- FTP client: " + md(s.client) + "; FTP server: " + md(s.server) + "\n";
    if (!s.banner.empty()) out += "- The server's greeting: " + md(s.banner) + "\n";
    out += "- " + std::to_string(s.commands) + " commands, " + std::to_string(s.replies) +
           " replies, " + std::to_string(s.data_connections) + " data connections";
    if (!s.modes.empty()) {
        out += " (";
        for (std::size_t i = 0; i < s.modes.size(); ++i) out += (i ? ", " : "") + md(s.modes[i]);
        out += ")";
    }
    out += "\n- " + std::to_string(l.lanes.size()) + " TCP connections, each a lane of the diagram below\n\n";
}

void lanes(std::string& out, const Lesson& l) {
    out += "## Connections\n\n";
    out += "| Lane | Connection | Client end | Server end | Opened by | Opened at | Closed |\n";
    out += "| ---: | --- | --- | --- | --- | ---: | --- |\n";
    for (std::size_t i = 0; i < l.lanes.size(); ++i) {
        const Lane& lane = l.lanes[i];
        std::string closed = lane.close_reason.empty()
                                 ? "open at the end"
                                 : md(lane.close_reason) + " at " + seconds(lane.close_time_ns) +
                                       " s (frame " + std::to_string(lane.close_frame) + ")";
        out += "| " + std::to_string(i) + " | " + md(lane.label) + " | " + md(lane.client_end.str()) +
               " | " + md(lane.server_end.str()) + " | " + opened_by(lane) + " | " +
               seconds(lane.open_time_ns) + " s (frame " + std::to_string(lane.open_frame) + ") | " +
               closed + " |\n";
    }
    out += "\n";
}

void packets(std::string& out, const Lesson& l) {
    out += "## Packets\n\n";
    out += "Wireshark's columns, and what each packet does.\n\n";
    out += "| No. | Time | Source | Destination | Protocol | Length | Info | What happens |\n";
    out += "| ---: | ---: | --- | --- | --- | ---: | --- | --- |\n";
    for (const PacketRow& p : l.packets)
        out += "| " + std::to_string(p.frame) + " | " + seconds(p.time_ns) + " | " + md(p.source) +
               " | " + md(p.destination) + " | " + md(p.protocol) + " | " + std::to_string(p.length) +
               " | " + md(p.info) + " | " + md(p.what) + " |\n";
    out += "\n";
}

void addresses(std::string& out, const Lesson& l) {
    out += "## Address arithmetic\n\n";
    if (l.addresses.empty()) {
        out += "No PORT, EPRT, 227 or 229 in this capture.\n\n";
        return;
    }
    out += "PORT and 227 write a port as two numbers, high byte first (RFC 959 §4.1.2); EPRT and "
           "229 write it in decimal (RFC 2428).\n\n";
    for (const AddressWorking& a : l.addresses) {
        out += "- Frame " + std::to_string(a.frame) + ": " + md(a.message) + "\n";
        out += "  - address " + md(a.host) + ", port " + std::to_string(a.port) + ": " + md(a.arithmetic) + "\n";
        out += "  - " + md(a.who_listens) + "\n";
    }
    out += "\n";
}

void reply_codes(std::string& out, const Lesson& l) {
    out += "## Reply codes\n\n";
    out += "Each code read digit by digit (RFC 959 §4.2.1), in the order they first appear.\n\n";
    out += "| Code | First seen | Text | First digit | Second digit | Meaning |\n";
    out += "| ---: | ---: | --- | --- | --- | --- |\n";
    for (const ReplyCodeReading& r : l.reply_codes)
        out += "| " + std::to_string(r.code) + " | frame " + std::to_string(r.first_frame) + " | " +
               md(r.text) + " | " + md(r.first_digit) + " | " + md(r.second_digit) + " | " +
               md(r.meaning) + " |\n";
    out += "\n";
}

void tcp_moments(std::string& out, const Lesson& l) {
    out += "## TCP moments\n\n";
    if (l.tcp_moments.empty()) {
        out += "No TCP moments.\n\n";
        return;
    }
    for (const TcpMoment& m : l.tcp_moments) {
        const std::string lane = m.lane < l.lanes.size() ? l.lanes[m.lane].label : "?";
        out += "- Frame " + std::to_string(m.frame) + " (" + seconds(m.time_ns) + " s), " + md(lane) +
               ", **" + md(m.event) + "**: " + md(m.explanation) + "\n";
    }
    out += "\n";
}

}  // namespace

std::string render_markdown(const Lesson& lesson) {
    std::string out = "# " + md(lesson.title) + "\n\n";
    summary(out, lesson);
    out += "## Sequence diagram\n\n";
    out += "One lane per TCP connection: its client end and its server end. Solid arrows go from "
           "the client, dashed ones from the server; open heads are TCP segments and data.\n\n";
    out += "```mermaid\n" + mermaid_sequence_diagram(lesson) + "```\n\n";
    lanes(out, lesson);
    packets(out, lesson);
    addresses(out, lesson);
    reply_codes(out, lesson);
    tcp_moments(out, lesson);
    if (!lesson.warnings.empty()) {
        out += "## Warnings\n\n";
        for (const std::string& w : lesson.warnings) out += "- " + md(w) + "\n";
        out += "\n";
    }
    return out;
}

}  // namespace ftpsim::explain
