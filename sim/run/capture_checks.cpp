#include "sim/run/capture_checks.hpp"

#include <algorithm>

#include "decode/analyzer.hpp"
#include "golden/golden_check.hpp"
#include "render/renderers.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim::run {

namespace {

// A JSON value as text, the way counts compare: strings as they are, everything else dumped.
std::string as_text(const nlohmann::ordered_json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string describe(const scenario::CountCheck& c) {
    std::string out;
    for (const auto& [k, v] : c.match) out += (out.empty() ? "" : " ") + k + "=" + v;
    return out;
}

// One pass over a capture for both checks: the golden form, and how many events match each of
// the scenario's `counts` (fields named as in docs/analyzer-json.md, so each event is seen as
// the JSON output would show it, without writing or parsing the document).
class PointChecks : public render::GoldenRenderer {
public:
    PointChecks(std::ostream& err, const std::set<std::uint16_t>& keep_ports, const scenario::Expect& expect)
        : GoldenRenderer(err, keep_ports),
          counts_(expect.counts),
          seen_(expect.counts.size(), 0),
          tcp_kept_(expect.golden_tcp_events) {}

    void on_event(const analyzer::Event& e) override {
        if (in_golden(e)) GoldenRenderer::on_event(e);
        if (counts_.empty()) return;
        const auto j = render::event_json(e, false);
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            bool all = true;
            for (const auto& [k, v] : counts_[i].match) {
                auto it = j.find(k);
                if (it == j.end() || as_text(*it) != v) {
                    all = false;
                    break;
                }
            }
            seen_[i] += all ? 1 : 0;
        }
    }

    // The failed counts that apply to capture point `point`.
    std::vector<std::string> count_failures(const std::string& point) const {
        std::vector<std::string> failures;
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            if (counts_[i].point && *counts_[i].point != point) continue;
            if (seen_[i] != counts_[i].count)
                failures.push_back(describe(counts_[i]) + ": " + std::to_string(seen_[i]) +
                                   " events, expected " + std::to_string(counts_[i].count));
        }
        return failures;
    }

private:
    bool in_golden(const analyzer::Event& e) const {
        const auto* t = std::get_if<analyzer::TcpAnalysisEvent>(&e.body);
        if (t == nullptr || !tcp_kept_) return true;
        const std::string_view name = tcp::tcp_event_name(t->event);
        return std::find(tcp_kept_->begin(), tcp_kept_->end(), name) != tcp_kept_->end();
    }

    const std::vector<scenario::CountCheck>& counts_;
    std::vector<std::uint64_t> seen_;
    const std::optional<std::vector<std::string>>& tcp_kept_;
};

PointResult error_result(const scenario::Scenario& s, const std::string& point, const std::string& capture,
                         const CheckCapturesOptions& options, const std::string& error) {
    PointResult r;
    r.point = point;
    r.capture = capture;
    r.golden = s.golden_path(point, options.golden_dir);
    r.status = PointResult::Status::kError;
    r.error = error;
    return r;
}

// One capture point's result from the analysis `checks` made of its frames.
PointResult point_result(const scenario::Scenario& s, const std::string& point, const std::string& capture,
                         const PointChecks& checks, const CheckCapturesOptions& options) {
    PointResult r = error_result(s, point, capture, options, "");
    try {
        golden::CheckOptions o;
        o.update = options.update;
        o.update_flag = "--update-golden";
        if (options.host_tcp && !s.expect.golden_tcp_events) o.ignore_line = loss_recovery_line;
        golden::CheckOutcome c = golden::check_golden_text(checks.text(), capture, r.golden, o);
        r.diff = c.diff;
        r.status = point_status(c.status);
        r.count_failures = checks.count_failures(point);
        if (options.pin_bytes) r.pin = check_pinned_bytes(capture, pin_path_for(r.golden, options.format), options.update);
    } catch (const std::exception& e) {
        return error_result(s, point, capture, options, e.what());
    }
    return r;
}

}  // namespace

// On the kernel backend the host's TCP retransmits when an
// ACK comes later than its retransmission timeout, whose floor is 200 ms on a link without
// latency: on a loaded machine (a CI run of the tests in parallel) a delayed softirq is enough,
// and nothing in the scenario made it happen. So a kernel run compares these lines only when the
// scenario names the events it is about (expect.golden_tcp_events); the virtual network's TCP
// depends on nothing but the scenario, and its runs compare every line.
bool loss_recovery_line(std::string_view line) {
    const auto tcp = line.find(" tcp ");
    if (tcp == std::string_view::npos || line.find(' ') != tcp) return false;  // "cN tcp EVENT ..."
    std::string_view event = line.substr(tcp + 5);
    event = event.substr(0, event.find(' '));
    using tcp::TcpEvent;
    for (TcpEvent e : {TcpEvent::kRetransmission, TcpEvent::kDupAck, TcpEvent::kOutOfOrder, TcpEvent::kLostSegment})
        if (event == tcp::tcp_event_name(e)) return true;
    return false;
}

PointResult::Status point_status(golden::CheckStatus s) {
    using Status = PointResult::Status;
    switch (s) {
        case golden::CheckStatus::kMatch: return Status::kMatch;
        case golden::CheckStatus::kMismatch: return Status::kMismatch;
        case golden::CheckStatus::kUpdated: return Status::kUpdated;
        case golden::CheckStatus::kUnchanged: return Status::kUnchanged;
    }
    return Status::kError;
}

analyzer::AnalyzeOptions analyze_options(const scenario::Scenario& s) {
    analyzer::AnalyzeOptions o;
    for (const ClientOp& op : scenario::expand_steps(s.client))
        for (std::string& arg : client::secret_arguments(op)) o.secrets.arguments.insert(std::move(arg));
    return o;
}

std::vector<PointResult> check_captures(const scenario::Scenario& s, const CapturePaths& captures,
                                        const CheckCapturesOptions& options, std::ostream& err) {
    const analyzer::AnalyzeOptions analysis = analyze_options(s);
    std::vector<PointResult> results;
    for (const auto& [point, capture] : captures) {
        PointChecks checks(err, options.keep_ports, s.expect);
        try {
            analyzer::analyze_file(capture, checks, analysis);
        } catch (const std::exception& e) {
            results.push_back(error_result(s, point, capture, options, e.what()));
            continue;
        }
        results.push_back(point_result(s, point, capture, checks, options));
    }
    return results;
}

struct FrameChecks::Impl {
    Impl(const scenario::Scenario& scenario, const CheckCapturesOptions& o, std::string capture, std::ostream& err)
        : s(scenario), options(o), checks(err, o.keep_ports, scenario.expect),
          analyzer(checks, analyze_options(scenario), std::move(capture)) {}

    const scenario::Scenario& s;
    const CheckCapturesOptions options;
    PointChecks checks;
    analyzer::Analyzer analyzer;
    std::uint64_t frames = 0;
};

FrameChecks::FrameChecks(const scenario::Scenario& s, const CheckCapturesOptions& options, std::string capture,
                         std::ostream& err)
    : impl_(std::make_unique<Impl>(s, options, std::move(capture), err)) {}

FrameChecks::~FrameChecks() = default;

void FrameChecks::on_frame(std::int64_t time_ns, std::span<const std::uint8_t> frame) {
    capture::RawFrame raw;
    raw.link_type = capture::kLinkTypeEthernet;  // the virtual network's frames (frame_tap.hpp)
    raw.number = ++impl_->frames;
    raw.time = time_ns;
    raw.wire_length = static_cast<std::uint32_t>(frame.size());
    raw.bytes = frame;
    impl_->analyzer.put(raw);
}

std::vector<PointResult> FrameChecks::finish(const CapturePaths& captures) {
    impl_->analyzer.finish();
    std::vector<PointResult> results;
    for (const auto& [point, capture] : captures)
        results.push_back(point_result(impl_->s, point, capture, impl_->checks, impl_->options));
    return results;
}

}  // namespace ftpsim::sim::run
