#include "sim/run/test_suite.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "golden/atomic_file.hpp"
#include "sim/run/backend_privilege.hpp"
#include "sim/run/exit_status.hpp"
#include "sim/run/junit_report.hpp"
#include "sim/run/leftovers.hpp"
#include "sim/run/run_scenarios.hpp"

namespace ftpsim::sim::run {

namespace fs = std::filesystem;

namespace {

bool is_scenario_file(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }

void print_summary(const std::vector<ScenarioOutcome>& outcomes, double wall, unsigned jobs, const std::string& net,
                   std::ostream& out) {
    std::size_t width = 0, passed = 0, failed = 0, errors = 0, skipped = 0;
    for (const auto& o : outcomes) width = std::max(width, o.name.size());
    out << "\nSummary (" << net << " network, " << jobs << (jobs == 1 ? " job" : " jobs") << "):\n";
    for (const auto& o : outcomes) {
        const char* verdict = o.status == kExitPass   ? "PASS "
                              : o.status == kExitFail ? "FAIL "
                              : o.status == kExitSkip ? "SKIP "
                                                      : "ERROR";
        passed += o.status == kExitPass;
        failed += o.status == kExitFail;
        errors += o.status == kExitBad;
        skipped += o.status == kExitSkip;
        out << "  " << verdict << " " << o.name << std::string(width - o.name.size() + 2, ' ')
            << format_seconds(o.seconds()) << (o.reason.empty() ? "" : "  " + o.reason) << "\n";
    }
    out << outcomes.size() << " scenarios: " << passed << " passed, " << failed << " failed, " << errors
        << " errors, " << skipped << " skipped, in " << format_seconds(wall) << std::endl;
}

}  // namespace

std::vector<std::string> discover_scenarios(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const auto& p : paths) {
        std::error_code ec;
        const auto status = fs::status(p, ec);
        if (ec || !fs::exists(status)) throw std::runtime_error(p + ": no such file or directory");
        if (!fs::is_directory(status)) {
            files.push_back(p);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : fs::directory_iterator(p, ec))
            if (entry.is_regular_file() && is_scenario_file(entry.path())) found.push_back(entry.path().string());
        if (ec) throw std::runtime_error(p + ": " + ec.message());
        if (found.empty()) throw std::runtime_error(p + ": no scenario files (*.yaml, *.yml) in this directory");
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

int run_test_suite(const TestSuiteOptions& o, std::ostream& out, std::ostream& err) {
    std::vector<std::string> files;
    try {
        files = discover_scenarios(o.paths);
    } catch (const std::exception& e) {
        err << "ftpsim test: " << e.what() << "\n";
        return kExitBad;
    }
    if (int rc = check_backend_and_output("ftpsim test", o.run.net, o.run.out_dir, err); rc != kExitPass) return rc;
    const auto start = std::chrono::steady_clock::now();
    std::vector<ScenarioOutcome> outcomes(files.size());
    std::vector<std::pair<std::size_t, PreparedScenario>> runnable;  // (index in files, scenario)
    for (std::size_t i = 0; i < files.size(); ++i) {
        auto prepared = prepare_scenario(files[i], o.run.net);
        if (auto* stop = std::get_if<ScenarioOutcome>(&prepared)) {
            outcomes[i] = std::move(*stop);
            print_outcome(outcomes[i], out, err);
        } else {
            runnable.emplace_back(i, std::move(std::get<PreparedScenario>(prepared)));
        }
    }
    // Before the worker threads: entering a user namespace needs a single-threaded process.
    if (!runnable.empty() && o.run.net == "kernel")
        if (int rc = acquire_kernel_backend("ftpsim test", o.skip_without_privilege, err); rc != kExitPass) return rc;
    if (!runnable.empty()) {
        // Where this run writes: what a killed run left there goes first (leftovers.hpp).
        std::vector<std::string> dirs{o.run.out_dir, o.run.lessons_dir};
        if (!o.junit_path.empty()) dirs.push_back(fs::absolute(o.junit_path).parent_path().string());
        remove_leftovers_of_killed_runs("ftpsim test", dirs, o.run.net == "kernel", err);
    }

    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const unsigned jobs =
        std::max(1u, std::min<unsigned>(o.jobs == 0 ? cores : o.jobs, static_cast<unsigned>(runnable.size())));
    std::atomic<std::size_t> next{0};
    std::mutex print;
    // Each worker takes the next file; scenarios are independent (namespaces are named per run,
    // see kernel_runner.cpp), so they only share the terminal.
    auto worker = [&] {
        for (std::size_t k; (k = next.fetch_add(1)) < runnable.size();) {
            const std::size_t i = runnable[k].first;
            outcomes[i] = run_scenario(runnable[k].second, o.run);
            std::lock_guard lock(print);
            print_outcome(outcomes[i], out, err);
        }
    };
    std::vector<std::thread> threads;
    for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    print_summary(outcomes, wall, jobs, o.run.net, out);
    int worst = kExitSkip;
    for (const auto& r : outcomes) worst = worse_status(worst, r.status);
    if (!o.junit_path.empty()) {
        try {
            golden::write_file_atomically(o.junit_path, junit_xml("scenarios", outcomes));
            out << "JUnit report: " << o.junit_path << "\n";
        } catch (const std::exception& e) {
            err << "ftpsim test: --junit " << e.what() << "\n";
            worst = kExitBad;
        }
    }
    return worst;
}

}  // namespace ftpsim::sim::run
