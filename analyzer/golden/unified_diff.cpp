#include "golden/unified_diff.hpp"

#include <algorithm>

namespace ftpsim::golden {
namespace {

enum class Op { kKeep, kDelete, kInsert };

// Myers' greedy shortest edit script ("An O(ND) Difference Algorithm", 1986), keeping every
// round's frontier so the path can be traced back. Golden files are small, so the O(D^2) memory
// of the trace is fine.
std::vector<Op> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    const int max = n + m;
    std::vector<int> v(2 * max + 2, 0);
    std::vector<std::vector<int>> trace;
    int found_d = -1;
    for (int d = 0; d <= max && found_d < 0; ++d) {
        trace.push_back(v);
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? v[k + 1 + max]
                                                                              : v[k - 1 + max] + 1;
            int y = x - k;
            while (x < n && y < m && a[x] == b[y]) ++x, ++y;
            v[k + max] = x;
            if (x >= n && y >= m) {
                found_d = d;
                break;
            }
        }
    }
    trace.push_back(v);
    std::vector<Op> ops;
    int x = n, y = m;
    for (int d = found_d; d > 0; --d) {
        const std::vector<int>& pv = trace[d];  // frontier before round d
        int k = x - y;
        bool down = (k == -d || (k != d && pv[k - 1 + max] < pv[k + 1 + max]));
        int pk = down ? k + 1 : k - 1;
        int px = pv[pk + max], py = px - pk;
        while (x > px + (down ? 0 : 1) && y > py + (down ? 1 : 0)) {
            ops.push_back(Op::kKeep);
            --x, --y;
        }
        ops.push_back(down ? Op::kInsert : Op::kDelete);
        x = px, y = py;
    }
    while (x > 0 && y > 0) {
        ops.push_back(Op::kKeep);
        --x, --y;
    }
    std::reverse(ops.begin(), ops.end());
    return ops;
}

}  // namespace

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::string unified_diff(const std::vector<std::string>& a, const std::vector<std::string>& b,
                         const std::string& a_name, const std::string& b_name, int context) {
    if (a == b) return {};
    std::vector<Op> ops = edit_script(a, b);
    // Positions in a and b before each op.
    struct Step {
        Op op;
        int ai, bi;
    };
    std::vector<Step> steps;
    int ai = 0, bi = 0;
    for (Op op : ops) {
        steps.push_back({op, ai, bi});
        if (op != Op::kInsert) ++ai;
        if (op != Op::kDelete) ++bi;
    }
    std::string out = "--- " + a_name + "\n+++ " + b_name + "\n";
    const int total = static_cast<int>(steps.size());
    int i = 0;
    while (i < total) {
        if (steps[i].op == Op::kKeep) {
            ++i;
            continue;
        }
        // A hunk: from `context` keeps before the change to `context` keeps after the last
        // change that is within 2*context of the previous one.
        int start = std::max(0, i - context);
        int end = i;
        int keeps = 0;
        for (int j = i; j < total; ++j) {
            if (steps[j].op == Op::kKeep) {
                if (++keeps > 2 * context) break;
            } else {
                keeps = 0;
                end = j;
            }
        }
        int stop = std::min(total, end + 1 + context);
        int a_start = steps[start].ai, b_start = steps[start].bi;
        int a_len = 0, b_len = 0;
        std::string body;
        for (int j = start; j < stop; ++j) {
            const Step& s = steps[j];
            if (s.op == Op::kKeep) {
                body += " " + a[s.ai] + "\n";
                ++a_len, ++b_len;
            } else if (s.op == Op::kDelete) {
                body += "-" + a[s.ai] + "\n";
                ++a_len;
            } else {
                body += "+" + b[s.bi] + "\n";
                ++b_len;
            }
        }
        out += "@@ -" + std::to_string(a_len ? a_start + 1 : a_start) + "," + std::to_string(a_len) +
               " +" + std::to_string(b_len ? b_start + 1 : b_start) + "," + std::to_string(b_len) +
               " @@\n" + body;
        i = stop;
    }
    return out;
}

}  // namespace ftpsim::golden
