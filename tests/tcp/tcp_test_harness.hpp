// Shared by the tcp_*_test.cpp files: an observer that records every callback and checks the
// TcpObserver contract as it goes, and a fixture that feeds hand-built TcpSegments.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "net/endpoint.hpp"
#include "tcp/segment.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::tcp::testing {

inline net::Endpoint ep(const char* ip, std::uint16_t port) {
    net::Endpoint e;
    EXPECT_TRUE(net::IpAddress::parse(ip, e.addr)) << ip;
    e.port = port;
    return e;
}

constexpr Direction kC2S = Direction::kClientToServer;
constexpr Direction kS2C = Direction::kServerToClient;
constexpr TimeNs kMs = 1'000'000;

struct Record {
    enum Kind { kOpen, kData, kGap, kEvent, kClose, kInconsistency } kind;
    std::uint64_t conn = 0;
    Direction dir = kC2S;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::string bytes;
    TcpEvent event = TcpEvent::kRst;
    CloseReason reason = CloseReason::kCaptureEnd;
    std::uint64_t frame = 0;
    TimeNs time = 0;
    std::uint32_t relative_seq = 0;  // kInconsistency
    bool later_copy_kept = false;    // kInconsistency
};

class Recorder : public TcpObserver {
public:
    std::vector<Record> log;
    std::map<std::uint64_t, ConnectionInfo> infos;
    std::vector<std::string> violations;  // breaches of the observer contract
    bool payload_wanted = true;           // the answer to wants_payload, for every connection

    bool wants_payload(const ConnectionInfo&) override { return payload_wanted; }

    void on_open(const ConnectionInfo& c, const TcpSegment& first) override {
        if (infos.count(c.id)) violation("opened twice", c.id);
        if (c.id != infos.size() + 1) violation("ids not 1, 2, 3, ...", c.id);
        infos[c.id] = c;
        log.push_back({Record::kOpen, c.id, kC2S, 0, 0, {}, TcpEvent::kRst,
                       CloseReason::kCaptureEnd, first.frame, first.time});
    }
    void on_data(const ConnectionInfo& c, Direction d, std::uint64_t offset,
                 std::span<const std::uint8_t> bytes, std::uint64_t frame, TimeNs time) override {
        check_live(c.id, "data");
        if (bytes.empty()) violation("empty on_data", c.id);
        advance(c.id, d, offset, bytes.size());
        std::string text(bytes.begin(), bytes.end());
        streams_[{c.id, static_cast<int>(d)}] += text;
        log.push_back({Record::kData, c.id, d, offset, bytes.size(), text, TcpEvent::kRst,
                       CloseReason::kCaptureEnd, frame, time});
    }
    void on_gap(const ConnectionInfo& c, Direction d, std::uint64_t offset, std::uint64_t length,
                std::uint64_t frame, TimeNs time) override {
        check_live(c.id, "gap");
        if (length == 0) violation("empty on_gap", c.id);
        advance(c.id, d, offset, length);
        // Appended piecewise: GCC 12 at -O3 misreports "{" + std::to_string(n) (-Wrestrict).
        std::string& text = streams_[{c.id, static_cast<int>(d)}];
        text += '{';
        text += std::to_string(length);
        text += '}';
        log.push_back({Record::kGap, c.id, d, offset, length, {}, TcpEvent::kRst,
                       CloseReason::kCaptureEnd, frame, time});
    }
    void on_event(const ConnectionInfo& c, Direction d, TcpEvent e,
                  const TcpSegment& seg) override {
        check_live(c.id, "event");
        log.push_back({Record::kEvent, c.id, d, 0, 0, {}, e, CloseReason::kCaptureEnd,
                       seg.frame, seg.time});
    }
    void on_inconsistency(const ConnectionInfo& c, Direction d, const InconsistentBytes& b,
                          const TcpSegment& seg) override {
        check_live(c.id, "inconsistency");
        Record r{Record::kInconsistency, c.id, d, b.offset, b.length, {}, TcpEvent::kInconsistentRetransmission,
                 CloseReason::kCaptureEnd, seg.frame, seg.time};
        r.relative_seq = b.relative_seq;
        r.later_copy_kept = b.later_copy_kept;
        log.push_back(r);
    }
    void on_close(const ConnectionInfo& c, CloseReason why, std::uint64_t frame,
                  TimeNs time) override {
        check_live(c.id, "close");
        closed_.insert(c.id);
        log.push_back({Record::kClose, c.id, kC2S, 0, 0, {}, TcpEvent::kRst, why, frame, time});
    }

    // The reassembled stream of one direction; a gap of N bytes shows as "{N}".
    std::string stream(std::uint64_t conn, Direction d) const {
        auto it = streams_.find({conn, static_cast<int>(d)});
        return it == streams_.end() ? std::string() : it->second;
    }
    std::vector<Record> of(Record::Kind kind) const {
        std::vector<Record> out;
        for (const auto& r : log) {
            if (r.kind == kind) out.push_back(r);
        }
        return out;
    }
    std::vector<TcpEvent> events_at(std::uint64_t frame) const {
        std::vector<TcpEvent> out;
        for (const auto& r : log) {
            if (r.kind == Record::kEvent && r.frame == frame) out.push_back(r.event);
        }
        return out;
    }
    std::optional<Record> close_of(std::uint64_t conn) const {
        for (const auto& r : log) {
            if (r.kind == Record::kClose && r.conn == conn) return r;
        }
        return std::nullopt;
    }
    bool closed(std::uint64_t conn) const { return closed_.count(conn) != 0; }

private:
    void violation(const std::string& what, std::uint64_t id) {
        violations.push_back(what + " (connection " + std::to_string(id) + ")");
    }
    void check_live(std::uint64_t id, const char* what) {
        if (!infos.count(id)) violation(std::string(what) + " before on_open", id);
        if (closed_.count(id)) violation(std::string(what) + " after on_close", id);
    }
    void advance(std::uint64_t id, Direction d, std::uint64_t offset, std::uint64_t length) {
        std::uint64_t& next = next_[{id, static_cast<int>(d)}];
        if (offset != next) {
            violation("offset " + std::to_string(offset) + " but expected " + std::to_string(next),
                      id);
        }
        next = offset + length;
    }

    std::map<std::pair<std::uint64_t, int>, std::string> streams_;
    std::map<std::pair<std::uint64_t, int>, std::uint64_t> next_;
    std::set<std::uint64_t> closed_;
};

// A segment to feed; options are set fluently: Seg(c, s, 1, 0, kSyn).ws(7).at(5 * kMs).
struct Seg {
    Seg(net::Endpoint src_, net::Endpoint dst_, std::uint32_t seq_, std::uint32_t ack_,
        std::uint8_t flags_, std::string data_ = {})
        : src(src_), dst(dst_), seq(seq_), ack(ack_), flags(flags_), data(std::move(data_)) {}
    Seg& win(std::uint16_t w) { window = w; return *this; }
    Seg& ws(std::uint8_t shift) { wscale = shift; return *this; }  // a SYN's window scale
    Seg& cut(std::uint32_t n) { missing = n; return *this; }
    Seg& at(TimeNs t) { time = t; timed = true; return *this; }

    net::Endpoint src, dst;
    std::uint32_t seq, ack;
    std::uint8_t flags;
    std::string data;
    std::uint16_t window = 8192;
    // Plain fields rather than std::optional: GCC 12 misreports optionals copied out of
    // temporaries as maybe-uninitialized at -O2, which -Werror turns into a build failure.
    int wscale = -1;
    std::uint32_t missing = 0;
    TimeNs time = 0;
    bool timed = false;
};

class TcpTrackerTest : public ::testing::Test {
protected:
    void TearDown() override {
        for (const auto& v : rec.violations) ADD_FAILURE() << "observer contract: " << v;
    }

    void make_tracker(TrackerLimits limits) {
        tracker = std::make_unique<TcpTracker>(rec, limits);
    }

    // Frames are numbered 1, 2, ...; without .at(), each segment comes `step` after the last.
    SegmentSummary send(const Seg& s) {
        TcpSegment t;
        t.frame = ++frame;
        now = s.timed ? s.time : now + step;
        t.time = now;
        t.src = s.src;
        t.dst = s.dst;
        t.seq = s.seq;
        t.ack = s.ack;
        t.flags = s.flags;
        t.window = s.window;
        if (s.wscale >= 0) t.window_scale = static_cast<std::uint8_t>(s.wscale);
        t.payload = std::span<const std::uint8_t>(
            reinterpret_cast<const std::uint8_t*>(s.data.data()), s.data.size());
        t.captured_payload_missing = s.missing;
        return tracker->process(t);
    }
    void finish() { tracker->finish(frame, now); }

    // A captured handshake between C and S: client ISN ci, server ISN si, no window scaling
    // unless given. Frames 1-3.
    void handshake(std::uint32_t ci, std::uint32_t si, std::optional<std::uint8_t> cws = {},
                   std::optional<std::uint8_t> sws = {}) {
        Seg syn(C, S, ci, 0, kSyn);
        Seg synack(S, C, si, ci + 1, kSyn | kAck);
        if (cws) syn.ws(*cws);
        if (sws) synack.ws(*sws);
        send(syn);
        send(synack);
        send(Seg(C, S, ci + 1, si + 1, kAck));
    }

    const net::Endpoint C = ep("10.0.0.1", 40000);
    const net::Endpoint S = ep("10.0.0.2", 21);
    Recorder rec;
    std::unique_ptr<TcpTracker> tracker = std::make_unique<TcpTracker>(rec);
    std::uint64_t frame = 0;
    TimeNs now = 1'700'000'000 * 1'000'000'000LL;
    TimeNs step = 10 * kMs;
};

}  // namespace ftpsim::tcp::testing
