// Ground truth from what was sent: each control line's bytes are placed in its connection's
// byte stream by the engine that wrote them; each frame at the capture point carries a known
// range of that stream. A line is reported at the frame after which a reader that reassembles
// the stream in order (RFC 9293 §3.10.7.4) holds all of it, which is where a correct dissector
// reports it, however the line was split, reordered or resent.
#include "sim/truth/ground_truth.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "ftp/command.hpp"

namespace ftpsim::sim::truth {
namespace {

struct Direction {
    bool isn_known = false;
    std::uint32_t isn = 0;
    std::uint64_t contiguous = 0;                     // bytes a reassembling reader holds
    std::map<std::uint64_t, std::uint64_t> pending;   // out-of-order ranges: begin -> end
    std::size_t next_line = 0;                        // the first line not yet complete
};

struct Connection {
    net::Endpoint initiator, responder;
    std::uint64_t first_frame = 0;
    Direction dir[2];  // 0: from the initiator
};

// Where each control line was first seen and where it completed.
struct LineFrames {
    std::uint64_t first = 0, complete = 0;
};

std::string without_line_end(const std::string& bytes) {
    std::string s = bytes;
    if (!s.empty() && s.back() == '\n') s.pop_back();
    if (!s.empty() && s.back() == '\r') s.pop_back();
    return s;
}

void add_range(Direction& d, std::uint64_t begin, std::uint64_t end) {
    if (end <= d.contiguous) return;
    if (begin > d.contiguous) {
        auto& e = d.pending[begin];
        e = std::max(e, end);
        return;
    }
    d.contiguous = end;
    for (auto it = d.pending.begin(); it != d.pending.end() && it->first <= d.contiguous;) {
        d.contiguous = std::max(d.contiguous, it->second);
        it = d.pending.erase(it);
    }
}

void note_events(const SentFrame& s, std::vector<std::string>& out) {
    // Sender's and network's reasons first, in a fixed order, then the flag.
    static constexpr std::pair<std::uint8_t, const char*> kNotes[] = {
        {vnet::kNoteRetransmission, "retransmission"}, {vnet::kNoteZeroWindow, "zero_window"},
        {vnet::kNoteZeroWindowProbe, "zero_window_probe"}, {vnet::kNoteWindowUpdate, "window_update"},
        {vnet::kNoteDuplicate, "duplicate"}, {vnet::kNoteReordered, "reordered"},
        {vnet::kNoteLost, "lost"},
    };
    for (const auto& [bit, name] : kNotes)
        if (s.notes & bit) out.emplace_back(name);
    if (s.has(vnet::kRst)) out.emplace_back("rst");
}

class Builder {
public:
    Builder(const ControlLedger& ledger, const FrameLog& log) : ledger_(ledger), log_(log) {}

    GroundTruth build() {
        for (std::size_t i = 0; i < log_.frames().size(); ++i) take_frame(i + 1, log_.frames()[i]);
        collect_lines();
        describe_connections();
        find_anomalies();
        return std::move(truth_);
    }

private:
    void take_frame(std::uint64_t number, const SentFrame& f) {
        const SentFrame& s = f;
        Connection& c = conns_[s.connection];
        if (s.has(vnet::kSyn) && !s.has(vnet::kAck) && c.first_frame == 0) {
            c.initiator = s.src;
            c.responder = s.dst;
            c.first_frame = number;
        }
        if (c.first_frame == 0)
            throw std::runtime_error("frame " + std::to_string(number) + ": connection " +
                                     std::to_string(s.connection) + " has no SYN at this capture point");
        const int d = s.src == c.initiator ? 0 : 1;
        if (d == 1 && s.src != c.responder)
            throw std::runtime_error("frame " + std::to_string(number) +
                                     ": addresses rewritten on the way (ground truth needs a capture point "
                                     "with no translating device between it and both hosts)");
        Direction& dir = c.dir[d];
        if (s.has(vnet::kSyn)) {
            dir.isn = s.seq;
            dir.isn_known = true;
        }
        TruthFrame t;
        t.frame = number;
        t.time_ns = f.time_ns;
        t.connection = s.connection;
        t.src = s.src;
        t.dst = s.dst;
        t.flags = s.flags;
        t.payload = f.payload;
        note_events(s, t.events);
        if (f.payload > 0) {
            if (!dir.isn_known) throw std::runtime_error("frame " + std::to_string(number) + ": data before the SYN");
            const std::uint64_t begin = static_cast<std::uint32_t>(s.seq - dir.isn - 1);
            const std::uint64_t end = begin + f.payload;
            t.stream_offset = begin;
            add_range(dir, begin, end);
            place_lines(number, s.connection, d == 0, begin, end, dir);
        }
        truth_.frames.push_back(std::move(t));
    }

    // For a control connection, the FTP client is the TCP initiator: direction 0 is its stream.
    // `number` is the frame about to be appended to truth_.frames.
    void place_lines(std::uint64_t number, std::uint32_t conn, bool from_client, std::uint64_t begin,
                     std::uint64_t end, Direction& dir) {
        const std::vector<SentLine>& lines = ledger_.lines(conn, from_client);
        if (lines.empty()) return;
        std::vector<LineFrames>& frames = line_frames_[{conn, from_client}];
        frames.resize(lines.size());
        auto it = std::upper_bound(lines.begin(), lines.end(), begin,
                                   [](std::uint64_t at, const SentLine& l) { return at < l.end; });
        for (; it != lines.end() && it->begin < end; ++it) {
            LineFrames& lf = frames[static_cast<std::size_t>(it - lines.begin())];
            if (lf.first == 0 && it->begin >= begin) lf.first = number;
        }
        while (dir.next_line < lines.size() && lines[dir.next_line].end <= dir.contiguous) {
            LineFrames& lf = frames[dir.next_line];
            if (lf.first == 0) lf.first = number;  // its first byte came in an earlier resend
            lf.complete = number;
            completed_.push_back({conn, from_client, dir.next_line, truth_.frames.size()});
            ++dir.next_line;
        }
    }

    void collect_lines() {
        // Commands and replies numbered per control connection, in stream order.
        std::map<std::pair<std::uint32_t, bool>, std::vector<std::uint32_t>> numbers;
        for (const auto& [key, frames] : line_frames_) {
            const auto& [conn, from_client] = key;
            const std::vector<SentLine>& lines = ledger_.lines(conn, from_client);
            std::vector<std::uint32_t>& n_of = numbers[key];
            std::uint32_t n = 0;
            for (std::size_t i = 0; i < lines.size(); ++i) {
                const SentLine& l = lines[i];
                const ControlMessage& m = l.message;
                const LineFrames lf = i < frames.size() ? frames[i] : LineFrames{};
                if (from_client) {
                    TruthCommand c;
                    c.connection = conn;
                    c.n = ++n;
                    c.line = without_line_end(l.bytes);
                    c.verb = m.verb;
                    c.arg = m.arg;
                    c.telnet = m.telnet;
                    c.endpoint = m.endpoint;
                    c.first_frame = lf.first;
                    c.frame = lf.complete;
                    channel_of_[{conn, c.n}] = m.channel;
                    truth_.commands.push_back(std::move(c));
                    n_of.push_back(n);
                    continue;
                }
                if (i == 0 || lines[i - 1].message.last) {
                    TruthReply r;
                    r.connection = conn;
                    r.n = ++n;
                    r.code = m.code;
                    r.answers = m.answers;
                    truth_.replies.push_back(std::move(r));
                }
                TruthReply& r = truth_.replies.back();
                r.lines.push_back({without_line_end(l.bytes), lf.first, lf.complete});
                if (m.last) {
                    r.endpoint = m.endpoint;
                    r.frame = lf.complete;
                }
                n_of.push_back(n);
            }
        }
        // Each frame lists what completes in it (a reply: when its last line does).
        for (const Completed& c : completed_) {
            const std::uint32_t n = numbers[{c.conn, c.from_client}][c.index];
            TruthFrame& f = truth_.frames[c.frame];
            if (c.from_client) {
                f.commands.push_back(n);
            } else if (ledger_.lines(c.conn, false)[c.index].message.last) {
                f.replies.push_back(n);
            }
        }
    }

    // The latest PORT/EPRT or 227/229 that named `to` and was complete before `syn_frame`.
    std::optional<std::pair<Announcement, std::uint32_t>> announcement_of(const net::Endpoint& to,
                                                                         std::uint64_t syn_frame) const {
        std::optional<std::pair<Announcement, std::uint32_t>> best;
        std::uint64_t best_frame = 0;
        for (const TruthCommand& c : truth_.commands) {
            if (c.endpoint == to && c.frame != 0 && c.frame < syn_frame && c.frame >= best_frame) {
                best = {{true, c.n}, c.connection};
                best_frame = c.frame;
            }
        }
        for (const TruthReply& r : truth_.replies) {
            if (r.endpoint == to && r.frame != 0 && r.frame < syn_frame && r.frame >= best_frame) {
                best = {{false, r.n}, r.connection};
                best_frame = r.frame;
            }
        }
        return best;
    }

    void describe_connections() {
        for (const auto& [id, c] : conns_) {
            TruthConnection t;
            t.id = id;
            t.client = c.initiator;
            t.server = c.responder;
            t.first_frame = c.first_frame;
            if (ledger_.is_control(id)) {
                t.role = TruthConnection::Role::kControl;
            } else if (const auto a = announcement_of(c.responder, c.first_frame)) {
                t.role = TruthConnection::Role::kData;
                t.announced_by = a->first;
                t.control = a->second;
                t.command = transfer_command(t.control, *t.announced_by);
            }
            truth_.connections.push_back(t);
        }
    }

    // The transfer command the announcement was made for: the client's own channel says which
    // (ControlMessage::channel), from the PORT/EPRT, or from the PASV/EPSV a 227/229 answers.
    std::uint32_t transfer_command(std::uint32_t control, const Announcement& a) const {
        std::uint32_t announcing_command = a.n;
        if (!a.by_command) {
            announcing_command = 0;
            for (const TruthReply& r : truth_.replies)
                if (r.connection == control && r.n == a.n) announcing_command = r.answers;
        }
        const auto ch = channel_of_.find({control, announcing_command});
        if (ch == channel_of_.end() || ch->second == 0) return 0;
        for (const TruthCommand& c : truth_.commands) {
            if (c.connection != control || c.n <= announcing_command) continue;
            const auto other = channel_of_.find({control, c.n});
            if (other != channel_of_.end() && other->second == ch->second &&
                ftp::is_transfer_verb(ftp::to_upper_ascii(c.verb))) {
                return c.n;
            }
        }
        return 0;
    }

    void find_anomalies() {
        // What the generator did that a dissector should notice, from the truth itself.
        std::map<std::uint32_t, std::map<std::uint32_t, std::uint64_t>> final_reply_frame;  // conn -> n -> frame
        for (const TruthReply& r : truth_.replies) {
            if (r.answers != 0 && r.code >= 200) final_reply_frame[r.connection][r.answers] = r.frame;
            if (r.answers == 0 && r.n != 1)
                truth_.anomalies.push_back({r.frame, "unsolicited_reply",
                                            "reply " + std::to_string(r.code) + " answers no command"});
        }
        for (const TruthCommand& c : truth_.commands) {
            if (c.telnet)
                truth_.anomalies.push_back({c.frame, "telnet_command",
                                            "Telnet commands (IAC ...) before " + c.verb + " (RFC 959 §4.1.3)"});
            if (c.n > 1) {
                const auto& finals = final_reply_frame[c.connection];
                const auto prev = finals.find(c.n - 1);
                if (c.first_frame != 0 && (prev == finals.end() || c.first_frame < prev->second))
                    truth_.anomalies.push_back({c.first_frame, "pipelined",
                                                c.verb + " sent before the previous command's reply"});
            }
        }
        std::stable_sort(truth_.anomalies.begin(), truth_.anomalies.end(),
                         [](const TruthAnomaly& a, const TruthAnomaly& b) { return a.frame < b.frame; });
    }

    struct Completed {
        std::uint32_t conn;
        bool from_client;
        std::size_t index;
        std::size_t frame;  // index in truth_.frames
    };

    const ControlLedger& ledger_;
    const FrameLog& log_;
    GroundTruth truth_;
    std::map<std::uint32_t, Connection> conns_;
    std::map<std::pair<std::uint32_t, bool>, std::vector<LineFrames>> line_frames_;
    std::map<std::pair<std::uint32_t, std::uint32_t>, ChannelId> channel_of_;  // (conn, n) -> channel
    std::vector<Completed> completed_;
};

}  // namespace

GroundTruth build_ground_truth(const ControlLedger& ledger, const FrameLog& frames) {
    return Builder(ledger, frames).build();
}

}  // namespace ftpsim::sim::truth
