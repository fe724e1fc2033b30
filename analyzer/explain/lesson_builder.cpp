#include "explain/lesson_builder.hpp"

#include <algorithm>
#include <variant>

#include "explain/address_working.hpp"
#include "explain/reply_code_reading.hpp"
#include "explain/tcp_moments.hpp"
#include "ftp/command.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::explain {
namespace {

std::string command_label(const analyzer::CommandEvent& c) {
    if (c.arg.empty()) return c.verb;
    return c.verb + " " + (c.secret ? std::string(ftp::kSecretMask) : ftp::escape_bytes(c.arg));
}

// The first line as the server sent it; the other lines of a multi-line reply (RFC 959 §4.2)
// are counted, since the arrow stands for all of them.
std::string reply_label(const analyzer::ReplyEvent& r) {
    std::string label = r.lines.empty() ? std::to_string(r.code) + " " + ftp::escape_bytes(r.text)
                                         : ftp::escape_bytes(r.lines.front());
    if (r.lines.size() > 1) label += " (+" + std::to_string(r.lines.size() - 1) + " lines)";
    return label;
}

}  // namespace

LessonBuilder::LessonBuilder(WarningFn warn) : warn_(std::move(warn)) { annotator_.keep_all(false); }

analyzer::AnalyzeOptions LessonBuilder::options() { return annotate::FrameAnnotator::options(); }

void LessonBuilder::on_start(tcp::TimeNs first_frame_time) {
    start_ = first_frame_time;
    started_ = true;
    annotator_.on_start(first_frame_time);
}

void LessonBuilder::on_warning(const std::string& message) {
    lesson_.warnings.push_back(message);
    if (warn_) warn_(message);
}

std::size_t LessonBuilder::add_arrow(Arrow arrow) {
    const std::size_t index = lesson_.arrows.size();
    last_arrow_of_lane_.at(arrow.lane) = index;
    lesson_.arrows.push_back(std::move(arrow));
    return index;
}

void LessonBuilder::add_moment(std::size_t lane, std::uint64_t frame, const std::string& name,
                               std::optional<tcp::TcpEvent> event, bool from_client) {
    // One moment per kind, lane and direction: a hundred duplicate ACKs teach what one does.
    const auto key = std::make_pair(lane, name + (from_client ? "/client" : "/server"));
    if (auto it = moment_of_.find(key); it != moment_of_.end()) {
        ++moments_[it->second].repeats;
        return;
    }
    TcpMoment m;
    m.frame = frame;
    m.lane = lane;
    m.event = name;
    moment_of_[key] = moments_.size();
    moments_.push_back({lesson_.tcp_moments.size(), event, from_client, 0});
    lesson_.tcp_moments.push_back(std::move(m));
}

std::size_t LessonBuilder::open_lane(const analyzer::Event& e, const analyzer::ConnOpen& open) {
    Lane lane;
    lane.conn = e.conn;
    lane.role = open.role;
    lane.handshake_seen = open.handshake;
    lane.open_frame = e.frame;
    lane.client_end = e.src;  // the TCP client (the SYN's sender) until the mode says otherwise
    lane.server_end = e.dst;
    std::optional<std::size_t> announcement;
    if (open.role == analyzer::ConnRole::kFtpData) {
        // The latest announcement of the address the SYN went to (as the analyzer pairs them).
        for (std::size_t i = announcements_.size(); i-- > 0;) {
            if (announcements_[i].endpoint != e.dst) continue;
            announcement = i;
            break;
        }
    }
    if (announcement) {
        Announcement& a = announcements_[*announcement];
        a.used = true;
        lane.mode = a.mode;
        lane.announced_by = a.arrow;
        if (a.mode == "active") {  // RFC 959 §3.2: the server connects to the client's address
            lane.client_end = e.dst;
            lane.server_end = e.src;
            lane.opened_by_client = false;
        }
    }
    const std::size_t index = lesson_.lanes.size();
    lane_of_conn_[e.conn] = index;
    lesson_.lanes.push_back(std::move(lane));
    last_arrow_of_lane_.push_back(std::nullopt);
    if (announcement) lesson_.arrows[announcements_[*announcement].arrow].announces = index;
    if (open.handshake) add_moment(index, e.frame, "handshake", std::nullopt, lesson_.lanes.back().opened_by_client);
    return index;
}

std::size_t LessonBuilder::lane_for(const tcp::TcpSegment& segment, const tcp::SegmentSummary& summary) {
    if (auto it = lane_of_conn_.find(summary.conn->id); it != lane_of_conn_.end()) return it->second;
    // The analyzer opens every connection before its first segment; this only guards against a
    // connection it did not report.
    analyzer::Event e = analyzer::make_event(segment.frame, segment.time, summary.conn->id,
                                             summary.conn->client, summary.conn->server, {});
    return open_lane(e, analyzer::ConnOpen{analyzer::ConnRole::kTcp, summary.conn->saw_handshake});
}

void LessonBuilder::on_command(const analyzer::Event& e, const analyzer::CommandEvent& c) {
    Arrow a;
    a.kind = ArrowKind::kCommand;
    a.lane = lane_of_conn_.at(e.conn);
    a.from_client = true;
    a.first_frame = c.first_frame != 0 ? c.first_frame : e.frame;
    a.last_frame = e.frame;
    a.label = command_label(c);
    const std::size_t index = add_arrow(std::move(a));
    ++lesson_.summary.commands;
    if (c.endpoint && (c.verb == "PORT" || c.verb == "EPRT")) {
        announcements_.push_back({*c.endpoint, index, "active", false});
        addresses_.push_back({index, e});
    }
}

void LessonBuilder::on_reply(const analyzer::Event& e, const analyzer::ReplyEvent& r) {
    Arrow a;
    a.kind = ArrowKind::kReply;
    a.lane = lane_of_conn_.at(e.conn);
    a.from_client = false;
    a.first_frame = r.line_frames.empty() ? e.frame : r.line_frames.front().first;
    a.last_frame = e.frame;
    a.label = reply_label(r);
    a.code = r.code;
    const std::size_t index = add_arrow(std::move(a));
    ++lesson_.summary.replies;
    if (r.greeting && lesson_.summary.banner.empty()) lesson_.summary.banner = ftp::escape_bytes(r.text);
    if (!reply_code_index_.contains(r.code)) {
        reply_code_index_[r.code] = lesson_.reply_codes.size();
        lesson_.reply_codes.push_back(
            read_reply_code(r.code, lesson_.arrows[index].first_frame, ftp::escape_bytes(r.text)));
    }
    if (r.endpoint && (r.code == 227 || r.code == 229)) {
        net::Endpoint ep = r.endpoint->endpoint;
        if (r.code == 229) ep.addr = e.src.addr;  // RFC 2428 §3: the control server's address
        announcements_.push_back({ep, index, "passive", false});
        addresses_.push_back({index, e});
    }
}

void LessonBuilder::on_event(const analyzer::Event& e) {
    annotator_.on_event(e);
    if (const auto* open = std::get_if<analyzer::ConnOpen>(&e.body)) {
        open_lane(e, *open);
    } else if (const auto* close = std::get_if<analyzer::ConnClose>(&e.body)) {
        if (auto it = lane_of_conn_.find(e.conn); it != lane_of_conn_.end()) {
            Lane& lane = lesson_.lanes[it->second];
            lane.close_frame = e.frame;
            lane.close_time_ns = e.time - start_;
            lane.close_reason = analyzer::close_reason_name(close->reason);
        }
    } else if (const auto* command = std::get_if<analyzer::CommandEvent>(&e.body)) {
        on_command(e, *command);
    } else if (const auto* reply = std::get_if<analyzer::ReplyEvent>(&e.body)) {
        on_reply(e, *reply);
    } else if (const auto* data = std::get_if<analyzer::DataEvent>(&e.body)) {
        if (e.conn != 0) transfers_[e.conn] = *data;
    } else if (const auto* analysis = std::get_if<analyzer::TcpAnalysisEvent>(&e.body)) {
        // The other analysis events are flags of a segment (on_segment draws them); this one is
        // a fact of the stream and comes only as an event.
        if (analysis->event != tcp::TcpEvent::kInconsistentRetransmission) return;
        auto it = lane_of_conn_.find(e.conn);
        if (it == lane_of_conn_.end()) return;
        const bool from_client = e.src == lesson_.lanes[it->second].client_end;
        add_tcp_arrow(it->second, from_client, e.frame,
                      std::string(tcp::tcp_event_label(analysis->event)),
                      std::string(tcp::tcp_event_name(analysis->event)));
        add_moment(it->second, e.frame, std::string(tcp::tcp_event_name(analysis->event)),
                   analysis->event, from_client);
    } else if (const auto* anomaly = std::get_if<analyzer::AnomalyEvent>(&e.body)) {
        lesson_.warnings.push_back("frame " + std::to_string(e.frame) + ": " + anomaly->what + ": " +
                                   anomaly->detail);
    }
}

void LessonBuilder::add_tcp_arrow(std::size_t lane, bool from_client, std::uint64_t frame,
                                  std::string label, std::string event) {
    Arrow a;
    a.kind = ArrowKind::kTcp;
    a.lane = lane;
    a.from_client = from_client;
    a.first_frame = a.last_frame = frame;
    a.label = std::move(label);
    a.tcp_event = std::move(event);
    add_arrow(std::move(a));
}

void LessonBuilder::add_data(std::size_t lane, bool from_client, std::uint64_t frame,
                             std::uint64_t bytes) {
    // A run goes on while nothing else was drawn on the lane and the bytes flow the same way.
    auto run = open_run_.find(lane);
    if (run != open_run_.end() && last_arrow_of_lane_[lane] == run->second &&
        lesson_.arrows[run->second].from_client == from_client) {
        DataRun& totals = data_runs_[run->second];
        totals.bytes += bytes;
        ++totals.segments;
        lesson_.arrows[run->second].last_frame = frame;
        return;
    }
    Arrow a;
    a.kind = ArrowKind::kData;
    a.lane = lane;
    a.from_client = from_client;
    a.first_frame = a.last_frame = frame;
    const std::size_t index = add_arrow(std::move(a));
    open_run_[lane] = index;
    data_runs_[index] = {bytes, 1};
}

void LessonBuilder::on_segment(const tcp::TcpSegment& seg, const tcp::SegmentSummary& summary) {
    annotator_.on_segment(seg, summary);
    const std::size_t lane = lane_for(seg, summary);
    const Lane& l = lesson_.lanes[lane];
    const bool from_client = seg.src == l.client_end;
    const std::uint64_t payload = seg.payload.size() + seg.captured_payload_missing;
    if (seg.has(tcp::kSyn))
        add_tcp_arrow(lane, from_client, seg.frame, seg.has(tcp::kAck) ? "SYN/ACK" : "SYN",
                      seg.has(tcp::kAck) ? "syn_ack" : "syn");
    // Commands and replies are the control connection's payload; data arrows are the others'.
    if (payload > 0 && !seg.has(tcp::kSyn) && l.role != analyzer::ConnRole::kFtpControl)
        add_data(lane, from_client, seg.frame, payload);
    for (int bit = 0; bit < tcp::kTcpEventCount; ++bit) {
        const auto event = static_cast<tcp::TcpEvent>(bit);
        if (event == tcp::TcpEvent::kRst || !summary.has(event)) continue;
        add_tcp_arrow(lane, from_client, seg.frame, std::string(tcp::tcp_event_label(event)),
                      std::string(tcp::tcp_event_name(event)));
        add_moment(lane, seg.frame, std::string(tcp::tcp_event_name(event)), event, from_client);
    }
    if (seg.has(tcp::kFin)) {
        add_tcp_arrow(lane, from_client, seg.frame, "FIN", "fin");
        add_moment(lane, seg.frame, "fin", std::nullopt, from_client);
    }
    if (seg.has(tcp::kRst)) {
        add_tcp_arrow(lane, from_client, seg.frame, "RST", "rst");
        add_moment(lane, seg.frame, "rst", std::nullopt, from_client);
    }
}

void LessonBuilder::on_packet(const analyzer::PacketSummary& packet) {
    annotator_.on_packet(packet);
    if (!started_) {
        start_ = packet.time;
        started_ = true;
    }
    PacketRow row;
    row.frame = packet.frame;
    row.time_ns = packet.time - start_;
    row.source = packet.source;
    row.destination = packet.destination;
    row.protocol = packet.protocol;
    row.length = packet.length;
    row.info = packet.info;
    row.what = annotator_.sentence();
    lesson_.packets.push_back(std::move(row));
}

std::int64_t LessonBuilder::time_of(std::uint64_t frame) const {
    const auto& rows = lesson_.packets;
    auto it = std::lower_bound(rows.begin(), rows.end(), frame,
                               [](const PacketRow& r, std::uint64_t f) { return r.frame < f; });
    return it != rows.end() && it->frame == frame ? it->time_ns : 0;
}

const std::string& LessonBuilder::sentence_of(std::uint64_t frame) const {
    static const std::string none;
    const auto& rows = lesson_.packets;
    auto it = std::lower_bound(rows.begin(), rows.end(), frame,
                               [](const PacketRow& r, std::uint64_t f) { return r.frame < f; });
    return it != rows.end() && it->frame == frame ? it->what : none;
}

}  // namespace ftpsim::explain
