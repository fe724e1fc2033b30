#include "decode/control_session.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "ftp/address_codec.hpp"
#include "ftp/reply_table.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::analyzer {
namespace {

std::optional<std::uint64_t> parse_decimal(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end == s.data()) return std::nullopt;
    return v;
}

}  // namespace

bool looks_like_line_start(tcp::Direction dir, std::span<const std::uint8_t> b) {
    std::string_view s(reinterpret_cast<const char*>(b.data()), std::min<std::size_t>(b.size(), 5));
    if (dir == tcp::Direction::kServerToClient) {
        return s.size() >= 4 && ftp::reply_code_of(s).has_value() && (s[3] == ' ' || s[3] == '-');
    }
    std::size_t n = 0;
    while (n < s.size() && std::isalpha(static_cast<unsigned char>(s[n]))) ++n;
    return n >= 3 && n <= 4 && ftp::is_known_verb(ftp::to_upper_ascii(s.substr(0, n)));
}

ControlSession::ControlSession(const tcp::ConnectionInfo& conn, EventSink& sink,
                               DataChannels& data, const AnalyzeOptions& options)
    : ends_{conn.id, conn.client, conn.server},
      sink_(sink),
      options_(options),
      data_(data),
      client_lines_(options.max_line),
      server_lines_(options.max_line) {}

void ControlSession::emit(std::uint64_t frame, tcp::TimeNs time, bool from_client, EventBody body) {
    sink_.on_event(make_event(frame, time, ends_.conn, from_client ? ends_.client : ends_.server,
                              from_client ? ends_.server : ends_.client, std::move(body)));
}

void ControlSession::anomaly(std::uint64_t frame, tcp::TimeNs time, bool from_client,
                             std::string what, std::string detail) {
    emit(frame, time, from_client, AnomalyEvent{std::move(what), std::move(detail)});
}

void ControlSession::line_anomalies(const ftp::Line& line, std::uint64_t frame, tcp::TimeNs time,
                                    bool from_client) {
    if (line.overlong) {
        anomaly(frame, time, from_client, "overlong_line",
                std::string(from_client ? "command" : "reply") + " line of " +
                    std::to_string(line.end_offset - line.start_offset) +
                    " bytes; only the first " + std::to_string(line.text.size()) + " kept");
    }
    // RFC 959 §4.1.3 asks for CRLF; bare LF is common enough to mention once, not per line.
    if (line.lf_only && !told_lf_only_[from_client ? 0 : 1]) {
        told_lf_only_[from_client ? 0 : 1] = true;
        anomaly(frame, time, from_client, "lf_only_line_end",
                std::string("the ") + (from_client ? "client" : "server") +
                    " ends lines with LF instead of CRLF");
    }
}

void ControlSession::on_data(tcp::Direction dir, std::uint64_t offset,
                             std::span<const std::uint8_t> bytes, std::uint64_t frame,
                             tcp::TimeNs time) {
    scratch_.clear();
    bool from_client = dir == tcp::Direction::kClientToServer;
    FrameMap& frames = from_client ? client_frames_ : server_frames_;
    frames.add(offset, frame);
    ftp::LineSplitter& splitter = from_client ? client_lines_ : server_lines_;
    // Servers and clients write a reply or command per send, so after a gap a segment that
    // starts like a reply ("226 ") or a known command most likely starts a line: decode it
    // rather than wait for the next line end (as Wireshark, which decodes segments alone, does).
    if (splitter.resyncing() && looks_like_line_start(dir, bytes)) splitter.assume_line_start();
    splitter.feed(bytes, scratch_);
    // The frames where the lines began are looked up before the map forgets what came before
    // the last line's end: a line split across segments began in an earlier one.
    line_first_frames_.clear();
    for (const auto& line : scratch_) line_first_frames_.push_back(frames.frame_at(line.start_offset));
    if (!scratch_.empty()) frames.forget_before(scratch_.back().end_offset);
    if (from_client) {
        for (std::size_t i = 0; i < scratch_.size(); ++i) {
            line_anomalies(scratch_[i], frame, time, true);
            handle_command(scratch_[i], line_first_frames_[i], frame, time);
        }
        return;
    }
    for (std::size_t i = 0; i < scratch_.size(); ++i) {
        const ftp::Line& line = scratch_[i];
        line_anomalies(line, frame, time, false);
        auto status = replies_.feed(line.text);
        if (status != ftp::ReplyAssembler::Status::kNotAReply) reply_line_frames_.emplace_back(line_first_frames_[i], frame);
        switch (status) {
            case ftp::ReplyAssembler::Status::kComplete:
                handle_reply(replies_.take(), frame, time);
                break;
            case ftp::ReplyAssembler::Status::kNeedMore:
                break;
            case ftp::ReplyAssembler::Status::kNotAReply:
                anomaly(frame, time, false, "not_a_reply",
                        "server line is not a reply: " + ftp::escape_bytes(line.text));
                break;
        }
    }
}

void ControlSession::handle_command(const ftp::Line& line, std::uint64_t first_frame,
                                    std::uint64_t frame, tcp::TimeNs time) {
    auto cmd = ftp::parse_command(line.text);
    if (!cmd) {
        if (!line.text.empty())
            anomaly(frame, time, true, "not_a_command",
                    "client line is not a command: " + ftp::escape_bytes(line.text));
        return;
    }
    greeted_ = true;  // a capture that starts mid-session has no greeting to wait for
    const std::string& verb = cmd->verb;
    CommandEvent event;
    event.verb = cmd->verb;
    event.arg = cmd->arg;
    event.first_frame = first_frame;
    event.secret = options_.secrets.secret(verb, cmd->arg);
    if (verb == "PORT") event.endpoint = ftp::parse_port_argument(cmd->arg);
    if (verb == "EPRT") event.endpoint = ftp::parse_eprt_argument(cmd->arg);
    const std::optional<net::Endpoint> ep = event.endpoint;
    emit(frame, time, true, std::move(event));
    remember_pending(Pending{cmd->verb, cmd->arg, frame}, time);

    if (verb == "PORT" || verb == "EPRT") {
        if (!ep) return;  // the server will answer 501; nothing to expect
        // RFC 2577 §3: a PORT naming a third host is the FTP bounce attack.
        if (ep->addr != ends_.client.addr) {
            anomaly(frame, time, true, "ftp_bounce",
                    verb + " names " + ep->addr.str() + ", not the control connection's client " +
                        ends_.client.addr.str());
        }
        data_.announce(ends_, false, *ep, frame);
    } else if (ftp::is_transfer_verb(verb)) {
        std::optional<std::uint64_t> size;
        if (verb == "RETR") {
            if (auto s = sizes_.find(cmd->arg); s != sizes_.end()) size = s->second;
        }
        data_.transfer_command(ends_, verb, cmd->arg, rest_, size, frame, time);
        rest_ = 0;  // REST applies to the one transfer that follows it (RFC 3659 §5.3)
    }
}

void ControlSession::remember_pending(Pending command, tcp::TimeNs time) {
    if (pending_.size() < options_.max_pending_commands) {
        pending_.push_back(std::move(command));
        return;
    }
    // A client that never waits for replies (or a server that never sends them) must not grow
    // the analyzer without bound. The oldest commands are kept: replies come in order (RFC 959
    // §4.2), so the ones already waiting still pair correctly.
    if (told_too_many_pending_) return;
    told_too_many_pending_ = true;
    anomaly(command.frame, time, true, "too_many_pending_commands",
            "more than " + std::to_string(options_.max_pending_commands) +
                " commands wait for a reply; later ones are not paired with replies");
}

void ControlSession::handle_reply(ftp::Reply reply, std::uint64_t frame, tcp::TimeNs time) {
    ReplyEvent r;
    r.code = reply.code;
    r.text = reply.text;
    r.lines = reply.lines;
    if (reply.code == 227) r.endpoint = ftp::find_pasv_endpoint(reply.text);
    if (reply.code == 229) r.endpoint = ftp::find_epsv_port(reply.text);
    r.line_frames = std::move(reply_line_frames_);
    reply_line_frames_.clear();
    if (pending_.empty()) {
        // RFC 959 §5.4: the connection opens with 220 (or 120 then 220, or 421). Anything else
        // first is a capture that began after the greeting.
        bool greeting_code = reply.code == 120 || reply.code == 220 || reply.code == 421;
        if (!greeted_ && greeting_code) {
            greeted_ = reply.code >= 200;
            r.greeting = true;
        } else {
            greeted_ = true;
            anomaly(frame, time, false, "reply_without_command",
                    std::to_string(reply.code) + " reply with no command waiting for it");
        }
        emit(frame, time, false, std::move(r));
        return;
    }
    Pending to = pending_.front();
    r.to_verb = to.verb;
    r.to_frame = to.frame;
    if (reply.code >= 200) pending_.pop_front();  // 1yz replies are preliminary (RFC 959 §4.2)
    const std::optional<ftp::FoundEndpoint> announced = r.endpoint;
    emit(frame, time, false, std::move(r));
    after_reply(to, reply, announced, frame, time);
}

void ControlSession::after_reply(const Pending& to, const ftp::Reply& reply,
                                 const std::optional<ftp::FoundEndpoint>& announced,
                                 std::uint64_t frame, tcp::TimeNs time) {
    const int code = reply.code;
    if (!ftp::allowed_replies(to.verb).empty() && !ftp::reply_allowed(to.verb, code)) {
        anomaly(frame, time, false, "unexpected_reply",
                std::to_string(code) + " is not a reply RFC 959/2428/3659 allow for " + to.verb);
    }
    if (to.verb == "PASV" && code == 227) {
        if (announced)
            data_.announce(ends_, true, announced->endpoint, frame);
        else
            anomaly(frame, time, false, "bad_pasv_reply", "227 reply without an address");
    } else if (to.verb == "EPSV" && code == 229) {
        // RFC 2428 §3: the port is on the control connection's server address.
        if (announced)
            data_.announce(ends_, true, net::Endpoint{ends_.server.addr, announced->endpoint.port}, frame);
        else
            anomaly(frame, time, false, "bad_epsv_reply", "229 reply without a port");
    } else if ((to.verb == "PORT" || to.verb == "EPRT") && code >= 300) {
        data_.withdraw_active(ends_.conn);
    } else if (to.verb == "REST" && code == 350) {
        rest_ = parse_decimal(to.arg).value_or(0);
    } else if (to.verb == "SIZE" && code == 213) {
        if (auto n = parse_decimal(reply.text)) sizes_[to.arg] = *n;
    } else if (ftp::is_transfer_verb(to.verb)) {
        data_.transfer_reply(ends_.conn, code, reply.text, frame, time);
    }
}

void ControlSession::on_gap(tcp::Direction dir, std::uint64_t offset, std::uint64_t length,
                            std::uint64_t frame, tcp::TimeNs time) {
    bool from_client = dir == tcp::Direction::kClientToServer;
    (from_client ? client_lines_ : server_lines_).skip(length);
    anomaly(frame, time, from_client, "gap",
            std::to_string(length) + " bytes of the " + (from_client ? "client's" : "server's") +
                " control stream were not captured (stream offset " + std::to_string(offset) +
                "); decoding resumes at the next line");
}

void ControlSession::on_close(std::uint64_t frame, tcp::TimeNs time) {
    if (auto line = client_lines_.flush()) {
        anomaly(frame, time, true, "unterminated_line", "the client's last line has no line end");
        handle_command(*line, client_frames_.frame_at(line->start_offset), frame, time);
    }
    if (auto line = server_lines_.flush()) {
        anomaly(frame, time, false, "unterminated_line", "the server's last line has no line end");
        auto status = replies_.feed(line->text);
        if (status != ftp::ReplyAssembler::Status::kNotAReply)
            reply_line_frames_.emplace_back(server_frames_.frame_at(line->start_offset), frame);
        if (status == ftp::ReplyAssembler::Status::kComplete)
            handle_reply(replies_.take(), frame, time);
    }
    if (auto partial = replies_.flush()) {
        anomaly(frame, time, false, "unterminated_reply",
                "multi-line " + std::to_string(partial->code) + " reply never closed");
        handle_reply(std::move(*partial), frame, time);
    }
    for (const auto& p : pending_) {
        anomaly(frame, time, true, "command_without_reply",
                p.verb + " (frame " + std::to_string(p.frame) + ") got no reply");
    }
    pending_.clear();
    data_.control_closed(ends_.conn, frame, time);
}

}  // namespace ftpsim::analyzer
