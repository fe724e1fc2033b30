#include "sim/config/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace ftpsim::sim::config {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.size() > 256) return std::nullopt;  // not a typo; and keeps the work bounded
    std::size_t best = std::max<std::size_t>(2, word.size() / 3) + 1;
    std::optional<std::string> out;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(word, c);
        if (d < best) {
            best = d;
            out = c;
        }
    }
    return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    auto n = nearest(word, candidates);
    return n ? "; did you mean '" + *n + "'?" : std::string();
}

}  // namespace ftpsim::sim::config
