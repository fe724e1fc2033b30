// Connection bookkeeping of the TcpTracker: finding a segment's connection, opening, closing and
// forgetting connections, and driving analysis and reassembly in a fixed callback order per
// segment: on_close of a connection the segment supersedes, on_open, on_event (in TcpEvent
// order), on_gap/on_data (the ACKed direction first, then the segment's own, where
// on_inconsistency comes before the bytes it concerns), on_close.
#include "tcp/tcp_tracker.hpp"

#include <algorithm>
#include <deque>
#include <unordered_map>
#include <vector>

#include "tcp/tcp_connection.hpp"

namespace ftpsim::tcp {

namespace {

// Forwards one direction's reassembled bytes to the observer, stamped with the frame that made
// them deliverable.
class ObserverSink : public StreamSink {
public:
    ObserverSink(TcpObserver& observer, const ConnectionInfo& conn, Direction dir,
                 std::uint64_t frame, TimeNs time)
        : observer_(observer), conn_(conn), dir_(dir), frame_(frame), time_(time) {}

    void stream_data(std::uint64_t offset, std::span<const std::uint8_t> bytes) override {
        observer_.on_data(conn_, dir_, offset, bytes, frame_, time_);
    }
    void stream_gap(std::uint64_t offset, std::uint64_t length) override {
        observer_.on_gap(conn_, dir_, offset, length, frame_, time_);
    }

protected:
    TcpObserver& observer_;
    const ConnectionInfo& conn_;
    Direction dir_;
    std::uint64_t frame_;
    TimeNs time_;
};

// The sink for a segment's own direction, which may also show that its bytes differ from an
// earlier copy: reported with sequence numbers relative to `base_seq`, as Wireshark numbers them.
class SegmentSink final : public ObserverSink {
public:
    SegmentSink(TcpObserver& observer, const ConnectionInfo& conn, Direction dir,
                const TcpSegment& seg, const StreamReassembler& stream, std::uint32_t base_seq)
        : ObserverSink(observer, conn, dir, seg.frame, seg.time),
          seg_(seg), stream_(stream), base_seq_(base_seq) {}

    void stream_conflict(const StreamConflict& c) override {
        InconsistentBytes b;
        b.relative_seq = stream_.seq_at(c.offset) - base_seq_;
        b.offset = c.offset;
        b.length = c.length;
        b.later_copy_kept = c.later_copy_kept;
        observer_.on_inconsistency(conn_, dir_, b, seg_);
    }

private:
    const TcpSegment& seg_;
    const StreamReassembler& stream_;
    std::uint32_t base_seq_;
};

// Ports below 1024 are where services listen. FTP's port 20 is the exception: an active-mode data
// connection is opened *from* the server's port 20 (RFC 959 §3.2), so that side is the client.
bool source_is_server(std::uint16_t sport, std::uint16_t dport) {
    const bool s_service = sport < 1024 && sport != 20;
    const bool d_service = dport < 1024 && dport != 20;
    if (s_service != d_service) return s_service;
    if ((sport == 20) != (dport == 20)) return dport == 20;
    return false;  // no hint: the first segment seen goes to the server
}

// Client and server of a connection first seen with `first`. A SYN sender is the client and a
// SYN-ACK comes from the server (RFC 9293 §3.5); without either (a capture started mid-stream)
// the ports decide, as above.
void assign_roles(ConnectionInfo& info, const TcpSegment& first) {
    bool src_server = false;
    if (first.has(kSyn)) {
        info.saw_handshake = true;
        src_server = first.has(kAck);
    } else {
        info.saw_handshake = false;
        src_server = source_is_server(first.src.port, first.dst.port);
    }
    info.client = src_server ? first.dst : first.src;
    info.server = src_server ? first.src : first.dst;
}

}  // namespace

struct TcpTracker::Impl {
    Impl(TcpObserver& o, TrackerLimits l) : observer(o), limits(l) {}

    SegmentSummary process(const TcpSegment& seg);
    void finish(std::uint64_t last_frame, TimeNs last_time);

    Connection* lookup(const FlowKey& key);
    Connection* open(const FlowKey& key, const TcpSegment& seg);
    void reassemble(Connection& c, Direction d, const TcpSegment& seg);
    void flush_both(Connection& c, std::uint64_t frame, TimeNs time);
    void close(Connection& c, CloseReason why, std::uint64_t frame, TimeNs time);
    void expire(TimeNs now);
    std::size_t memory_bytes() const;
    void enforce_memory_budget(std::uint64_t frame, TimeNs time);

    struct ClosedEntry {
        TimeNs time;
        FlowKey key;
        std::uint64_t id;
    };

    TcpObserver& observer;
    TrackerLimits limits;
    std::unordered_map<FlowKey, std::unique_ptr<Connection>, FlowKeyHash> conns;
    std::deque<ClosedEntry> closed;  // in closing order, for forgetting
    std::uint64_t next_id = 1;
    // The previous segment's connection: consecutive segments of a bulk transfer skip the hash.
    FlowKey cached_key;
    Connection* cached = nullptr;
    std::uint32_t segments_since_memory_check = 0;
};

Connection* TcpTracker::Impl::lookup(const FlowKey& key) {
    if (cached != nullptr && key == cached_key) return cached;
    auto it = conns.find(key);
    if (it == conns.end()) return nullptr;
    cached_key = key;
    cached = it->second.get();
    return cached;
}

Connection* TcpTracker::Impl::open(const FlowKey& key, const TcpSegment& seg) {
    auto conn = std::make_unique<Connection>(limits.max_out_of_order_bytes);
    conn->key = key;
    conn->info.id = next_id++;
    conn->info.first_frame = seg.frame;
    conn->info.first_time = seg.time;
    assign_roles(conn->info, seg);
    Connection* c = conn.get();
    conns.insert_or_assign(key, std::move(conn));  // drops a superseded incarnation
    cached_key = key;
    cached = c;
    observer.on_open(c->info, seg);
    return c;
}

SegmentSummary TcpTracker::Impl::process(const TcpSegment& seg) {
    expire(seg.time);
    if (++segments_since_memory_check >= limits.memory_check_every) {
        segments_since_memory_check = 0;
        enforce_memory_budget(seg.frame, seg.time);
    }
    const FlowKey key = FlowKey::of(seg.src, seg.dst);
    Connection* c = lookup(key);
    if (c != nullptr && seg.has(kSyn) && starts_new_incarnation(*c, c->direction_of(seg), seg)) {
        if (!c->closed) {
            // The tuple is reused while the old connection looked open: it must have ended
            // unseen. A FIN seen says how; otherwise it was abandoned or aborted, which is what
            // a reset reports (RFC 9293 §3.10.7.4 makes a SYN on a live connection an error).
            flush_both(*c, seg.frame, seg.time);
            close(*c, c->fin_seen ? CloseReason::kFin : CloseReason::kRst, seg.frame, seg.time);
        }
        c = nullptr;
    }
    if (c == nullptr) c = open(key, seg);

    const Direction d = c->direction_of(seg);
    const int i = dir_index(d);
    const int r = 1 - i;
    if (seg.has(kSyn)) c->note_syn(i, seg);
    if (seg.has(kAck) && !seg.has(kSyn) && c->mru_syn && !c->first_rtt) {
        // Wireshark's initial RTT: from the last SYN to the first pure ACK (the handshake's).
        c->first_rtt = seg.time - *c->mru_syn;
    }

    SegmentFacts facts;
    facts.seq = seg.seq;
    facts.ack = seg.ack;
    facts.seglen = static_cast<std::uint32_t>(seg.payload.size()) + seg.captured_payload_missing;
    facts.flags = seg.flags;
    facts.window = c->scaled_window(i, seg);
    facts.time = seg.time;
    const std::uint32_t flags = analyze_segment(facts, c->flow[i], c->flow[r],
                                                c->first_rtt.value_or(0), c->scale_known);
    std::uint16_t events = analysis_events(flags);
    if (seg.has(kRst)) events |= 1u << static_cast<int>(TcpEvent::kRst);

    // A closed connection gets no more callbacks: its late segments (the last ACK, a
    // retransmitted FIN, an RST answering it) are only summarised.
    if (!c->closed) {
        for (int e = 0; e < kTcpEventCount; ++e) {
            if ((events >> e) & 1) observer.on_event(c->info, d, static_cast<TcpEvent>(e), seg);
        }
        reassemble(*c, d, seg);
    }

    SegmentSummary summary;
    summary.conn = &c->info;
    summary.dir = d;
    summary.relative_seq = seg.seq - c->flow[i].base_seq;
    summary.relative_ack = seg.has(kAck) ? seg.ack - c->flow[r].base_seq : 0;
    summary.scaled_window = facts.window;
    summary.events = events;
    return summary;
}

void TcpTracker::Impl::reassemble(Connection& c, Direction d, const TcpSegment& seg) {
    const int i = dir_index(d);
    const int r = 1 - i;
    // An ACK beyond what was captured of the other direction proves the capture missed it.
    if (seg.has(kAck)) {
        ObserverSink back(observer, c.info, opposite(d), seg.frame, seg.time);
        c.stream[r].acked(seg.ack, back);
    }

    StreamReassembler& st = c.stream[i];
    const bool syn = seg.has(kSyn);
    if (!st.started()) {
        // Offset 0 is the byte after the SYN (which consumes one sequence number, RFC 9293
        // §3.4), known from the SYN or from the peer's SYN-ACK; mid-stream, the first byte seen.
        if (syn) {
            st.start(seg.seq + 1);
        } else if (c.syn_acked[i]) {
            st.start(*c.syn_acked[i]);
        } else {
            st.start(seg.seq);
        }
    }
    SegmentSink out(observer, c.info, d, seg, st, c.flow[i].base_seq);
    const std::uint32_t seq = syn ? seg.seq + 1 : seg.seq;
    if (seg.payload.empty() || observer.wants_payload(c.info)) {
        st.add(seq, seg.payload, seg.captured_payload_missing, seg.has(kFin), out);
    } else {
        // Bytes nobody reads are passed as if not captured: the stream still tracks its offsets
        // and FIN (for the close) without copying out-of-order data.
        st.add(seq, {}, static_cast<std::uint32_t>(seg.payload.size()) + seg.captured_payload_missing,
               seg.has(kFin), out);
    }
    if (seg.has(kFin)) c.fin_seen = true;

    if (seg.has(kRst)) {
        // RFC 9293 §3.10.7: the connection is gone at once; nothing will fill the holes.
        flush_both(c, seg.frame, seg.time);
        close(c, CloseReason::kRst, seg.frame, seg.time);
    } else if (c.stream[0].fin_delivered() && c.stream[1].fin_delivered()) {
        close(c, CloseReason::kFin, seg.frame, seg.time);
    }
}

void TcpTracker::Impl::flush_both(Connection& c, std::uint64_t frame, TimeNs time) {
    for (Direction d : {Direction::kClientToServer, Direction::kServerToClient}) {
        ObserverSink sink(observer, c.info, d, frame, time);
        c.stream[dir_index(d)].flush(sink);
    }
}

void TcpTracker::Impl::close(Connection& c, CloseReason why, std::uint64_t frame, TimeNs time) {
    c.closed = true;
    // A closed connection's segments are no longer reassembled: nothing will be compared.
    for (auto& st : c.stream) st.forget_delivered();
    observer.on_close(c.info, why, frame, time);
    closed.push_back(ClosedEntry{time, c.key, c.info.id});
}

void TcpTracker::Impl::expire(TimeNs now) {
    // Closed connections are kept for 2*MSL of capture time (RFC 9293 §3.6.1, TIME-WAIT) so that
    // their late segments are recognised, then forgotten to keep memory bounded.
    while (!closed.empty() && now - closed.front().time >= limits.forget_closed_after) {
        const ClosedEntry& e = closed.front();
        auto it = conns.find(e.key);
        if (it != conns.end() && it->second->info.id == e.id) {
            if (cached == it->second.get()) cached = nullptr;
            conns.erase(it);
        }
        closed.pop_front();
    }
}

std::size_t TcpTracker::Impl::memory_bytes() const {
    std::size_t n = 0;
    for (const auto& entry : conns)
        for (const auto& st : entry.second->stream) n += st.memory_bytes();
    return n;
}

void TcpTracker::Impl::enforce_memory_budget(std::uint64_t frame, TimeNs time) {
    std::size_t total = memory_bytes();
    if (total <= limits.max_total_memory) return;
    std::vector<Connection*> holders;
    for (auto& entry : conns)
        if (entry.second->stream[0].memory_bytes() + entry.second->stream[1].memory_bytes() > 0)
            holders.push_back(entry.second.get());
    // Most first; ties by id, so that the outcome does not depend on the hash map's order.
    const auto held = [](const Connection* c) { return c->stream[0].memory_bytes() + c->stream[1].memory_bytes(); };
    std::sort(holders.begin(), holders.end(), [&](const Connection* a, const Connection* b) {
        return held(a) != held(b) ? held(a) > held(b) : a->info.id < b->info.id;
    });
    for (Connection* c : holders) {
        if (total <= limits.max_total_memory / 2) break;
        const std::size_t before = held(c);
        if (!c->closed) flush_both(*c, frame, time);  // held bytes: the holes before them become gaps
        for (auto& st : c->stream) st.forget_delivered();
        total -= before - held(c);
    }
}

void TcpTracker::Impl::finish(std::uint64_t last_frame, TimeNs last_time) {
    std::vector<Connection*> open_conns;
    for (auto& entry : conns) {
        if (!entry.second->closed) open_conns.push_back(entry.second.get());
    }
    // The map's order is arbitrary: close in id order so output is deterministic.
    std::sort(open_conns.begin(), open_conns.end(),
              [](const Connection* a, const Connection* b) { return a->info.id < b->info.id; });
    for (Connection* c : open_conns) {
        flush_both(*c, last_frame, last_time);
        // Both FINs may only have become deliverable now that the holes before them are gaps.
        const bool fins = c->stream[0].fin_delivered() && c->stream[1].fin_delivered();
        close(*c, fins ? CloseReason::kFin : CloseReason::kCaptureEnd, last_frame, last_time);
    }
    conns.clear();
    closed.clear();
    cached = nullptr;
}

TcpTracker::TcpTracker(TcpObserver& observer, TrackerLimits limits)
    : impl_(std::make_unique<Impl>(observer, limits)) {}

TcpTracker::~TcpTracker() = default;

SegmentSummary TcpTracker::process(const TcpSegment& seg) { return impl_->process(seg); }

std::size_t TcpTracker::buffered_bytes() const {
    std::size_t n = 0;
    for (const auto& entry : impl_->conns)
        for (const auto& st : entry.second->stream) n += st.buffered_bytes();
    return n;
}

std::size_t TcpTracker::memory_bytes() const { return impl_->memory_bytes(); }

void TcpTracker::finish(std::uint64_t last_frame, TimeNs last_time) {
    impl_->finish(last_frame, last_time);
}

}  // namespace ftpsim::tcp
