#include "sim/run/scenario_outcome.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <sstream>

#include "sim/run/annotated_capture.hpp"
#include "sim/run/lesson_files.hpp"
#include "sim/run/truth_files.hpp"
#include "sim/run/capture_checks.hpp"
#include "sim/run/exit_status.hpp"
#include "sim/run/kernel_runner.hpp"
#include "sim/run/nat_expectation.hpp"
#include "sim/run/network_plan.hpp"
#include "sim/run/step_failures.hpp"
#include "sim/run/unhappened_faults.hpp"
#include "sim/run/virtual_runner.hpp"
#include "sim/scenario/scenario.hpp"

namespace ftpsim::sim::run {

namespace {

// The checks' lines of one scenario; returns kExitPass, kExitFail, or kExitBad for a capture
// that cannot be checked (a missing golden file, an unreadable capture).
// `create_pins`: the command that writes a missing pin ("ftpsim run FILE --update-golden").
int report_checks(const std::vector<PointResult>& results, const std::string& create_pins, std::ostream& out,
                  std::string& missing_pin) {
    using S = PointResult::Status;
    int rc = kExitPass;
    for (const auto& r : results) {
        const std::string where = "  " + r.point + ": " + r.golden + ": ";
        switch (r.status) {
            case S::kMatch: out << where << "match\n"; break;
            case S::kUnchanged: out << where << "unchanged\n"; break;
            case S::kUpdated: out << r.diff << where << "updated\n"; break;
            case S::kMismatch:
                out << r.diff << where << "MISMATCH (capture " << r.capture << ")\n";
                rc = worse_status(rc, kExitFail);
                break;
            case S::kError:
                out << "  " << r.point << ": " << r.error << "\n";
                rc = kExitBad;
                break;
        }
        for (const auto& f : r.count_failures) {
            // nat-check's verdicts say what they are ("nat-check verdict fail, expected pass").
            out << "  " << r.point << (f.rfind("nat-check", 0) == 0 ? ": " : ": counts: ") << f << "\n";
            rc = worse_status(rc, kExitFail);
        }
        if (r.pin) {
            using P = PinOutcome::Status;
            const std::string pin = "  " + r.point + ": " + r.pin->path + ": ";
            switch (r.pin->status) {
                case P::kMatch: out << pin << "bytes match\n"; break;
                case P::kUnchanged: out << pin << "unchanged\n"; break;
                case P::kWritten:
                    out << pin << "pinned " << r.pin->actual << (r.pin->pinned.empty() ? "" : " (was " + r.pin->pinned + ")")
                        << "\n";
                    break;
                case P::kMismatch:
                    out << pin << "BYTES DIFFER: sha256 " << r.pin->actual << ", pinned " << r.pin->pinned
                        << " (capture " << r.capture << ")\n";
                    rc = worse_status(rc, kExitFail);
                    break;
                case P::kMissing:
                    // Only a virtual run pins bytes (a kernel run's differ each time), so a kernel
                    // run's --update-golden cannot have written it.
                    {
                        // Each point names its own pin file; the reason line names the first.
                        const std::string line = "no pin file " + r.pin->path + ": run `" + create_pins +
                                                 "` (virtual network) to create it";
                        if (missing_pin.empty()) missing_pin = line;
                        out << "  " << r.point << ": " << line << "\n";
                    }
                    rc = kExitBad;
                    break;
            }
        }
    }
    return rc;
}

// The client's steps that failed where the scenario did not expect it (step_failures.hpp): a
// FAIL even when every capture matches its golden file.
int report_step_failures(const std::vector<std::string>& failures, std::ostream& out) {
    for (const auto& f : failures) out << "  client: step failed (not expected by the scenario): " << f << "\n";
    return failures.empty() ? kExitPass : kExitFail;
}

// Impairments and faults that found nothing to act on (unhappened_faults.hpp): the scenario does
// not show what it says, an error in the file rather than a failed run.
int report_missed(const std::vector<std::string>& missed, std::ostream& out) {
    for (const auto& m : missed) out << "  " << m << "\n";
    return missed.empty() ? kExitPass : kExitBad;
}

}  // namespace

std::string ScenarioOutcome::summary_line() const {
    const char* verdict = status == kExitPass   ? "PASS"
                          : status == kExitFail ? "FAIL"
                          : status == kExitSkip ? "SKIP"
                                                : "ERROR";
    return std::string(verdict) + " " + name + " (" + format_seconds(seconds()) + ")" +
           (reason.empty() ? "" : ": " + reason);
}

std::string format_seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f s", s);
    return buf;
}

std::variant<PreparedScenario, ScenarioOutcome> prepare_scenario(const std::string& file, const std::string& net) {
    const auto start = std::chrono::steady_clock::now();
    ScenarioOutcome stop;
    stop.file = stop.name = file;
    try {
        PreparedScenario p{scenario::load_scenario(file), {}};
        stop.name = p.scenario.name;
        const std::string why = scenario::virtual_network_only(p.scenario);
        if (net == "kernel" && !why.empty()) {
            // Not a mistake in the file: this backend does not apply. `ftpsim test --net kernel`
            // over a directory skips it rather than failing.
            stop.status = kExitSkip;
            stop.reason = "skipped on the kernel backend: " + why + " (only the virtual network)";
        } else {
            if (net == "kernel") {
                p.plan = plan_network(p.scenario);
            } else {
                p.plan = plan_virtual(p.scenario);
            }
            return p;
        }
    } catch (const std::exception& e) {
        stop.status = kExitBad;
        stop.reason = e.what();
    }
    stop.elapsed = std::chrono::steady_clock::now() - start;
    return stop;
}

ScenarioOutcome run_scenario(const PreparedScenario& p, const ScenarioRunOptions& o) {
    const auto start = std::chrono::steady_clock::now();
    const scenario::Scenario& s = p.scenario;
    ScenarioOutcome result;
    result.file = s.file;
    result.name = s.name;
    std::ostringstream report, warnings;
    auto fail = [&](int status, const std::exception& e) {
        result.status = status;
        result.reason = e.what();
    };
    try {
        CapturePaths caps;
        CheckCapturesOptions checks{{}, o.golden_dir, o.update_golden};
        checks.format = o.format;
        // --format pcapng: each pcap the run wrote becomes annotated pcapng before it is checked
        // (and pinned), so what is judged is the file the user gets.
        auto publish = [&](const std::string& point, const std::string& pcap) {
            if (o.format != CaptureFormat::kPcapng) {
                std::error_code ec;  // an older run's pcapng must not be taken for this one's
                std::filesystem::remove(pcapng_path_for(pcap), ec);
                return pcap;
            }
            return publish_annotated(s, point, pcap, [&](const std::string& w) { warnings << w << "\n"; });
        };
        std::vector<PointResult> results;
        std::vector<std::string> step_failures, missed;
        if (const auto* kernel = std::get_if<NetworkPlan>(&p.plan)) {
            if (o.truth)
                throw std::invalid_argument("--truth needs the virtual network (--net virtual): the ground truth is "
                                            "what the simulator sent, which kernel TCP does not tell");
            KernelRunResult run = run_on_kernel(s, *kernel, {o.out_dir, o.deadline});
            for (const auto& w : run.warnings) warnings << w << "\n";
            for (const auto& c : run.captures) {
                caps.emplace_back(c.point, publish(c.point, c.path));
                if (c.dropped != 0) warnings << c.point << ": " << c.dropped << " packets dropped by the kernel\n";
            }
            checks.keep_ports = kernel->keep_ports;
            checks.host_tcp = true;
            results = check_captures(s, caps, checks, warnings);
            step_failures = unexpected_step_failures(s, run.client.results);
            missed = faults_that_did_not_happen(s, run.client.results);
        } else {
            // The frames are analysed as the network sends them; the files are only published
            // (and their bytes pinned).
            const auto& plan = std::get<VirtualPlan>(p.plan);
            checks.keep_ports = plan.keep_ports;
            checks.pin_bytes = true;
            // One analysis per capture point: each interface sees its own frames.
            std::vector<std::unique_ptr<FrameChecks>> frames;
            std::vector<vnet::FrameTap*> taps;
            for (const auto& point : plan.capture_points) {
                frames.push_back(std::make_unique<FrameChecks>(s, checks, virtual_capture_path(s, o.out_dir, point), warnings));
                taps.push_back(frames.back().get());
            }
            std::optional<TruthRecording> truth;
            if (o.truth) {
                // A NAT or ALG rewrites addresses, sequence numbers and PORT/227 text: the bytes at
                // its capture points are not the ones the engines wrote (docs/ground-truth.md).
                for (const auto& router : plan.network.network.routers)
                    if (router.nat)
                        throw std::invalid_argument("--truth: router '" + router.name +
                                                    "' translates addresses; ground truth needs a topology "
                                                    "without address translation");
                truth.emplace(taps);
            }
            VirtualRunResult run = run_on_virtual(s, plan, o.out_dir, taps, truth ? truth->ledger() : nullptr);
            for (std::size_t i = 0; i < run.captures.size(); ++i) {
                caps.emplace_back(run.captures[i].point, publish(run.captures[i].point, run.captures[i].path));
                const CapturePaths one = {caps.back()};
                for (auto& r : frames[i]->finish(one)) results.push_back(std::move(r));
            }
            if (truth)
                for (const std::string& file : truth->write(s, caps)) report << "  ground truth " << file << "\n";
            step_failures = unexpected_step_failures(s, run.results);
            missed = run.missed_impairments;
            for (auto& m : faults_that_did_not_happen(s, run.results)) missed.push_back(std::move(m));
        }
        if (auto nat = check_nat_expectation(s, caps, checks)) results.push_back(std::move(*nat));
        // The lessons describe the files as published, whatever the checks say: a failing
        // scenario's lesson shows what went wrong.
        if (!o.lessons_dir.empty())
            for (const auto& [point, path] : caps) {
                const auto files = write_lessons(s, point, path, o.lessons_dir,
                                                 [&](const std::string& w) { warnings << w << "\n"; });
                report << "  " << point << ": lesson " << files[0] << ", " << files[1] << "\n";
            }
        std::string missing_pin;
        const std::string create_pins = "ftpsim run " + s.file + " --update-golden" +
                                        (o.golden_dir.empty() ? "" : " --golden-dir " + o.golden_dir) +
                                        (o.format == CaptureFormat::kPcapng ? " --format pcapng" : "");
        result.status = report_checks(results, create_pins, report, missing_pin);
        const int steps = report_step_failures(step_failures, report);
        const int faults = report_missed(missed, report);
        if (faults != kExitPass)
            result.reason = missed.front() + (missed.size() > 1 ? " (and more, see the report)" : "");
        else if (!missing_pin.empty())
            result.reason = missing_pin;
        else if (result.status != kExitPass)
            result.reason = result.status == kExitBad ? "cannot check" : "captures differ from what is expected";
        else if (steps != kExitPass)
            result.reason = "a client step failed that the scenario does not expect";
        result.status = worse_status(worse_status(result.status, steps), faults);
    } catch (const RunFailure& e) {
        fail(kExitFail, e);  // it ran and did not complete: the scenario fails
    } catch (const std::exception& e) {
        fail(kExitBad, e);  // the environment (EnvironmentError) or an unforeseen error
    }
    result.report = report.str();
    result.warnings = warnings.str();
    result.elapsed = std::chrono::steady_clock::now() - start;
    return result;
}

}  // namespace ftpsim::sim::run
