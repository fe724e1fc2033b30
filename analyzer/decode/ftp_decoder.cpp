#include "decode/ftp_decoder.hpp"

#include <string_view>

#include "ftp/command.hpp"

namespace ftpsim::analyzer {
namespace {

constexpr std::uint16_t kFtpControlPort = 21;  // RFC 959 §3.2; NAT tests use others too

// Services whose greetings look like FTP's "220 ..." (SMTP, NNTP): never taken for FTP.
bool lookalike_port(std::uint16_t port) {
    return port == 25 || port == 465 || port == 587 || port == 119 || port == 563;
}

}  // namespace

FtpDecoder::FtpDecoder(EventSink& sink, const AnalyzeOptions& options)
    : sink_(sink), options_(options), data_(sink) {}

FtpDecoder::~FtpDecoder() = default;

void FtpDecoder::emit_conn(const tcp::ConnectionInfo& c, std::uint64_t frame, tcp::TimeNs time,
                           EventBody body) {
    sink_.on_event(make_event(frame, time, c.id, c.client, c.server, std::move(body)));
}

void FtpDecoder::open_as(const tcp::ConnectionInfo& c, Conn& conn, ConnRole role) {
    conn.role = role;
    conn.undecided = false;
    if (role == ConnRole::kTcp) return;
    if (role == ConnRole::kFtpControl)
        conn.control = std::make_unique<ControlSession>(c, sink_, data_, options_);
    emit_conn(c, conn.open_frame, conn.open_time, ConnOpen{role, conn.handshake});
}

void FtpDecoder::on_open(const tcp::ConnectionInfo& c, const tcp::TcpSegment& first) {
    Conn& conn = conns_[c.id];
    conn.handshake = c.saw_handshake;
    conn.open_frame = first.frame;
    conn.open_time = first.time;
    if (data_.claim(c, first)) {
        open_as(c, conn, ConnRole::kFtpData);
    } else if (c.server.port == kFtpControlPort) {
        open_as(c, conn, ConnRole::kFtpControl);
    } else if (!lookalike_port(c.server.port) && !lookalike_port(c.client.port)) {
        conn.undecided = true;
    }
}

bool FtpDecoder::wants_payload(const tcp::ConnectionInfo& c) {
    auto it = conns_.find(c.id);
    return it != conns_.end() && (it->second.undecided || it->second.role != ConnRole::kTcp);
}

void FtpDecoder::on_data(const tcp::ConnectionInfo& c, tcp::Direction d, std::uint64_t offset,
                         std::span<const std::uint8_t> bytes, std::uint64_t frame,
                         tcp::TimeNs time) {
    auto it = conns_.find(c.id);
    if (it == conns_.end()) return;
    Conn& conn = it->second;
    if (conn.undecided)
        open_as(c, conn, looks_like_line_start(d, bytes) ? ConnRole::kFtpControl : ConnRole::kTcp);
    if (conn.role == ConnRole::kFtpControl)
        conn.control->on_data(d, offset, bytes, frame, time);
    else if (conn.role == ConnRole::kFtpData)
        data_.data_bytes(c.id, d, bytes);
}

void FtpDecoder::on_gap(const tcp::ConnectionInfo& c, tcp::Direction d, std::uint64_t offset,
                        std::uint64_t length, std::uint64_t frame, tcp::TimeNs time) {
    auto it = conns_.find(c.id);
    if (it == conns_.end()) return;
    if (it->second.role == ConnRole::kFtpControl)
        it->second.control->on_gap(d, offset, length, frame, time);
    else if (it->second.role == ConnRole::kFtpData)
        data_.data_gap(c.id, length);
}

void FtpDecoder::emit_tcp(const tcp::ConnectionInfo& c, tcp::Direction d, const tcp::TcpSegment& seg,
                          TcpAnalysisEvent body) {
    auto it = conns_.find(c.id);
    if (it == conns_.end() || it->second.role == ConnRole::kTcp) return;
    bool from_client = d == tcp::Direction::kClientToServer;
    sink_.on_event(make_event(seg.frame, seg.time, c.id, from_client ? c.client : c.server,
                              from_client ? c.server : c.client, std::move(body)));
}

void FtpDecoder::on_event(const tcp::ConnectionInfo& c, tcp::Direction d, tcp::TcpEvent ev,
                          const tcp::TcpSegment& seg) {
    emit_tcp(c, d, seg, TcpAnalysisEvent{ev, std::nullopt});
}

void FtpDecoder::on_inconsistency(const tcp::ConnectionInfo& c, tcp::Direction d,
                                  const tcp::InconsistentBytes& bytes, const tcp::TcpSegment& seg) {
    emit_tcp(c, d, seg, TcpAnalysisEvent{tcp::TcpEvent::kInconsistentRetransmission, bytes});
}

void FtpDecoder::on_close(const tcp::ConnectionInfo& c, tcp::CloseReason why,
                          std::uint64_t frame, tcp::TimeNs time) {
    auto it = conns_.find(c.id);
    if (it == conns_.end()) return;
    Conn& conn = it->second;
    if (conn.role == ConnRole::kFtpControl) conn.control->on_close(frame, time);
    if (conn.role != ConnRole::kTcp) emit_conn(c, frame, time, ConnClose{conn.role, why});
    if (conn.role == ConnRole::kFtpData) data_.data_closed(c.id, frame, time);
    conns_.erase(it);
}

void FtpDecoder::finish(std::uint64_t frame, tcp::TimeNs time) { data_.finish(frame, time); }

ConnRole FtpDecoder::role_of(std::uint64_t conn) const {
    auto it = conns_.find(conn);
    return it == conns_.end() ? ConnRole::kTcp : it->second.role;
}

}  // namespace ftpsim::analyzer
