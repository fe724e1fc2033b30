// Whether the tests run in CI (.ci/run sets CI=true). A test that cannot get what it needs
// (root, namespaces, tshark, a capture another test writes) skips with the reason on a
// developer's machine, and fails in CI: there a skip would hide a broken setup.
#pragma once

#include <cstdlib>
#include <string_view>

namespace ftpsim::testsupport {

inline bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string_view(ci) == "true";
}

}  // namespace ftpsim::testsupport
