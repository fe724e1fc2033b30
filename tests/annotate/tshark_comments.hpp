// Reading packet comments back with tshark, as a person would see them in Wireshark's
// frame.comment column. Tests that need tshark skip with the reason when it is missing, and fail
// in CI, where a missing tool is a broken setup (support/ci.hpp).
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "support/ci.hpp"

namespace ftpsim::testsupport {

inline bool have_tshark_binary() { return std::system("tshark --version >/dev/null 2>&1") == 0; }

// frame number -> frame.comment, for every frame tshark reads; `ok` false when tshark failed.
struct TsharkComments {
    bool ok = false;
    std::map<std::uint64_t, std::string> comments;
    std::string output;  // everything tshark printed, for failure messages
};

inline TsharkComments tshark_comments(const std::string& capture) {
    TsharkComments out;
    const std::string cmd = "tshark -r '" + capture +
                            "' -T fields -E separator=/t -e frame.number -e frame.comment 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    if (!pipe) return out;
    char buf[4096];
    while (std::fgets(buf, sizeof buf, pipe.get()) != nullptr) out.output += buf;
    out.ok = pclose(pipe.release()) == 0;
    std::size_t pos = 0;
    while (pos < out.output.size()) {
        std::size_t end = out.output.find('\n', pos);
        if (end == std::string::npos) end = out.output.size();
        std::string line = out.output.substr(pos, end - pos);
        pos = end + 1;
        std::size_t tab = line.find('\t');
        if (tab == std::string::npos || tab == 0 || line.find_first_not_of("0123456789") != tab) continue;
        out.comments[std::stoull(line.substr(0, tab))] = line.substr(tab + 1);
    }
    return out;
}

}  // namespace ftpsim::testsupport

// Skips the test (fails it in CI) when tshark is not installed.
#define FTPSIM_REQUIRE_TSHARK()                                                            \
    do {                                                                                   \
        if (!::ftpsim::testsupport::have_tshark_binary()) {                                \
            if (::ftpsim::testsupport::in_ci()) FAIL() << "tshark is missing in CI";       \
            GTEST_SKIP() << "tshark is not installed (Debian package tshark)";             \
        }                                                                                  \
    } while (false)
