#include "sim/run/run_scenarios.hpp"

#include <filesystem>
#include <vector>

#include "sim/run/backend_privilege.hpp"
#include "sim/run/exit_status.hpp"
#include "sim/run/leftovers.hpp"

namespace ftpsim::sim::run {

void print_outcome(const ScenarioOutcome& o, std::ostream& out, std::ostream& err) {
    if (!o.warnings.empty()) {
        // Each warning line names the scenario: with several scenarios they would be ambiguous.
        std::size_t at = 0;
        while (at < o.warnings.size()) {
            std::size_t nl = o.warnings.find('\n', at);
            if (nl == std::string::npos) nl = o.warnings.size();
            err << o.name << ": " << o.warnings.substr(at, nl - at) << "\n";
            at = nl + 1;
        }
    }
    out << o.report << o.summary_line() << std::endl;
}

int check_backend_and_output(const std::string& who, const std::string& net, const std::string& out_dir,
                             std::ostream& err) {
    if (net != "kernel" && net != "virtual") {
        err << who << ": --net " << net << ": expected kernel or virtual\n";
        return kExitBad;
    }
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) {
        err << who << ": --out " << out_dir << ": " << ec.message() << "\n";
        return kExitBad;
    }
    return kExitPass;
}

int run_scenarios(const RunScenariosOptions& o, std::ostream& out, std::ostream& err) {
    if (int rc = check_backend_and_output("ftpsim run", o.run.net, o.run.out_dir, err); rc != kExitPass) return rc;
    int worst = kExitSkip;
    std::vector<PreparedScenario> runnable;
    for (const auto& f : o.files) {
        auto prepared = prepare_scenario(f, o.run.net);
        if (auto* stop = std::get_if<ScenarioOutcome>(&prepared)) {
            print_outcome(*stop, out, err);
            worst = worse_status(worst, stop->status);
        } else {
            runnable.push_back(std::move(std::get<PreparedScenario>(prepared)));
        }
    }
    if (runnable.empty()) return worst;
    // Said once, before any scenario, rather than once per scenario.
    if (o.run.net == "kernel")
        if (int rc = acquire_kernel_backend("ftpsim run", o.skip_without_privilege, err); rc != kExitPass)
            return worse_status(worst, rc);
    remove_leftovers_of_killed_runs("ftpsim run", {o.run.out_dir, o.run.lessons_dir}, o.run.net == "kernel", err);
    for (const auto& p : runnable) {
        ScenarioOutcome outcome = run_scenario(p, o.run);
        print_outcome(outcome, out, err);
        worst = worse_status(worst, outcome.status);
    }
    return worst;
}

}  // namespace ftpsim::sim::run
