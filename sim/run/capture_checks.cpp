#include "sim/run/capture_checks.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

#include "decode/analyzer.hpp"
#include "golden/golden_check.hpp"
#include "render/renderers.hpp"

namespace ftpsim::sim::run {

namespace {

using nlohmann::json;

// A JSON value as text, the way counts compare: strings as they are, everything else dumped.
std::string as_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// The analyzer's JSON events of a capture: the same fields docs/analyzer-json.md documents,
// which is what `counts` names.
json json_events(const std::string& capture, std::ostream& err) {
    std::ostringstream doc;
    render::JsonRenderer renderer(doc, err, capture, false);
    renderer.finish(analyzer::analyze_file(capture, renderer));
    return json::parse(doc.str()).at("events");
}

std::string describe(const scenario::CountCheck& c) {
    std::string out;
    for (const auto& [k, v] : c.match) out += (out.empty() ? "" : " ") + k + "=" + v;
    return out;
}

std::vector<std::string> check_counts(const scenario::Scenario& s, const std::string& capture, std::ostream& err) {
    std::vector<std::string> failures;
    if (s.expect.counts.empty()) return failures;
    json events = json_events(capture, err);
    for (const auto& c : s.expect.counts) {
        std::uint64_t n = 0;
        for (const auto& e : events) {
            bool all = true;
            for (const auto& [k, v] : c.match) {
                auto it = e.find(k);
                if (it == e.end() || as_text(*it) != v) {
                    all = false;
                    break;
                }
            }
            n += all ? 1 : 0;
        }
        if (n != c.count)
            failures.push_back(describe(c) + ": " + std::to_string(n) + " events, expected " + std::to_string(c.count));
    }
    return failures;
}

}  // namespace

std::vector<PointResult> check_captures(const scenario::Scenario& s,
                                        const std::vector<std::pair<std::string, std::string>>& captures,
                                        const std::set<std::uint16_t>& keep_ports, bool update, std::ostream& err) {
    using Status = PointResult::Status;
    std::vector<PointResult> results;
    for (const auto& [point, capture] : captures) {
        PointResult r;
        r.point = point;
        r.capture = capture;
        r.golden = s.golden_path(point);
        try {
            golden::CheckOptions o;
            o.keep_ports = keep_ports;
            o.update = update;
            golden::CheckOutcome c = golden::check_golden(capture, r.golden, o, err);
            r.diff = c.diff;
            switch (c.status) {
                case golden::CheckStatus::kMatch: r.status = Status::kMatch; break;
                case golden::CheckStatus::kMismatch: r.status = Status::kMismatch; break;
                case golden::CheckStatus::kUpdated: r.status = Status::kUpdated; break;
                case golden::CheckStatus::kUnchanged: r.status = Status::kUnchanged; break;
            }
            r.count_failures = check_counts(s, capture, err);
        } catch (const std::exception& e) {
            r.status = Status::kError;
            r.error = e.what();
        }
        results.push_back(std::move(r));
    }
    return results;
}

}  // namespace ftpsim::sim::run
