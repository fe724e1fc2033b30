#include "annotate/frame_annotator.hpp"

#include <variant>

#include "annotate/packet_sentences.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::annotate {
namespace {

// Commands whose data goes over a data connection (RFC 959 §4.1.3, RFC 3659 §7).
bool transfer_verb(const std::string& verb) {
    return verb == "RETR" || verb == "STOR" || verb == "STOU" || verb == "APPE" || verb == "LIST" ||
           verb == "NLST" || verb == "MLSD";
}

}  // namespace

analyzer::AnalyzeOptions FrameAnnotator::options() {
    analyzer::AnalyzeOptions o;
    o.packet_summaries = true;
    return o;
}

void FrameAnnotator::learn(const analyzer::Event& e) {
    if (const auto* open = std::get_if<analyzer::ConnOpen>(&e.body)) {
        ConnState& c = conns_[e.conn];
        c.facts.role = open->role;
        if (open->role != analyzer::ConnRole::kFtpData) return;
        // The latest announcement of the endpoint the data connection's SYN went to.
        for (auto it = announced_.rbegin(); it != announced_.rend(); ++it) {
            if (it->endpoint != e.dst) continue;
            c.facts.mode = it->mode;
            c.control = it->control;
            break;
        }
        return;
    }
    if (const auto* cmd = std::get_if<analyzer::CommandEvent>(&e.body)) {
        if (cmd->endpoint) announced_.push_back({e.conn, *cmd->endpoint, "active"});
        if (transfer_verb(cmd->verb))
            transfer_[e.conn] = cmd->verb + (cmd->arg.empty() || cmd->secret
                                                 ? ""
                                                 : " " + ftp::escape_bytes(cmd->arg));
        return;
    }
    if (const auto* reply = std::get_if<analyzer::ReplyEvent>(&e.body)) {
        if (!reply->endpoint || (reply->code != 227 && reply->code != 229)) return;
        net::Endpoint ep = reply->endpoint->endpoint;
        if (reply->code == 229) ep.addr = e.src.addr;  // RFC 2428 §3: the control server's address
        announced_.push_back({e.conn, ep, "passive"});
    }
}

void FrameAnnotator::on_event(const analyzer::Event& e) {
    learn(e);
    pending_.events.push_back(e);
}

void FrameAnnotator::on_segment(const tcp::TcpSegment& seg, const tcp::SegmentSummary& summary) {
    ConnState& c = conns_[summary.conn->id];
    SegmentFacts s;
    s.src = seg.src;
    s.dst = seg.dst;
    s.from_tcp_client = summary.dir == tcp::Direction::kClientToServer;
    s.flags = seg.flags;
    s.payload_length = seg.payload.size() + seg.captured_payload_missing;
    s.relative_seq = summary.relative_seq;
    s.relative_ack = summary.relative_ack;
    s.scaled_window = summary.scaled_window;
    s.analysis = summary.events;
    // The handshake (RFC 9293 §3.5): SYN, SYN/ACK, then the client's first ACK completes it.
    const bool syn = seg.has(tcp::kSyn), ack = seg.has(tcp::kAck);
    if (syn && !ack && c.handshake == 0) c.handshake = 1;
    else if (syn && ack && c.handshake == 1) c.handshake = 2;
    else if (!syn && ack && c.handshake == 2 && s.from_tcp_client) {
        c.handshake = 3;
        s.completes_handshake = true;
    }
    // A FIN takes one sequence number (RFC 9293 §3.4): the ACK one past it acknowledges it.
    const int me = static_cast<int>(summary.dir), peer = 1 - me;
    if (seg.has(tcp::kFin))
        c.fin_end[me] = summary.relative_seq + static_cast<std::uint32_t>(s.payload_length) + 1;
    if (ack && c.fin_end[peer] != 0 && !c.fin_acked[peer] && summary.relative_ack == c.fin_end[peer]) {
        c.fin_acked[peer] = true;
        s.acks_fin = true;
    }
    s.conn = c.facts;
    if (c.control != 0) {
        auto t = transfer_.find(c.control);
        if (t != transfer_.end()) s.conn.transfer = t->second;
    }
    pending_.segment = s;
}

void FrameAnnotator::on_packet(const analyzer::PacketSummary& packet) {
    pending_.number = packet.frame;
    pending_.protocol = packet.protocol;
    pending_.info = packet.info;
    facts_ = std::move(pending_);
    pending_ = FrameFacts{};
    sentence_ = explain_frame(facts_);
    if (keep_all_) all_.push_back(sentence_);
}

}  // namespace ftpsim::annotate
