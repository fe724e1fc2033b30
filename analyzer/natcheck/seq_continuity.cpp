#include "natcheck/seq_continuity.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <span>

namespace ftpsim::natcheck {
namespace {

using tcp::Direction;

const char* dir_name(Direction d) {
    return d == Direction::kClientToServer ? "client->server" : "server->client";
}

std::string signed_text(std::int64_t v) { return (v >= 0 ? "+" : "") + std::to_string(v); }

// Where the comparison starts: the first segment carrying bytes. A connection on another port
// than 21 is known to be FTP only from its first bytes, so its handshake may be recorded on one
// side (port 21 behind a port forward) and not on the other; it has nothing to adjust anyway.
std::span<const SegmentFact> from_first_data(const ControlRecord& c) {
    auto it = std::find_if(c.segments.begin(), c.segments.end(), [](const SegmentFact& s) { return s.len > 0; });
    return {it, c.segments.end()};
}

// Whether [start, end) lies within the union of intervals `covered` (disjoint, keyed by start),
// and adds it to that union.
bool cover(std::map<std::int64_t, std::int64_t>& covered, std::int64_t start, std::int64_t end) {
    auto it = covered.upper_bound(start);
    if (it != covered.begin() && std::prev(it)->second >= start) {
        --it;
        if (it->second >= end) return true;
        start = it->first;
    }
    while (it != covered.end() && it->first <= end) {
        end = std::max(end, it->second);
        it = covered.erase(it);
    }
    covered.emplace(start, end);
    return false;
}

// The segments of one direction that carry bytes not sent before on that side, in stream order,
// each reaching further than those before it. A segment the device dropped arrives outside only
// as the sender's retransmission, after the data that followed it: taken in capture order, that
// later data would pair with the dropped segment's inside copy (alg: drop_split_command).
std::vector<const SegmentFact*> new_data(const ControlRecord& c, Direction d) {
    std::vector<const SegmentFact*> fresh;
    std::map<std::int64_t, std::int64_t> covered;
    for (const SegmentFact& s : from_first_data(c)) {
        if (s.dir != d || s.len == 0) continue;
        const auto start = static_cast<std::int64_t>(s.seq);
        if (!cover(covered, start, start + s.len)) fresh.push_back(&s);
    }
    std::stable_sort(fresh.begin(), fresh.end(),
                     [](const SegmentFact* a, const SegmentFact* b) { return a->seq < b->seq; });
    std::vector<const SegmentFact*> out;
    std::int64_t highest = -1;
    for (const SegmentFact* s : fresh) {
        const std::int64_t end = static_cast<std::int64_t>(s->seq) + s->len;
        if (end <= highest) continue;  // wholly within segments before it in the stream
        highest = end;
        out.push_back(s);
    }
    return out;
}

// Inside stream offsets of one direction mapped to outside ones, from the paired segments.
class StreamMap {
public:
    void add(std::int64_t inside_start, std::int64_t inside_end, std::int64_t change) {
        points_.push_back({inside_start, inside_end, change, total_ += change});
    }
    // None when `p` falls inside a segment whose length changed: it has no outside image.
    std::optional<std::int64_t> map(std::int64_t p) const {
        // Points are in stream order: the last one ending at or before p gives the shift.
        auto it = std::upper_bound(points_.begin(), points_.end(), p,
                                   [](std::int64_t v, const Point& pt) { return v < pt.end; });
        if (it != points_.end() && it->change != 0 && it->start < p) return std::nullopt;
        std::int64_t shift = it == points_.begin() ? 0 : std::prev(it)->cumulative;
        return p + shift;
    }

private:
    struct Point {
        std::int64_t start, end, change, cumulative;
    };
    std::vector<Point> points_;
    std::int64_t total_ = 0;
};

struct Checker {
    std::vector<SeqViolation>& out;
    std::size_t limit;
    void add(std::uint64_t in_frame, std::uint64_t out_frame, std::string what) {
        if (out.size() < limit) out.push_back({in_frame, out_frame, std::move(what)});
    }
};

// The length change of each rewritten announcement sent in direction `d`, by the frame that
// carries it on the outside (announcements pair up in order on both sides).
std::map<std::uint64_t, std::int64_t> changes_by_outside_frame(const ControlRecord& in, const ControlRecord& out,
                                                              Direction d) {
    std::map<std::uint64_t, std::int64_t> changes;
    const std::size_t n = std::min(in.announcements.size(), out.announcements.size());
    for (std::size_t k = 0; k < n; ++k) {
        const Announcement& a = out.announcements[k];
        const bool from_client = a.kind == AnnouncementKind::kPort || a.kind == AnnouncementKind::kEprt;
        if (from_client != (d == Direction::kClientToServer)) continue;
        changes[a.frame] += static_cast<std::int64_t>(a.raw.size()) - static_cast<std::int64_t>(in.announcements[k].raw.size());
    }
    return changes;
}

// Pairs the new-data segments of both sides in stream order. A device may cut or join
// segments (a correct ALG holds the start of a split command and sends the whole line), so a
// pair is a group: consecutive segments on each side that end at the same point once the
// rewrites inside the group are counted. Each group's first outside segment must start where
// the inside one does, shifted by the changes before it.
StreamMap check_data(const ControlRecord& in, const ControlRecord& out, Direction d, Checker& ck) {
    StreamMap map;
    auto a = new_data(in, d);
    auto b = new_data(out, d);
    const auto changes = changes_by_outside_frame(in, out, d);
    auto change_of = [&](const SegmentFact& s) {
        const auto it = changes.find(s.frame);
        return it == changes.end() ? std::int64_t{0} : it->second;
    };
    auto end_of = [](const SegmentFact& s) { return static_cast<std::int64_t>(s.seq) + s.len; };
    std::int64_t shift = 0;
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const SegmentFact& first_in = *a[i];
        const SegmentFact& first_out = *b[j];
        std::int64_t expected = static_cast<std::int64_t>(first_in.seq) + shift;
        if (static_cast<std::int64_t>(first_out.seq) != expected)
            ck.add(first_in.frame, first_out.frame,
                   std::string(dir_name(d)) + " seq " + std::to_string(first_out.seq) + " outside, expected " +
                       std::to_string(expected) + " (inside " + std::to_string(first_in.seq) + " shifted by " +
                       signed_text(shift) + ")");
        std::int64_t in_end = end_of(first_in), out_end = end_of(first_out);
        std::int64_t change = change_of(first_out);
        std::size_t gi = i + 1, gj = j + 1;
        // Extend the group on the side that ends short, while its next segment follows on.
        for (int steps = 0; steps < 64; ++steps) {
            const std::int64_t in_mapped = in_end - static_cast<std::int64_t>(first_in.seq) + change;
            const std::int64_t out_len = out_end - static_cast<std::int64_t>(first_out.seq);
            if (in_mapped == out_len) break;
            if (in_mapped < out_len && gi < a.size() && end_of(*a[gi]) > in_end &&
                static_cast<std::int64_t>(a[gi]->seq) <= in_end) {
                in_end = end_of(*a[gi++]);
            } else if (in_mapped > out_len && gj < b.size() && end_of(*b[gj]) > out_end &&
                       static_cast<std::int64_t>(b[gj]->seq) <= out_end) {
                change += change_of(*b[gj]);
                out_end = end_of(*b[gj++]);
            } else {
                break;  // no common end: the lengths say what changed
            }
        }
        const std::int64_t group_change = (out_end - static_cast<std::int64_t>(first_out.seq)) -
                                          (in_end - static_cast<std::int64_t>(first_in.seq));
        map.add(first_in.seq, in_end, group_change);
        shift += group_change;
        i = gi;
        j = gj;
    }
    return map;
}

std::vector<const SegmentFact*> acking(const ControlRecord& c, Direction d, bool advancing_only) {
    std::vector<const SegmentFact*> out;
    std::int64_t highest = -1;
    for (const SegmentFact& s : from_first_data(c)) {
        if (s.dir != d || (s.flags & tcp::kAck) == 0 || (s.flags & tcp::kRst) != 0) continue;
        if (advancing_only && static_cast<std::int64_t>(s.ack) <= highest) continue;
        highest = std::max<std::int64_t>(highest, s.ack);
        out.push_back(&s);
    }
    return out;
}

// Acknowledgements travelling in direction `d` acknowledge the other direction's stream.
void check_acks(const ControlRecord& in, const ControlRecord& out, Direction d, const StreamMap& acked,
                Checker& ck) {
    auto a = acking(in, d, false);
    auto b = acking(out, d, false);
    const bool same_count = a.size() == b.size();
    if (!same_count) {
        a = acking(in, d, true);
        b = acking(out, d, true);
    }
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
        const SegmentFact& i = *a[k];
        const SegmentFact& o = *b[k];
        std::optional<std::int64_t> expected = acked.map(i.ack);
        if (expected && *expected != static_cast<std::int64_t>(o.ack))
            ck.add(i.frame, o.frame,
                   std::string(dir_name(d)) + " ack " + std::to_string(o.ack) + " outside, expected " +
                       std::to_string(*expected) + " (inside ack " + std::to_string(i.ack) + ")");
        if (!same_count || i.sack_count != o.sack_count) continue;
        for (std::uint8_t s = 0; s < i.sack_count; ++s) {
            auto left = acked.map(i.sack[s].left);
            auto right = acked.map(i.sack[s].right);
            if ((left && *left != static_cast<std::int64_t>(o.sack[s].left)) ||
                (right && *right != static_cast<std::int64_t>(o.sack[s].right)))
                ck.add(i.frame, o.frame,
                       std::string(dir_name(d)) + " SACK " + std::to_string(o.sack[s].left) + "-" +
                           std::to_string(o.sack[s].right) + " outside, expected " +
                           (left ? std::to_string(*left) : "?") + "-" + (right ? std::to_string(*right) : "?") +
                           " (inside " + std::to_string(i.sack[s].left) + "-" +
                           std::to_string(i.sack[s].right) + ")");
        }
    }
}

}  // namespace

std::vector<SeqViolation> check_seq_continuity(const ControlRecord& inside, const ControlRecord& outside,
                                               std::size_t limit) {
    std::vector<SeqViolation> out;
    Checker ck{out, limit};
    StreamMap c2s = check_data(inside, outside, Direction::kClientToServer, ck);
    StreamMap s2c = check_data(inside, outside, Direction::kServerToClient, ck);
    check_acks(inside, outside, Direction::kServerToClient, c2s, ck);
    check_acks(inside, outside, Direction::kClientToServer, s2c, ck);
    std::stable_sort(out.begin(), out.end(),
                     [](const SeqViolation& a, const SeqViolation& b) { return a.inside_frame < b.inside_frame; });
    return out;
}

}  // namespace ftpsim::natcheck
