#include "natcheck/control_pairing.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <tuple>
#include <unordered_map>

namespace ftpsim::natcheck {
namespace {

std::size_t agreeing_lines(const ControlRecord& a, const ControlRecord& b) {
    std::size_t n = std::min(a.messages.size(), b.messages.size());
    std::size_t i = 0;
    while (i < n && a.messages[i].reply == b.messages[i].reply && a.messages[i].masked == b.messages[i].masked) ++i;
    return i;
}

// How many first lines must agree: kMinAgreeingLines, fewer for a short session, and never
// past the first announcement, since a faulty device may corrupt the stream right after the
// rewrite (a length change without seq fix-up), which is what is being judged.
std::size_t head_length(const ControlRecord& c) {
    std::size_t n = std::min(kMinAgreeingLines, c.messages.size());
    if (!c.announcements.empty()) n = std::min(n, c.announcements.front().message + 1);
    return n;
}

bool pairs(const ControlRecord& a, const ControlRecord& b, std::size_t agree) {
    std::size_t need = std::min(head_length(a), head_length(b));
    return need > 0 && agree >= need;
}

// Connections with at least kMinAgreeingLines lines can pair only with one whose first
// kMinAgreeingLines lines are the same: a hash of those lines finds the candidates without
// comparing every inside connection with every outside one (a load run has thousands).
std::optional<std::size_t> head_hash(const ControlRecord& c) {
    if (head_length(c) < kMinAgreeingLines) return std::nullopt;
    std::size_t h = 0;
    for (std::size_t i = 0; i < kMinAgreeingLines; ++i)
        h = h * 1000003u ^ std::hash<std::string>{}(c.messages[i].masked) ^ (c.messages[i].reply ? 1u : 0u);
    return h;
}

}  // namespace

std::vector<ControlMatch> pair_controls(const SideRecord& inside, const SideRecord& outside) {
    std::vector<ControlMatch> out;
    std::vector<bool> taken(outside.controls.size(), false);
    std::unordered_multimap<std::size_t, std::size_t> by_head;  // head hash -> outside index
    std::vector<std::size_t> short_ones;                        // outside connections with a shorter head
    for (std::size_t o = 0; o < outside.controls.size(); ++o) {
        if (auto h = head_hash(outside.controls[o])) by_head.emplace(*h, o);
        else short_ones.push_back(o);
    }
    std::vector<std::size_t> all(outside.controls.size());
    for (std::size_t o = 0; o < all.size(); ++o) all[o] = o;
    for (std::size_t i = 0; i < inside.controls.size(); ++i) {
        const ControlRecord& in = inside.controls[i];
        std::vector<std::size_t> candidates = short_ones;
        if (auto h = head_hash(in)) {
            auto [from, to] = by_head.equal_range(*h);
            for (auto it = from; it != to; ++it) candidates.push_back(it->second);
        } else {
            candidates = all;
        }
        struct Best {
            std::size_t index, agree;
            bool same_port;
            tcp::TimeNs distance;
        };
        // More agreeing lines first, then the same server port, then the closer start; equal
        // keys: the earlier outside connection.
        auto key = [](const Best& x) { return std::make_tuple(x.agree, x.same_port, -x.distance, -static_cast<long long>(x.index)); };
        std::optional<Best> best;
        for (std::size_t o : candidates) {
            if (taken[o]) continue;
            const ControlRecord& cand = outside.controls[o];
            std::size_t agree = agreeing_lines(in, cand);
            if (!pairs(in, cand, agree)) continue;
            Best b{o, agree, in.server.port == cand.server.port, std::llabs(in.open_time - cand.open_time)};
            if (!best || key(b) > key(*best)) best = b;
        }
        if (!best) continue;
        taken[best->index] = true;
        out.push_back({i, best->index});
    }
    return out;
}

}  // namespace ftpsim::natcheck
