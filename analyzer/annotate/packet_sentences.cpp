#include "annotate/packet_sentences.hpp"

#include <variant>

#include "tcp/segment.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::annotate {
namespace {

using analyzer::ConnRole;
using tcp::TcpEvent;

bool has_flag(const SegmentFacts& s, tcp::TcpFlag f) { return (s.flags & f) != 0; }
bool has_event(const SegmentFacts& s, TcpEvent e) { return (s.analysis >> static_cast<int>(e)) & 1; }

// In active mode the FTP server opens the data connection (RFC 959 §3.2), so the TCP client is
// the FTP server; everywhere else the side that sent the SYN is the FTP client.
bool tcp_client_is_ftp_server(const SegmentFacts& s) {
    return s.conn.role == ConnRole::kFtpData && s.conn.mode == "active";
}

std::string side_name(const SegmentFacts& s, bool tcp_client) {
    if (s.conn.role == ConnRole::kTcp) return tcp_client ? "the TCP client" : "the TCP server";
    return (tcp_client != tcp_client_is_ftp_server(s)) ? "the client" : "the server";
}
std::string sender(const SegmentFacts& s) { return side_name(s, s.from_tcp_client); }
std::string receiver(const SegmentFacts& s) { return side_name(s, !s.from_tcp_client); }
// "client" without the article, to start a sentence.
std::string bare(const std::string& side) { return side.substr(4); }

std::string conn_name(const SegmentFacts& s) {
    switch (s.conn.role) {
    case ConnRole::kFtpControl: return "control connection";
    case ConnRole::kFtpData: return "data connection";
    case ConnRole::kTcp: break;
    }
    return "TCP connection (not FTP)";
}

// Bytes of the segment as Wireshark numbers them (the first byte after the SYN is 1).
std::string byte_range(const SegmentFacts& s) {
    return "bytes " + std::to_string(s.relative_seq) + ".." +
           std::to_string(s.relative_seq + s.payload_length - 1);
}

std::string open_sentence(const SegmentFacts& s) {
    const std::string who = bare(sender(s));
    if (s.conn.role == ConnRole::kFtpControl)
        return who + " opens the control connection: SYN to port " + std::to_string(s.dst.port);
    if (s.conn.role == ConnRole::kFtpData) {
        std::string mode = s.conn.mode.empty() ? "" : " (" + s.conn.mode + " mode)";
        return who + " opens the data connection from port " + std::to_string(s.src.port) + " to " +
               std::to_string(s.dst.port) + mode + ": SYN";
    }
    return s.src.str() + " opens a TCP connection to " + s.dst.str() + " (not FTP): SYN";
}

// tcp.analysis flags in words, one clause each.
std::vector<std::string> analysis_clauses(const SegmentFacts& s) {
    std::vector<std::string> out;
    const std::string me = sender(s), peer = receiver(s);
    if (has_event(s, TcpEvent::kZeroWindow))
        out.push_back("receive window 0: " + me + "'s buffer is full, " + peer +
                      " must stop sending");
    if (has_event(s, TcpEvent::kWindowUpdate))
        out.push_back("window update: " + me + "'s buffer has room again (window " +
                      std::to_string(s.scaled_window) + " bytes)");
    if (has_event(s, TcpEvent::kWindowFull))
        out.push_back("window full: this segment fills " + peer + "'s receive window");
    if (has_event(s, TcpEvent::kZeroWindowProbe))
        out.push_back("zero-window probe: " + me + " asks whether " + peer + "'s window has opened");
    if (has_event(s, TcpEvent::kKeepAlive))
        out.push_back("keep-alive: " + me + " checks that the connection is still alive");
    if (has_event(s, TcpEvent::kRetransmission)) {
        if (has_flag(s, tcp::kSyn))
            out.push_back("retransmission: " + me + " sends its SYN again (no answer yet)");
        else if (s.payload_length > 0)
            out.push_back("retransmission: " + me + " sends " + byte_range(s) +
                          " again (they were not acknowledged in time)");
        else
            out.push_back("retransmission: " + me + " sends this segment again");
    }
    if (has_event(s, TcpEvent::kOutOfOrder))
        out.push_back("out of order: " + byte_range(s) + " arrive after bytes sent later");
    if (has_event(s, TcpEvent::kDupAck))
        out.push_back("duplicate ACK: " + me + " still waits for byte " +
                      std::to_string(s.relative_ack) + " of " + peer +
                      "'s data (a segment is missing)");
    if (has_event(s, TcpEvent::kLostSegment))
        out.push_back("previous segment not captured: bytes before " +
                      std::to_string(s.relative_seq) + " were lost or not captured");
    return out;
}

// The segment's TCP meaning when no FTP message or analysis flag says more.
std::string tcp_sentence(const SegmentFacts& s) {
    const std::string me = sender(s), peer = receiver(s), conn = conn_name(s);
    if (has_flag(s, tcp::kRst))
        return bare(me) + " resets the " + conn + ": RST, it ends at once without a goodbye";
    if (has_flag(s, tcp::kSyn) && !has_flag(s, tcp::kAck)) return open_sentence(s);
    if (has_flag(s, tcp::kSyn))
        return bare(me) + " accepts the " + conn + ": SYN/ACK";
    if (has_flag(s, tcp::kFin))
        return bare(me) + " closes its side of the " + conn + ": FIN (it will send nothing more)";
    if (s.completes_handshake)
        return bare(me) + " completes the three-way handshake: the " + conn + " is open";
    if (s.payload_length > 0) {
        std::string who = bare(me) + " to " + peer.substr(4);
        if (s.conn.role == ConnRole::kFtpData) {
            std::string what = s.conn.transfer.empty() ? "data on the data connection"
                                                       : "data of " + s.conn.transfer;
            return what + ": " + byte_range(s) + ", " + who;
        }
        if (s.conn.role == ConnRole::kFtpControl)
            return std::string(s.from_tcp_client ? "part of a command" : "part of a reply") + ", " +
                   who + " (" + std::to_string(s.payload_length) + " bytes): it ends in a later segment";
        return std::to_string(s.payload_length) + " bytes on a " + conn + ", " + who;
    }
    if (s.acks_fin)
        return "ACK of " + peer + "'s FIN: " + me + " knows " + peer +
               " will send nothing more on the " + conn;
    if (s.relative_ack > 1)
        return "ACK: " + me + " has received " + peer + "'s bytes up to " +
               std::to_string(s.relative_ack - 1) + " on the " + conn;
    return "ACK on the " + conn;
}

std::string event_clause(const analyzer::Event& e) {
    if (const auto* c = std::get_if<analyzer::CommandEvent>(&e.body)) return explain_command(*c);
    if (const auto* r = std::get_if<analyzer::ReplyEvent>(&e.body)) return explain_reply(*r, e.src.addr);
    if (const auto* d = std::get_if<analyzer::DataEvent>(&e.body)) {
        std::string what = d->command + (d->arg.empty() ? "" : " " + d->arg);
        return "the " + d->mode + " transfer of " + what + " is over: " + std::to_string(d->bytes) +
               " bytes";
    }
    if (const auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body)) {
        if (t->event == TcpEvent::kInconsistentRetransmission && t->inconsistency)
            return std::string("the retransmitted bytes differ from the first copy; the receiver keeps the ") +
                   (t->inconsistency->later_copy_kept ? "later" : "first") + " copy";
        return "";
    }
    if (const auto* a = std::get_if<analyzer::AnomalyEvent>(&e.body)) return "note: " + a->detail;
    return "";  // connections opening and closing: the TCP flags say it
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += "; ";
        out += p;
    }
    return out;
}

}  // namespace

std::string explain_frame(const FrameFacts& frame) {
    std::vector<std::string> parts;
    if (frame.segment) parts = analysis_clauses(*frame.segment);
    bool ftp_message = false;
    for (const auto& e : frame.events) {
        std::string clause = event_clause(e);
        if (clause.empty()) continue;
        ftp_message = ftp_message || std::holds_alternative<analyzer::CommandEvent>(e.body) ||
                      std::holds_alternative<analyzer::ReplyEvent>(e.body);
        parts.push_back(std::move(clause));
    }
    if (frame.segment && !ftp_message && analysis_clauses(*frame.segment).empty())
        parts.insert(parts.begin(), tcp_sentence(*frame.segment));
    else if (frame.segment && ftp_message && has_flag(*frame.segment, tcp::kFin))
        parts.push_back("FIN: " + sender(*frame.segment) + " sends nothing more on the " +
                        conn_name(*frame.segment));
    if (!frame.segment && parts.empty())
        return (frame.protocol.empty() ? std::string("a packet") : frame.protocol) +
               (frame.info.empty() ? "" : " (" + frame.info + ")") +
               ": not TCP, not part of the FTP session";
    return join(parts);
}

}  // namespace ftpsim::annotate
