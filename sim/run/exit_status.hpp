// The exit statuses of `ftpsim run` and `ftpsim test`, shared with the result of each scenario.
#pragma once

namespace ftpsim::sim::run {

constexpr int kExitPass = 0;   // every scenario passed
constexpr int kExitFail = 1;   // a scenario ran and its captures differ from what is expected
constexpr int kExitBad = 2;    // bad input or an environment that cannot run scenarios
constexpr int kExitSkip = 77;  // CTest's "skipped": no privilege, outside CI

// The status of several scenarios: 2 wins over 1 (an environment that cannot run scenarios says
// nothing about them), 1 over 0, and 77 only when every scenario was skipped: start from
// kExitSkip and fold each scenario's status in.
constexpr int worse_status(int a, int b) {
    if (a == kExitBad || b == kExitBad) return kExitBad;
    if (a == kExitFail || b == kExitFail) return kExitFail;
    if (a == kExitPass || b == kExitPass) return kExitPass;
    return kExitSkip;
}

}  // namespace ftpsim::sim::run
