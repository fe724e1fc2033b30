#include "crosscheck/crosscheck_checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "crosscheck/tshark_fields.hpp"
#include "decode/analyzer.hpp"
#include "ftp/command.hpp"
#include "ftp/reply.hpp"
#include "support/event_collector.hpp"

namespace ftpsim::crosscheck {

namespace {

using tcp::TcpEvent;

// ---- FTP fields -------------------------------------------------------------------------------

struct FrameView {
    std::string command;  // upper-cased
    std::string arg;
    std::string code;  // "" when none
    bool operator==(const FrameView&) const = default;
};

std::string describe(const FrameView& v) {
    return "command='" + v.command + "' arg='" + v.arg + "' code='" + v.code + "'";
}

// The analyzer's view: for each frame, the first line lying wholly in it (what tshark decodes
// there); lines split across frames are set aside.
class FtpProjection {
public:
    explicit FtpProjection(const testsupport::EventCollector& events) {
        for (const auto& e : events.events) add(e);
    }

    std::map<std::uint64_t, FrameView> view;
    std::set<std::uint64_t> split_frames;

private:
    void add(const analyzer::Event& e) {
        if (auto* c = std::get_if<analyzer::CommandEvent>(&e.body)) {
            line(c->first_frame, e.frame, FrameView{c->verb, c->arg, ""});
        } else if (auto* r = std::get_if<analyzer::ReplyEvent>(&e.body)) {
            for (std::size_t i = 0; i < r->lines.size() && i < r->line_frames.size(); ++i) {
                auto code = ftp::reply_code_of(r->lines[i]);
                line(r->line_frames[i].first, r->line_frames[i].second,
                     FrameView{"", "", code ? std::to_string(*code) : ""});
            }
        }
    }
    void line(std::uint64_t first, std::uint64_t last, FrameView v) {
        if (first != last) {
            for (auto f : {first, last}) split_frames.insert(f);
            return;
        }
        if (seen_.insert(first).second && !(v == FrameView{})) view[first] = v;
    }
    std::set<std::uint64_t> seen_;
};

// Where the analyzer decodes other bytes than tshark because two copies of them differed
// (inconsistent_retransmission, kept=later): a known dissector difference, not hidden but
// checked. tshark hands an out-of-order segment to the FTP dissector as it comes, and a
// retransmission not at all (with sequence analysis on, its default, a segment flagged as a
// retransmission is shown as TCP data only), so it decodes the held copy that the receiving TCP
// dropped and never the copy it read; the analyzer decodes the latter
// (analyzer/tcp/stream_reassembler.hpp). So a frame whose bytes a later copy replaced may have a
// decode in tshark only, and the frame of the replacing copy a decode in the analyzer only, which
// must equal what tshark decodes there with sequence analysis off.
class ReplacedCopies {
public:
    explicit ReplacedCopies(const testsupport::EventCollector& events) {
        for (const auto& e : events.events) {
            auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body);
            if (t == nullptr || !t->inconsistency || !t->inconsistency->later_copy_kept) continue;
            replaced_.push_back({e.src.port, e.dst.port, t->inconsistency->relative_seq,
                                 t->inconsistency->length, e.frame});
            replacing_.insert(e.frame);
        }
    }
    // Whether frame `frame` (ports, relative seq, length as tshark gives them) carried bytes that
    // a later copy replaced.
    bool replaced(std::uint64_t frame, const std::string& sport, const std::string& dport,
                  const std::string& seq, const std::string& len) const {
        if (seq.empty() || len.empty()) return false;
        const std::uint64_t from = std::stoull(seq), to = from + std::stoull(len);
        return std::any_of(replaced_.begin(), replaced_.end(), [&](const Range& r) {
            return frame < r.frame && std::to_string(r.sport) == sport && std::to_string(r.dport) == dport &&
                   from < r.seq + r.length && r.seq < to;
        });
    }
    bool replacing(std::uint64_t frame) const { return replacing_.count(frame) != 0; }
    bool empty() const { return replaced_.empty(); }

private:
    struct Range {
        std::uint16_t sport, dport;
        std::uint64_t seq, length, frame;
    };
    std::vector<Range> replaced_;
    std::set<std::uint64_t> replacing_;
};

// tshark's FTP dissector knows no Telnet: the IAC IP, IAC DM (Synch) a client sends before ABOR
// (RFC 959 §4.1.3), which the analyzer drops as Telnet commands, are in its command field, each
// byte as U+FFFD. Drops exactly as many U+FFFD from the command as the segment's payload
// (tcp.payload, hex) starts with bytes of Telnet commands (IAC followed by 0xF0 .. 0xFE).
std::string strip_telnet_prefix(const std::string& command, const std::string& payload_hex) {
    static const std::string kReplacement = "\xEF\xBF\xBD";
    std::size_t telnet_bytes = 0;
    auto byte_at = [&](std::size_t i) { return std::stoi(payload_hex.substr(2 * i, 2), nullptr, 16); };
    while (payload_hex.size() >= 2 * (telnet_bytes + 2) && byte_at(telnet_bytes) == 0xFF &&
           byte_at(telnet_bytes + 1) >= 0xF0 && byte_at(telnet_bytes + 1) <= 0xFE) {
        telnet_bytes += 2;
    }
    std::string out = command;
    for (std::size_t i = 0; i < telnet_bytes && out.rfind(kReplacement, 0) == 0; ++i) {
        out.erase(0, kReplacement.size());
    }
    return out;
}

// ---- TCP analysis -----------------------------------------------------------------------------

// Each analyzer event kind and the tshark fields that flag it. Fast and spurious retransmissions
// are reported by the analyzer as retransmissions (tcp_analysis.hpp).
struct KindFields {
    TcpEvent event;
    std::vector<std::string> fields;
};
const std::vector<KindFields>& compared_kinds() {
    static const std::vector<KindFields> kinds = {
        {TcpEvent::kZeroWindow, {"tcp.analysis.zero_window"}},
        {TcpEvent::kWindowFull, {"tcp.analysis.window_full"}},
        {TcpEvent::kZeroWindowProbe, {"tcp.analysis.zero_window_probe"}},
        {TcpEvent::kKeepAlive, {"tcp.analysis.keep_alive"}},
        {TcpEvent::kWindowUpdate, {"tcp.analysis.window_update"}},
        {TcpEvent::kRetransmission,
         {"tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
          "tcp.analysis.spurious_retransmission"}},
        {TcpEvent::kOutOfOrder, {"tcp.analysis.out_of_order"}},
        {TcpEvent::kDupAck, {"tcp.analysis.duplicate_ack"}},
        {TcpEvent::kLostSegment, {"tcp.analysis.lost_segment"}},
        {TcpEvent::kRst, {"tcp.flags.reset"}},
    };
    return kinds;
}

struct TcpProjection {
    explicit TcpProjection(const testsupport::EventCollector& events) {
        for (const auto& e : events.events) add(e);
    }
    void add(const analyzer::Event& e) {
        if (auto* o = std::get_if<analyzer::ConnOpen>(&e.body)) {
            if (o->role != analyzer::ConnRole::kTcp) open_frame[e.conn] = e.frame;
        } else if (std::get_if<analyzer::ConnClose>(&e.body) != nullptr) {
            close_frame[e.conn] = e.frame;
        } else if (auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body)) {
            frames[t->event].insert(e.frame);
        }
    }

    std::map<std::uint64_t, std::uint64_t> open_frame, close_frame;  // by connection id
    std::map<TcpEvent, std::set<std::uint64_t>> frames;
};

std::string list(const std::set<std::uint64_t>& frames) {
    std::ostringstream s;
    std::size_t n = 0;
    for (auto f : frames) {
        if (n++ == 20) {
            s << " ... (" << frames.size() << " in all)";
            break;
        }
        s << (n > 1 ? " " : "") << f;
    }
    return frames.empty() ? "none" : s.str();
}

bool is_true(const std::string& v) { return v == "1" || v == "True"; }

}  // namespace

const std::vector<std::string>& ftp_fields() {
    static const std::vector<std::string> fields = {"frame.number", "ftp.request.command", "ftp.request.arg",
                                                    "ftp.response.code", "tcp.payload", "tcp.srcport",
                                                    "tcp.dstport", "tcp.seq", "tcp.len"};
    return fields;
}

const std::vector<std::string>& tcp_fields() {
    static const std::vector<std::string> fields = [] {
        std::vector<std::string> f = {"frame.number", "tcp.stream"};
        for (const auto& k : compared_kinds()) f.insert(f.end(), k.fields.begin(), k.fields.end());
        return f;
    }();
    return fields;
}

void check_all(const std::string& capture, const std::string& tshark_options, std::size_t min_compared,
               bool splits_expected, bool splits_allowed, const std::vector<std::string>& injected) {
    std::vector<std::string> fields = ftp_fields();
    fields.insert(fields.end(), tcp_fields().begin(), tcp_fields().end());
    const TsharkView tshark(capture, fields, tshark_options, true);
    {
        SCOPED_TRACE("FTP fields, frame by frame");
        check_ftp_fields(tshark, capture, tshark_options, min_compared, splits_expected, splits_allowed);
    }
    {
        SCOPED_TRACE("no tshark errors");
        check_no_tshark_errors(tshark.errors(), capture, injected);
    }
    {
        SCOPED_TRACE("TCP analysis");
        check_tcp_analysis(tshark, capture);
    }
}

void check_ftp_fields(const std::string& capture, const std::string& tshark_options,
                      std::size_t min_compared, bool splits_expected, bool splits_allowed) {
    check_ftp_fields(TsharkView(capture, ftp_fields(), tshark_options, false), capture, tshark_options,
                     min_compared, splits_expected, splits_allowed);
}

void check_ftp_fields(const TsharkView& tshark, const std::string& capture, const std::string& tshark_options,
                      std::size_t min_compared, bool splits_expected, bool splits_allowed) {
    // tshark's decode of each frame, and of its TCP segment: ports, relative seq, length.
    std::map<std::uint64_t, std::vector<std::string>> segment_of;
    auto decoded = [&](const std::vector<std::vector<std::string>>& rows, bool note_segments) {
        std::map<std::uint64_t, FrameView> out;
        for (const auto& f : rows) {
            FrameView v{ftp::to_upper_ascii(strip_telnet_prefix(f[1], f[4])), f[2], f[3]};
            if (!(v == FrameView{})) out[std::stoull(f[0])] = v;
            if (note_segments) segment_of[std::stoull(f[0])] = {f[5], f[6], f[7], f[8]};
        }
        return out;
    };
    const std::map<std::uint64_t, FrameView> expected = decoded(tshark.select("ftp", ftp_fields()), true);
    ASSERT_FALSE(expected.empty()) << "tshark decoded no FTP in " << capture;

    testsupport::EventCollector events;
    analyzer::analyze_file(capture, events);
    const FtpProjection ours(events);
    if (!splits_allowed) {
        EXPECT_EQ(ours.split_frames.empty(), !splits_expected)
            << capture << ": lines split across frames (" << list(ours.split_frames) << ") are not compared; "
            << (splits_expected ? "the scenario splits lines" : "the captures are expected to have none");
    }
    const ReplacedCopies copies(events);
    // tshark's decode of every segment as it comes, retransmissions included: without sequence
    // analysis nothing is flagged, so nothing is kept from the FTP dissector.
    std::map<std::uint64_t, FrameView> retransmitted;
    if (!copies.empty()) {
        retransmitted = decoded(tshark_fields(capture, "ftp", ftp_fields(),
                                              tshark_options + " -o tcp.analyze_sequence_numbers:FALSE"),
                                false);
    }

    std::size_t compared = 0;
    for (const auto& [frame, v] : expected) {
        if (ours.split_frames.count(frame) != 0) continue;
        auto it = ours.view.find(frame);
        if (it == ours.view.end() && !copies.empty()) {
            const auto& seg = segment_of.at(frame);
            if (copies.replaced(frame, seg[0], seg[1], seg[2], seg[3])) {
                std::cout << "[ note ] " << capture << " frame " << frame << ": tshark decodes " << describe(v)
                          << " from bytes a later copy replaced (inconsistent_retransmission kept=later): "
                             "the receiver never read them as such; not compared\n";
                continue;
            }
        }
        ASSERT_NE(it, ours.view.end()) << capture << " frame " << frame << ": tshark has "
                                       << describe(v) << ", the analyzer nothing";
        EXPECT_TRUE(it->second == v) << capture << " frame " << frame << ": analyzer "
                                 << describe(it->second) << ", tshark " << describe(v);
        ++compared;
    }
    for (const auto& [frame, v] : ours.view) {
        if (expected.count(frame) != 0 || ours.split_frames.count(frame) != 0) continue;
        if (copies.replacing(frame)) {
            // tshark leaves the retransmission to TCP; told to dissect it, it must agree.
            auto it = retransmitted.find(frame);
            EXPECT_TRUE(it != retransmitted.end() && it->second == v)
                << capture << " frame " << frame << ": analyzer has " << describe(v)
                << " from the copy that replaced a held one; tshark with tcp.analyze_sequence_numbers:FALSE "
                << (it == retransmitted.end() ? std::string("nothing") : describe(it->second));
            ++compared;
            continue;
        }
        ADD_FAILURE() << capture << " frame " << frame << ": analyzer has " << describe(v) << ", tshark nothing";
    }
    EXPECT_GE(compared, min_compared) << capture;
}

void check_no_tshark_errors(const std::string& capture, bool check_checksums,
                            const std::vector<std::string>& injected) {
    check_no_tshark_errors(tshark_errors(capture, check_checksums), capture, injected);
}

void check_no_tshark_errors(const TsharkErrors& errors, const std::string& capture,
                            const std::vector<std::string>& injected) {
    for (const auto& line : errors.tool) ADD_FAILURE() << capture << ": tshark: " << line;
    for (const auto& e : errors.expert) {
        const bool allowed = std::any_of(injected.begin(), injected.end(), [&](const auto& s) {
            return e.message.find(s) != std::string::npos;
        });
        EXPECT_TRUE(allowed) << capture << " frame " << e.frame
                             << ": tshark error-level expert info: " << e.message;
    }
}

void check_tcp_analysis(const std::string& capture) {
    check_tcp_analysis(TsharkView(capture, tcp_fields(), "", false), capture);
}

void check_tcp_analysis(const TsharkView& tshark, const std::string& capture) {
    testsupport::EventCollector events;
    analyzer::analyze_file(capture, events);
    TcpProjection ours(events);

    auto rows = tshark.select("tcp", tcp_fields());
    ASSERT_FALSE(rows.empty()) << "tshark found no TCP in " << capture;

    // tshark's stream of each frame, and each stream's first frame, which is where the analyzer
    // opens the connection: that pairs the analyzer's FTP connections with tshark's streams.
    std::map<std::string, std::uint64_t> stream_first;
    for (const auto& r : rows) stream_first.emplace(r[1], std::stoull(r[0]));
    std::map<std::string, std::uint64_t> stream_conn;
    for (const auto& [conn, open] : ours.open_frame) {
        auto it = std::find_if(stream_first.begin(), stream_first.end(),
                               [&](const auto& s) { return s.second == open; });
        if (it == stream_first.end()) {
            ADD_FAILURE() << capture << ": the analyzer opens connection c" << conn << " at frame "
                          << open << ", where no tshark TCP stream starts";
        } else {
            stream_conn[it->first] = conn;
        }
    }

    std::map<TcpEvent, std::set<std::uint64_t>> theirs;
    std::set<std::uint64_t> not_compared;  // flagged frames outside the analyzer's connections
    for (const auto& r : rows) {
        const std::uint64_t frame = std::stoull(r[0]);
        bool in_scope = false;
        if (auto c = stream_conn.find(r[1]); c != stream_conn.end()) {
            auto close = ours.close_frame.find(c->second);
            in_scope = close == ours.close_frame.end() || frame <= close->second;
        }
        std::size_t col = 2;
        for (const auto& k : compared_kinds()) {
            bool flagged = false;
            for (std::size_t i = 0; i < k.fields.size(); ++i) flagged |= is_true(r[col + i]);
            col += k.fields.size();
            if (!flagged) continue;
            (in_scope ? theirs[k.event] : not_compared).insert(frame);
        }
    }
    for (const auto& k : compared_kinds()) {
        const auto& t = theirs[k.event];
        const auto& a = ours.frames[k.event];
        EXPECT_TRUE(t == a) << capture << ": " << tcp::tcp_event_name(k.event)
                        << ": tshark flags frames " << list(t) << "; the analyzer reports "
                        << list(a);
    }
    if (!not_compared.empty()) {
        std::cout << "[ note ] " << capture << ": tshark flags frames " << list(not_compared)
                  << " outside the analyzer's FTP connections (or after their close): not compared\n";
    }
}

std::vector<std::string> captures_in(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        auto ext = entry.path().extension().string();
        if (ext == ".pcap" || ext == ".pcapng") out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string test_name_for(const std::string& capture) {
    std::string n = std::filesystem::path(capture).filename().string();
    for (auto& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return n;
}

}  // namespace ftpsim::crosscheck
