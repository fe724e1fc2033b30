// LessonBuilder::finish: what can be written only once the capture has been read — lane labels
// (a transfer is known when it ends), times and notes by frame, the moments' sentences, the
// address arithmetic with the data connection it brought, and the summary.
#include <set>
#include <variant>

#include "explain/address_working.hpp"
#include "explain/lesson_builder.hpp"
#include "explain/tcp_moments.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::explain {
namespace {

std::string plural(std::uint64_t n, const std::string& one) {
    return std::to_string(n) + " " + one + (n == 1 ? "" : "s");
}

}  // namespace

Lesson LessonBuilder::finish(std::string title, std::string capture_name) {
    Lesson& l = lesson_;
    l.title = std::move(title);
    l.summary.capture = std::move(capture_name);
    l.summary.frames = l.packets.size();
    l.summary.duration_ns = l.packets.empty() ? 0 : l.packets.back().time_ns;

    std::uint64_t data_number = 0;
    std::set<std::string> modes_seen;
    for (Lane& lane : l.lanes) {
        lane.open_time_ns = time_of(lane.open_frame);
        if (lane.role == analyzer::ConnRole::kFtpControl) {
            lane.label = "control";
            continue;
        }
        if (lane.role != analyzer::ConnRole::kFtpData) {
            lane.label = "tcp";
            continue;
        }
        ++data_number;
        if (auto t = transfers_.find(lane.conn); t != transfers_.end()) {
            const analyzer::DataEvent& d = t->second;
            lane.transfer = d.command + (d.arg.empty() ? "" : " " + ftp::escape_bytes(d.arg));
            if (lane.mode.empty()) {
                lane.mode = d.mode;
                // Who connected to whom, as the analyzer paired them.
                lane.opened_by_client = d.mode != "active";
            }
        }
        lane.label = "data " + std::to_string(data_number) +
                     (lane.transfer.empty() ? "" : ": " + lane.transfer) +
                     (lane.mode.empty() ? "" : " (" + lane.mode + ")");
        if (!lane.mode.empty() && modes_seen.insert(lane.mode).second) l.summary.modes.push_back(lane.mode);
    }
    l.summary.data_connections = data_number;

    for (Arrow& a : l.arrows) {
        a.time_ns = time_of(a.first_frame);
        a.note = sentence_of(a.first_frame);
    }
    for (const auto& [arrow, run] : data_runs_)
        l.arrows[arrow].label = plural(run.bytes, "byte") +
                                (run.segments > 1 ? " in " + plural(run.segments, "segment") : "");

    std::set<std::size_t> lanes_with_fin;
    for (const PendingMoment& p : moments_) {
        TcpMoment& m = l.tcp_moments[p.moment];
        m.time_ns = time_of(m.frame);
        const Lane& lane = l.lanes[m.lane];
        if (p.event) m.explanation = explain_tcp_event(*p.event, lane, p.from_client);
        else if (m.event == "handshake") m.explanation = explain_handshake(lane);
        else if (m.event == "fin")
            m.explanation = explain_fin(lane, p.from_client, lanes_with_fin.insert(m.lane).second);
        else if (m.event == "rst") m.explanation = explain_rst(lane, p.from_client);
        if (p.repeats > 0)
            m.explanation += " The same happens " + plural(p.repeats, "more time") + " on this connection.";
    }

    for (const PendingAddress& p : addresses_) {
        const Arrow& arrow = l.arrows[p.arrow];
        std::optional<std::uint16_t> data_from;
        if (arrow.announces) {
            const Lane& lane = l.lanes[*arrow.announces];
            data_from = lane.opened_by_client ? lane.client_end.port : lane.server_end.port;
        }
        std::optional<AddressWorking> w;
        if (const auto* c = std::get_if<analyzer::CommandEvent>(&p.event.body))
            w = work_command_address(*c, arrow.first_frame, data_from);
        else if (const auto* r = std::get_if<analyzer::ReplyEvent>(&p.event.body))
            w = work_reply_address(*r, arrow.first_frame, p.event.src.addr, data_from);
        if (w) l.addresses.push_back(std::move(*w));
    }

    const Lane* control = nullptr;
    for (const Lane& lane : l.lanes)
        if (lane.role == analyzer::ConnRole::kFtpControl) {
            control = &lane;
            break;
        }
    if (control == nullptr && !l.lanes.empty()) control = &l.lanes.front();
    if (control != nullptr) {
        l.summary.client = control->client_end.addr.str();
        l.summary.server = control->server_end.str();
    }
    return std::move(lesson_);
}

}  // namespace ftpsim::explain
