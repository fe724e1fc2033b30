#include "sim/run/nat_expectation.hpp"

#include "golden/golden_check.hpp"
#include "natcheck/nat_check.hpp"
#include "natcheck/nat_render.hpp"

namespace ftpsim::sim::run {

std::optional<PointResult> check_nat_expectation(const scenario::Scenario& s, const CapturePaths& captures,
                                                 const CheckCapturesOptions& options) {
    if (!s.expect.nat) return std::nullopt;
    const scenario::NatExpect& want = *s.expect.nat;
    using Status = PointResult::Status;
    PointResult r;
    r.point = "nat";
    r.golden = s.golden_path("nat", options.golden_dir);
    auto path_of = [&](const std::string& point) -> std::string {
        for (const auto& [p, path] : captures)
            if (p == point) return path;
        return "";
    };
    // nat-check's INSIDE is the client's side of the device, OUTSIDE the server's.
    const std::string inside = path_of(want.client_side), outside = path_of(want.server_side);
    r.capture = inside + " + " + outside;
    if (inside.empty() || outside.empty()) {
        r.error = "expect.nat names capture points '" + want.client_side + "' and '" + want.server_side +
                  "': one was not captured";
        return r;
    }
    try {
        natcheck::NatCheckOptions o;
        o.analyze = analyze_options(s);
        const natcheck::Report report = natcheck::check_captures(inside, outside, o);
        golden::CheckOptions g;
        g.update = options.update;
        g.update_flag = "--update-golden";
        const golden::CheckOutcome c =
            golden::check_golden_text(natcheck::report_golden(report, options.keep_ports), r.capture, r.golden, g);
        r.diff = c.diff;
        r.status = point_status(c.status);
        // Verdicts are expectations, not golden text: --update-golden never changes them.
        if (want.verdict && natcheck::verdict_name(report.verdict()) != *want.verdict)
            r.count_failures.push_back(std::string("nat-check verdict ") + natcheck::verdict_name(report.verdict()) +
                                       ", expected " + *want.verdict);
        for (const auto& [check, verdict] : want.checks) {
            const natcheck::Verdict got = natcheck::check_verdict(report, check);
            if (natcheck::verdict_name(got) != verdict)
                r.count_failures.push_back("nat-check " + check + ": " + natcheck::verdict_name(got) + ", expected " + verdict);
        }
    } catch (const std::exception& e) {
        r.status = Status::kError;
        r.error = e.what();
    }
    return r;
}

}  // namespace ftpsim::sim::run
