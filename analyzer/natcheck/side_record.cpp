#include "natcheck/side_record.hpp"

#include <unordered_map>

#include "capture/capture_reader.hpp"

namespace ftpsim::natcheck {
namespace {

constexpr std::size_t kMaxWarnings = 20;
constexpr const char* kHostPort = "<host-port>";

// The argument or reply text with the announced host-port replaced by a placeholder.
std::string cut_span(const std::string& text, std::size_t pos, std::size_t len) {
    if (pos > text.size()) return text;
    return text.substr(0, pos) + kHostPort + text.substr(std::min(text.size(), pos + len));
}

}  // namespace

const char* announcement_kind_name(AnnouncementKind k) {
    switch (k) {
        case AnnouncementKind::kPort: return "port";
        case AnnouncementKind::kEprt: return "eprt";
        case AnnouncementKind::kPasv: return "pasv";
        case AnnouncementKind::kEpsv: return "epsv";
    }
    return "?";
}

const char* announcement_label(AnnouncementKind k) {
    switch (k) {
        case AnnouncementKind::kPort: return "PORT";
        case AnnouncementKind::kEprt: return "EPRT";
        case AnnouncementKind::kPasv: return "227";
        case AnnouncementKind::kEpsv: return "229";
    }
    return "?";
}

struct SideRecorder::Impl : analyzer::EventSink {
    Impl(std::string capture, analyzer::AnalyzeOptions options)
        : analyzer(*this, std::move(options), capture) {
        record.capture = std::move(capture);
    }

    void on_start(tcp::TimeNs t) override { first_time = t; }
    void on_warning(const std::string& message) override {
        if (record.warnings.size() < kMaxWarnings) record.warnings.push_back(message);
    }
    void on_event(const analyzer::Event& e) override;
    void on_segment(const tcp::TcpSegment& seg, const tcp::SegmentSummary& s) override;

    ControlRecord* control(std::uint64_t conn) {
        auto it = control_index.find(conn);
        return it == control_index.end() ? nullptr : &record.controls[it->second];
    }
    void announce(ControlRecord& c, AnnouncementKind kind, const net::Endpoint& value,
                  std::string raw, std::uint64_t frame) {
        Announcement a;
        a.kind = kind;
        a.value = value;
        a.raw = std::move(raw);
        a.frame = frame;
        a.message = c.messages.size() - 1;
        c.announcements.push_back(std::move(a));
        const std::pair<std::size_t, std::size_t> where{static_cast<std::size_t>(&c - record.controls.data()),
                                                        c.announcements.size() - 1};
        listeners[value] = where;
        // Most clients connect to the control connection's server address with the 227's port,
        // whatever address the 227 names (curl's default since 7.74: --ftp-skip-pasv-ip).
        if (kind == AnnouncementKind::kPasv) listeners[used_by_clients(c, value)] = where;
    }
    static net::Endpoint used_by_clients(const ControlRecord& c, const net::Endpoint& value) {
        return net::Endpoint{c.server.addr, value.port};
    }
    void link_data(ControlRecord& c, const analyzer::DataEvent& d);

    analyzer::Analyzer analyzer;
    SideRecord record;
    tcp::TimeNs first_time = 0;
    std::unordered_map<std::uint64_t, std::size_t> control_index;  // conn id -> controls[]
    // Announced endpoint -> (control, announcement): the latest announcement of it wins.
    std::unordered_map<net::Endpoint, std::pair<std::size_t, std::size_t>, net::EndpointHash> listeners;
};

void SideRecorder::Impl::on_event(const analyzer::Event& e) {
    using namespace analyzer;
    if (const auto* open = std::get_if<ConnOpen>(&e.body)) {
        if (open->role != ConnRole::kFtpControl || control_index.count(e.conn) != 0) return;
        ControlRecord c;
        c.conn = e.conn;
        c.client = e.src;
        c.server = e.dst;
        c.open_frame = e.frame;
        c.open_time = e.time - first_time;
        control_index[e.conn] = record.controls.size();
        record.controls.push_back(std::move(c));
        return;
    }
    if (const auto* cmd = std::get_if<CommandEvent>(&e.body)) {
        ControlRecord* c = control(e.conn);
        if (c == nullptr) return;
        ControlMessage m;
        m.frame = e.frame;
        m.secret = cmd->secret;
        m.masked = cmd->verb;
        if (!cmd->arg.empty()) m.masked += " " + (cmd->endpoint ? std::string(kHostPort) : cmd->arg);
        c->messages.push_back(std::move(m));
        if (cmd->endpoint)
            announce(*c, cmd->verb == "PORT" ? AnnouncementKind::kPort : AnnouncementKind::kEprt,
                     *cmd->endpoint, cmd->arg, e.frame);
        return;
    }
    if (const auto* reply = std::get_if<ReplyEvent>(&e.body)) {
        ControlRecord* c = control(e.conn);
        if (c == nullptr) return;
        ControlMessage m;
        m.reply = true;
        m.frame = e.frame;
        m.masked = std::to_string(reply->code) + " " +
                   (reply->endpoint ? cut_span(reply->text, reply->endpoint->pos, reply->endpoint->len)
                                    : reply->text);
        for (std::size_t i = 1; i < reply->lines.size(); ++i) m.masked += "\n" + reply->lines[i];
        c->messages.push_back(std::move(m));
        if (reply->endpoint && (reply->code == 227 || reply->code == 229)) {
            const ftp::FoundEndpoint& found = *reply->endpoint;
            std::string raw = found.pos <= reply->text.size() ? reply->text.substr(found.pos, found.len) : "";
            if (reply->code == 227)
                announce(*c, AnnouncementKind::kPasv, found.endpoint, std::move(raw), e.frame);
            else
                announce(*c, AnnouncementKind::kEpsv, net::Endpoint{c->server.addr, found.endpoint.port},
                         std::move(raw), e.frame);
        }
        return;
    }
    if (const auto* data = std::get_if<DataEvent>(&e.body)) {
        if (ControlRecord* c = control(data->control_conn)) link_data(*c, *data);
    }
}

// A transfer belongs to the announcement naming its listener (the data connection's server
// side, in both modes); a transfer whose connection never came belongs to the latest
// announcement still without one.
void SideRecorder::Impl::link_data(ControlRecord& c, const analyzer::DataEvent& d) {
    Announcement* target = nullptr;
    for (auto it = c.announcements.rbegin(); it != c.announcements.rend() && target == nullptr; ++it)
        if (!it->data.transfer && d.open_frame != 0 &&
            (it->value == d.data_server ||
             (it->kind == AnnouncementKind::kPasv && used_by_clients(c, it->value) == d.data_server)))
            target = &*it;
    for (auto it = c.announcements.rbegin(); it != c.announcements.rend() && target == nullptr; ++it)
        if (!it->data.transfer) target = &*it;
    if (target == nullptr) return;
    DataSeen& s = target->data;
    s.transfer = true;
    s.established = d.open_frame != 0 && (target->syn.answered || d.bytes > 0);
    s.command = d.command;
    s.client = d.data_client;
    s.server = d.data_server;
    s.bytes = d.bytes;
    s.sha256 = d.sha256;
    s.completion = d.completion;
    s.open_frame = d.open_frame;
}

void SideRecorder::Impl::on_segment(const tcp::TcpSegment& seg, const tcp::SegmentSummary& s) {
    if (ControlRecord* c = control(s.conn->id)) {
        SegmentFact f;
        f.dir = s.dir;
        f.frame = seg.frame;
        f.seq = s.relative_seq;
        f.ack = s.relative_ack;
        f.len = static_cast<std::uint32_t>(seg.payload.size()) + seg.captured_payload_missing;
        f.flags = seg.flags;
        // SACK edges are in the peer's sequence space, as the acknowledgement is.
        const std::uint32_t peer_isn = seg.ack - s.relative_ack;
        f.sack_count = seg.has(tcp::kAck) ? seg.sack_count : 0;
        for (std::uint8_t i = 0; i < f.sack_count; ++i)
            f.sack[i] = {seg.sack[i].left - peer_isn, seg.sack[i].right - peer_isn};
        c->segments.push_back(f);
        return;
    }
    if (!seg.has(tcp::kSyn)) return;
    if (seg.has(tcp::kAck)) {
        auto answer = listeners.find(seg.src);
        if (answer != listeners.end())
            record.controls[answer->second.first].announcements[answer->second.second].syn.answered = true;
        return;
    }
    auto it = listeners.find(seg.dst);
    if (it == listeners.end()) return;
    SynSeen& syn = record.controls[it->second.first].announcements[it->second.second].syn;
    if (syn.count++ == 0) {
        syn.first_frame = seg.frame;
        syn.source = seg.src;
        syn.destination = seg.dst;
    }
}

SideRecorder::SideRecorder(std::string capture, analyzer::AnalyzeOptions options)
    : impl_(std::make_unique<Impl>(std::move(capture), std::move(options))) {}

SideRecorder::~SideRecorder() = default;

void SideRecorder::put(const capture::RawFrame& frame) { impl_->analyzer.put(frame); }

void SideRecorder::warn(const std::string& message) { impl_->on_warning(message); }

SideRecord SideRecorder::finish() {
    impl_->record.stats = impl_->analyzer.finish();
    return std::move(impl_->record);
}

SideRecord record_file(const std::string& path, const analyzer::AnalyzeOptions& options) {
    SideRecorder recorder(path, options);
    capture::CaptureReader reader(path, [&](const std::string& w) { recorder.warn(w); });
    capture::RawFrame raw;
    while (reader.next(raw)) recorder.put(raw);
    return recorder.finish();
}

}  // namespace ftpsim::natcheck
