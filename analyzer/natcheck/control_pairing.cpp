#include "natcheck/control_pairing.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <tuple>

namespace ftpsim::natcheck {
namespace {

std::size_t agreeing_lines(const ControlRecord& a, const ControlRecord& b) {
    std::size_t n = std::min(a.messages.size(), b.messages.size());
    std::size_t i = 0;
    while (i < n && a.messages[i].reply == b.messages[i].reply && a.messages[i].masked == b.messages[i].masked) ++i;
    return i;
}

bool pairs(const ControlRecord& a, const ControlRecord& b, std::size_t agree) {
    std::size_t need = std::min({kMinAgreeingLines, a.messages.size(), b.messages.size()});
    return need > 0 && agree >= need;
}

}  // namespace

std::vector<ControlMatch> pair_controls(const SideRecord& inside, const SideRecord& outside) {
    std::vector<ControlMatch> out;
    std::vector<bool> taken(outside.controls.size(), false);
    for (std::size_t i = 0; i < inside.controls.size(); ++i) {
        const ControlRecord& in = inside.controls[i];
        struct Best {
            std::size_t index, agree;
            bool same_port;
            tcp::TimeNs distance;
        };
        std::optional<Best> best;
        for (std::size_t o = 0; o < outside.controls.size(); ++o) {
            if (taken[o]) continue;
            const ControlRecord& cand = outside.controls[o];
            std::size_t agree = agreeing_lines(in, cand);
            if (!pairs(in, cand, agree)) continue;
            Best b{o, agree, in.server.port == cand.server.port, std::llabs(in.open_time - cand.open_time)};
            // More agreeing lines first, then the same server port, then the closer start.
            auto key = [](const Best& x) { return std::make_tuple(x.agree, x.same_port, -x.distance); };
            if (!best || key(b) > key(*best)) best = b;
        }
        if (!best) continue;
        taken[best->index] = true;
        out.push_back({i, best->index});
    }
    return out;
}

}  // namespace ftpsim::natcheck
