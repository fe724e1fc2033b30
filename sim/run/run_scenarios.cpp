#include "sim/run/run_scenarios.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sim/netns/privileges.hpp"
#include "sim/run/capture_checks.hpp"
#include "sim/run/kernel_runner.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

namespace {

constexpr int kPass = 0, kFail = 1, kBad = 2, kSkip = 77;

std::string seconds(std::chrono::steady_clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f s", std::chrono::duration<double>(d).count());
    return buf;
}

bool in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string(ci) == "true";
}

// Prints the checks of one scenario; returns kPass or kFail (kBad for a missing golden file).
int report_checks(const std::vector<PointResult>& results, std::ostream& out) {
    using S = PointResult::Status;
    int rc = kPass;
    for (const auto& r : results) {
        switch (r.status) {
            case S::kMatch: out << "  " << r.point << ": " << r.golden << ": match\n"; break;
            case S::kUnchanged: out << "  " << r.point << ": " << r.golden << ": unchanged\n"; break;
            case S::kUpdated: out << r.diff << "  " << r.point << ": " << r.golden << ": updated\n"; break;
            case S::kMismatch:
                out << r.diff << "  " << r.point << ": " << r.golden << ": MISMATCH (capture " << r.capture << ")\n";
                rc = std::max(rc, kFail);
                break;
            case S::kError:
                out << "  " << r.point << ": " << r.error << "\n";
                rc = kBad;
                break;
        }
        for (const auto& f : r.count_failures) {
            out << "  " << r.point << ": counts: " << f << "\n";
            rc = std::max(rc, kFail);
        }
    }
    return rc;
}

int run_one(const std::string& file, const RunScenariosOptions& o, std::ostream& out, std::ostream& err) {
    const auto start = std::chrono::steady_clock::now();
    std::string name = file;
    int rc = kPass;
    std::string reason;
    try {
        scenario::Scenario s = scenario::load_scenario(file);
        name = s.name;
        NetworkPlan plan = plan_network(s);
        KernelRunResult run = run_on_kernel(s, plan, {o.out_dir, o.deadline});
        std::vector<std::pair<std::string, std::string>> caps;
        for (const auto& c : run.captures) {
            caps.emplace_back(c.point, c.path);
            if (c.dropped != 0) err << name << ": " << c.point << ": " << c.dropped << " packets dropped by the kernel\n";
        }
        rc = report_checks(check_captures(s, caps, plan.keep_ports, o.update_golden, err), out);
        if (rc != kPass) reason = rc == kBad ? "cannot check" : "captures differ from what is expected";
    } catch (const scenario::ScenarioError& e) {
        rc = kBad;
        reason = e.what();
    } catch (const config::ConfigError& e) {
        rc = kBad;
        reason = e.what();
    } catch (const UnsupportedScenario& e) {
        rc = kBad;
        reason = e.what();
    } catch (const EnvironmentError& e) {
        rc = kBad;
        reason = e.what();
    } catch (const RunFailure& e) {
        rc = kFail;
        reason = e.what();
    } catch (const std::exception& e) {
        rc = kBad;
        reason = e.what();
    }
    const char* verdict = rc == kPass ? "PASS" : rc == kFail ? "FAIL" : "ERROR";
    out << verdict << " " << name << " (" << seconds(std::chrono::steady_clock::now() - start) << ")"
        << (reason.empty() ? "" : ": " + reason) << std::endl;
    return rc;
}

}  // namespace

int run_scenarios(const RunScenariosOptions& o, std::ostream& out, std::ostream& err) {
    if (o.net == "virtual") {
        err << "ftpsim run: the virtual network backend is not built yet; use --net kernel\n";
        return kBad;
    }
    if (o.net != "kernel") {
        err << "ftpsim run: --net " << o.net << ": expected kernel or virtual\n";
        return kBad;
    }
    // Said once, before any scenario, rather than once per scenario.
    try {
        netns::require_netns_privilege();
    } catch (const netns::PrivilegeError& e) {
        err << "ftpsim run: the kernel network backend needs root or CAP_NET_ADMIN (with CAP_SYS_ADMIN) to create "
               "network namespaces: "
            << e.what() << "\n";
        if (o.skip_without_privilege && !in_ci()) {
            err << "ftpsim run: skipped\n";
            return kSkip;
        }
        return kBad;
    }
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec) {
        err << "ftpsim run: --out " << o.out_dir << ": " << ec.message() << "\n";
        return kBad;
    }
    int worst = kPass;
    for (const auto& f : o.files) {
        int rc = run_one(f, o, out, err);
        // 2 wins over 1: an environment that cannot run scenarios says nothing about them.
        if (rc == kBad || (rc == kFail && worst == kPass)) worst = rc;
    }
    return worst;
}

}  // namespace ftpsim::sim::run
