#include <cstdio>

#include "ftp/command.hpp"
#include "render/renderers.hpp"

namespace ftpsim::render {

std::string format_seconds(tcp::TimeNs ns) {
    bool neg = ns < 0;
    std::uint64_t v = static_cast<std::uint64_t>(neg ? -ns : ns);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s%llu.%06llu", neg ? "-" : "",
                  static_cast<unsigned long long>(v / 1'000'000'000),
                  static_cast<unsigned long long>(v % 1'000'000'000 / 1000));
    return buf;
}

TextRenderer::TextRenderer(std::ostream& out, std::ostream& err, bool show_secrets)
    : WarningsTo(err), out_(out), show_secrets_(show_secrets) {}

void TextRenderer::on_event(const analyzer::Event& e) {
    EventTextOptions opt{show_secrets_, nullptr};
    out_ << '#' << e.frame << ' ' << format_seconds(e.time - start_) << ' ' << event_text(e, opt)
         << '\n';
}

GoldenRenderer::GoldenRenderer(std::ostream& err, std::set<std::uint16_t> keep_ports)
    : WarningsTo(err), ports_(std::move(keep_ports)) {}

void GoldenRenderer::on_event(const analyzer::Event& e) {
    // When a data connection opens or closes relative to the 150/226 replies is a race between
    // two TCP connections; the data event, reported once both are done, holds what is certain.
    // An abnormal close (RST, end of capture) is kept: it is part of what a scenario shows.
    if (auto* o = std::get_if<analyzer::ConnOpen>(&e.body); o && o->role == analyzer::ConnRole::kFtpData)
        return;
    if (auto* c = std::get_if<analyzer::ConnClose>(&e.body);
        c && c->role == analyzer::ConnRole::kFtpData && c->reason == tcp::CloseReason::kFin)
        return;
    EventTextOptions opt{false, &ports_};
    std::string line = event_text(e, opt);
    // A data event is known only once its connection has closed on both sides, and when the
    // server's FIN comes relative to the next commands is a race between two connections (after
    // a 550 the client closes a PASV connection at once; the server's FIN may cross the QUIT).
    // So the golden form puts it right after the final reply of its transfer command (after
    // data lines already there, keeping their order), where every run has it. A transfer whose
    // connection never closes (a SYN nobody answered) is reported only at the end of the
    // capture, so the reply is found by its frame, not as the latest one.
    if (auto* d = std::get_if<analyzer::DataEvent>(&e.body); d && d->completion != 0) {
        if (auto a = transfer_reply_line_.find({d->control_conn, d->completion_frame});
            a != transfer_reply_line_.end()) {
            std::size_t at = a->second + 1;
            while (at < lines_.size() && line_is_data_[at]) ++at;
            insert_line(at, std::move(line), true);
            return;
        }
    }
    if (auto* r = std::get_if<analyzer::ReplyEvent>(&e.body);
        r && r->code >= 200 && ftp::is_transfer_verb(r->to_verb)) {
        transfer_reply_line_[{e.conn, e.frame}] = lines_.size();
    }
    // Real TCP repeats probes, window updates and duplicate ACKs a varying number of times;
    // the golden form keeps that they happened, not how often in a row.
    if (std::holds_alternative<analyzer::TcpAnalysisEvent>(e.body)) {
        if (line == last_tcp_line_) return;
        last_tcp_line_ = line;
    } else {
        last_tcp_line_.clear();
    }
    insert_line(lines_.size(), std::move(line), std::holds_alternative<analyzer::DataEvent>(e.body));
}

void GoldenRenderer::insert_line(std::size_t at, std::string line, bool is_data) {
    lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(at), std::move(line));
    line_is_data_.insert(line_is_data_.begin() + static_cast<std::ptrdiff_t>(at), is_data);
    for (auto& [conn, index] : transfer_reply_line_)
        if (index >= at && at < lines_.size() - 1) ++index;
}

std::string GoldenRenderer::text() const {
    std::string out;
    for (const auto& l : lines_) out += l + "\n";
    return out;
}

TableRenderer::TableRenderer(std::ostream& out, std::ostream& err) : WarningsTo(err), out_(out) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%7s %-11s %-24s %-24s %-8s %6s %s\n", "No.", "Time", "Source",
                  "Destination", "Protocol", "Length", "Info");
    out_ << buf;
}

void TableRenderer::on_packet(const analyzer::PacketSummary& p) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%7llu %-11s %-24s %-24s %-8s %6u ",
                  static_cast<unsigned long long>(p.frame), format_seconds(p.time - start_).c_str(),
                  p.source.c_str(), p.destination.c_str(), p.protocol.c_str(), p.length);
    out_ << buf << p.info << '\n';
}

}  // namespace ftpsim::render
