// Unified diff of two line sequences (Myers' O((N+M)D) algorithm), as `diff -u` prints it.
#pragma once

#include <string>
#include <vector>

namespace ftpsim::golden {

std::vector<std::string> split_lines(const std::string& text);

// Empty when the sequences are equal.
std::string unified_diff(const std::vector<std::string>& expected,
                         const std::vector<std::string>& actual, const std::string& expected_name,
                         const std::string& actual_name, int context = 3);

}  // namespace ftpsim::golden
