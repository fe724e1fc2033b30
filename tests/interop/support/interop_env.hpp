// What the interop tests need from their surroundings, and how they react when it is missing:
// outside CI a missing tool or privilege skips the test with the reason; in CI (CI=true) it
// fails it, so a runner that lacks vsftpd or curl can never pass by skipping everything.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "support/ci.hpp"

namespace ftpsim::interop {

using testsupport::in_ci;

// The absolute path of `tool` on PATH (or a few sbin directories, where vsftpd lives), or "".
inline std::string find_tool(const std::string& tool) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
    path += ":/usr/sbin:/sbin:/usr/local/sbin";
    std::istringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        std::filesystem::path p = std::filesystem::path(dir) / tool;
        if (::access(p.c_str(), X_OK) == 0 && !std::filesystem::is_directory(p)) return p.string();
    }
    return {};
}

inline bool is_root() { return ::geteuid() == 0; }

inline std::string ftpsim_binary() { return FTPSIM_BINARY; }

// Seconds to allow one client tool run; FTPSIM_INTEROP_TIMEOUT overrides (slow machines).
inline int tool_timeout_seconds() {
    if (const char* t = std::getenv("FTPSIM_INTEROP_TIMEOUT")) {
        int v = std::atoi(t);
        if (v > 0) return v;
    }
    return 60;
}

}  // namespace ftpsim::interop

// Skips (outside CI) or fails (in CI) the current test when `cond` does not hold.
// Use directly in a TEST body or a SetUp(), like GTEST_SKIP().
#define FTPSIM_REQUIRE(cond, reason)                                                     \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            if (::ftpsim::interop::in_ci()) {                                            \
                FAIL() << "missing in CI: " << reason;                                   \
            } else {                                                                     \
                GTEST_SKIP() << reason << " (a failure when CI=true)";                   \
            }                                                                            \
        }                                                                                \
    } while (0)

#define FTPSIM_REQUIRE_TOOL(tool)                                                        \
    FTPSIM_REQUIRE(!::ftpsim::interop::find_tool(tool).empty(),                          \
                   "`" tool "` is not installed (Debian package; scripts/setup installs it)")
