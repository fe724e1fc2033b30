#include "explain/mermaid_diagram.hpp"

namespace ftpsim::explain {
namespace {

// Solid arrows for what the client sends, dashed for the server's; TCP and data with the open
// (async) head, so FTP messages stand out.
std::string_view arrow_token(const Arrow& a) {
    switch (a.kind) {
    case ArrowKind::kCommand:
    case ArrowKind::kReply: return a.from_client ? "->>" : "-->>";
    case ArrowKind::kTcp:
    case ArrowKind::kData: return a.from_client ? "-)" : "--)";
    }
    return "->>";
}

std::string frames_of(const Arrow& a) {
    return a.first_frame == a.last_frame
               ? std::to_string(a.first_frame)
               : std::to_string(a.first_frame) + "-" + std::to_string(a.last_frame);
}

std::string announcement_note(const Lesson& lesson, const Arrow& a) {
    const Lane& data = lesson.lanes.at(*a.announces);
    const std::string what = a.kind == ArrowKind::kCommand ? a.label.substr(0, a.label.find(' '))
                                                           : std::to_string(a.code);
    const net::Endpoint& listener = data.opened_by_client ? data.server_end : data.client_end;
    return what + " announces the data connection to :" + std::to_string(listener.port) + " (" +
           data.label + ")";
}

}  // namespace

std::string mermaid_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case ';': out += "#59;"; break;
        case '#': out += "#35;"; break;
        case '<': out += "#60;"; break;
        case '>': out += "#62;"; break;
        case '\n':
        case '\r': out += ' '; break;
        default: out += c;
        }
    }
    // Leading and trailing spaces are trimmed by Mermaid; keep the text as it will show.
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

std::string mermaid_client_id(std::size_t lane) { return "C" + std::to_string(lane); }
std::string mermaid_server_id(std::size_t lane) { return "S" + std::to_string(lane); }

std::string mermaid_sequence_diagram(const Lesson& lesson) {
    std::string out = "sequenceDiagram\n";
    for (std::size_t i = 0; i < lesson.lanes.size(); ++i) {
        const Lane& lane = lesson.lanes[i];
        out += "    participant " + mermaid_client_id(i) + " as " +
               mermaid_text("client :" + std::to_string(lane.client_end.port) + " (" + lane.label + ")") + "\n";
        out += "    participant " + mermaid_server_id(i) + " as " +
               mermaid_text("server :" + std::to_string(lane.server_end.port) + " (" + lane.label + ")") + "\n";
    }
    for (const Arrow& a : lesson.arrows) {
        const std::string c = mermaid_client_id(a.lane), s = mermaid_server_id(a.lane);
        const std::string& from = a.from_client ? c : s;
        const std::string& to = a.from_client ? s : c;
        std::string text = mermaid_text("[" + frames_of(a) + "] " + a.label);
        out += "    " + from + std::string(arrow_token(a)) + to + ": " + text + "\n";
        if (a.announces && *a.announces < lesson.lanes.size())
            out += "    Note over " + c + "," + s + ": " + mermaid_text(announcement_note(lesson, a)) + "\n";
    }
    return out;
}

}  // namespace ftpsim::explain
