// "did you mean ...?": the candidate nearest to a misspelt word, for configuration keys and
// client operations.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ftpsim::sim::config {

// The candidate at the smallest edit distance (Levenshtein, case-insensitive) from `word`, if
// it is close enough to be a plausible typo (at most a third of the word's length, at least 2).
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when nothing is near.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ftpsim::sim::config
