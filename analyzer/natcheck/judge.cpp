#include <algorithm>

#include "capture/capture_error.hpp"
#include "ftp/command.hpp"
#include "ftp/escape.hpp"
#include "natcheck/address_class.hpp"
#include "natcheck/announcement_checks.hpp"
#include "natcheck/control_pairing.hpp"
#include "natcheck/nat_check.hpp"
#include "natcheck/seq_continuity.hpp"

namespace ftpsim::natcheck {
namespace {

std::string shown(const ControlMessage& m) {
    if (m.secret) return m.masked.substr(0, m.masked.find(' ')) + " " + std::string(ftp::kSecretMask);
    return ftp::escape_bytes(m.masked);
}

// The control streams must be identical line for line once the host-ports are cut out.
Check control_stream_equal(const ControlRecord& in, const ControlRecord& out) {
    Check c{kControlStreamEqual, Verdict::kPass, ""};
    const std::size_t n = std::min(in.messages.size(), out.messages.size());
    for (std::size_t i = 0; i < n; ++i) {
        const ControlMessage& a = in.messages[i];
        const ControlMessage& b = out.messages[i];
        if (a.reply == b.reply && a.masked == b.masked) continue;
        c.verdict = Verdict::kFail;
        c.detail = "line " + std::to_string(i + 1) + " differs: inside \"" + shown(a) + "\" (frame " +
                   std::to_string(a.frame) + "), outside \"" + shown(b) + "\" (frame " + std::to_string(b.frame) + ")";
        return c;
    }
    if (in.messages.size() != out.messages.size()) {
        const bool inside_longer = in.messages.size() > out.messages.size();
        const ControlMessage& first = (inside_longer ? in : out).messages[n];
        c.verdict = Verdict::kFail;
        c.detail = std::to_string(in.messages.size()) + " lines inside, " + std::to_string(out.messages.size()) +
                   " outside; from line " + std::to_string(n + 1) + " (\"" + shown(first) + "\") seen " +
                   (inside_longer ? "inside" : "outside") + " only";
        return c;
    }
    c.detail = std::to_string(n) + " lines identical apart from the host-ports";
    return c;
}

Check seq_check(const std::vector<const SeqViolation*>& mine, int length_change) {
    Check c{kSeqContinuous, Verdict::kPass, ""};
    if (!mine.empty()) {
        c.verdict = Verdict::kFail;
        c.detail = std::to_string(mine.size()) + (mine.size() == 1 ? " segment" : " segments") +
                   " not adjusted; first: " + mine.front()->what + " (frames " +
                   std::to_string(mine.front()->inside_frame) + " inside, " +
                   std::to_string(mine.front()->outside_frame) + " outside)";
    } else if (length_change == 0) {
        c.detail = "length unchanged";
    } else {
        c.detail = "length " + std::string(length_change > 0 ? "+" : "") + std::to_string(length_change) +
                   "; later segments, ACKs and SACK blocks adjusted";
    }
    return c;
}

void judge_pair(std::size_t index, const ControlRecord& in, const ControlRecord& out, Report& report) {
    Item control;
    control.control = index;
    control.kind = "control";
    control.checks.push_back(control_stream_equal(in, out));
    std::vector<Item> items;
    const std::size_t n = std::max(in.announcements.size(), out.announcements.size());
    for (std::size_t k = 0; k < n; ++k)
        items.push_back(judge_announcement(index, in, out, k < in.announcements.size() ? &in.announcements[k] : nullptr,
                                           k < out.announcements.size() ? &out.announcements[k] : nullptr));
    // A violation belongs to the latest length-changing rewrite before it (its shift is the
    // one missing); one before any rewrite belongs to the connection as a whole.
    const std::vector<SeqViolation> violations = check_seq_continuity(in, out, 256);
    std::vector<std::vector<const SeqViolation*>> owned(items.size() + 1);
    for (const SeqViolation& v : violations) {
        std::size_t owner = items.size();
        for (std::size_t k = 0; k < items.size(); ++k)
            if (items[k].length_change != 0 && items[k].inside && items[k].inside->frame <= v.inside_frame) owner = k;
        owned[owner].push_back(&v);
    }
    control.checks.push_back(seq_check(owned.back(), 0));
    report.items.push_back(std::move(control));
    for (std::size_t k = 0; k < items.size(); ++k) {
        Check seq = seq_check(owned[k], items[k].length_change);
        if (!items[k].inside || !items[k].outside) {
            seq.verdict = Verdict::kSkip;
            seq.detail = "seen on one side only";
        }
        items[k].checks.insert(items[k].checks.begin() + 2, std::move(seq));
        report.items.push_back(std::move(items[k]));
    }
}

// Why the captures were most likely given the wrong way round (INSIDE is the client's side),
// or "" when they were not:
// - source NAT: the client is private on the given OUTSIDE and public on the given INSIDE;
// - destination NAT (a published server): the client is public on both sides, and the server
//   is private on the given INSIDE and public on the given OUTSIDE.
std::string swapped_because(const SideRecord& inside, const SideRecord& outside, const std::vector<ControlMatch>& pairs) {
    bool source_nat = true, destination_nat = true;
    for (const ControlMatch& m : pairs) {
        const ControlRecord& i = inside.controls[m.inside];
        const ControlRecord& o = outside.controls[m.outside];
        source_nat = source_nat && is_private(o.client.addr) && !is_private(i.client.addr);
        destination_nat = destination_nat && !is_private(i.client.addr) && !is_private(o.client.addr) &&
                          is_private(i.server.addr) && !is_private(o.server.addr);
    }
    if (pairs.empty()) return "";
    if (source_nat)
        return "the client has a private address in " + outside.capture + " (given as OUTSIDE) and a public one in " +
               inside.capture + " (given as INSIDE)";
    if (destination_nat)
        return "the server has a private address in " + inside.capture + " (given as INSIDE) and a public one in " +
               outside.capture + " (given as OUTSIDE)";
    return "";
}

}  // namespace

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::kPass: return "pass";
        case Verdict::kFail: return "fail";
        case Verdict::kSkip: return "skip";
    }
    return "?";
}

Verdict Item::verdict() const {
    for (const Check& c : checks)
        if (c.verdict == Verdict::kFail) return Verdict::kFail;
    return Verdict::kPass;
}

Verdict Report::verdict() const {
    for (const Item& i : items)
        if (i.verdict() == Verdict::kFail) return Verdict::kFail;
    return Verdict::kPass;
}

Verdict check_verdict(const Report& r, std::string_view check, std::string_view kind) {
    Verdict out = Verdict::kSkip;
    for (const Item& i : r.items) {
        if (!kind.empty() && i.kind != kind) continue;
        for (const Check& c : i.checks) {
            if (c.name != check) continue;
            if (c.verdict == Verdict::kFail) return Verdict::kFail;
            if (c.verdict == Verdict::kPass) out = Verdict::kPass;
        }
    }
    return out;
}

Report judge(const SideRecord& inside, const SideRecord& outside, const NatCheckOptions& /*options*/) {
    const std::vector<ControlMatch> pairs = pair_controls(inside, outside);
    if (pairs.empty())
        throw BadInput("no control connection appears in both captures (" + std::to_string(inside.controls.size()) +
                       " in " + inside.capture + ", " + std::to_string(outside.controls.size()) + " in " +
                       outside.capture + ")");
    if (const std::string why = swapped_because(inside, outside, pairs); !why.empty())
        throw BadInput("the captures look swapped: " + why +
                       "; INSIDE is the capture on the client's side of the device");
    Report report;
    report.inside_capture = inside.capture;
    report.outside_capture = outside.capture;
    for (const std::string& w : inside.warnings) report.warnings.push_back("inside: " + w);
    for (const std::string& w : outside.warnings) report.warnings.push_back("outside: " + w);
    report.unpaired_inside = inside.controls.size() - pairs.size();
    report.unpaired_outside = outside.controls.size() - pairs.size();
    for (std::size_t p = 0; p < pairs.size(); ++p) {
        const ControlRecord& in = inside.controls[pairs[p].inside];
        const ControlRecord& out = outside.controls[pairs[p].outside];
        report.controls.push_back(
            {p + 1, in.client, in.server, out.client, out.server, in.open_frame, out.open_frame});
        judge_pair(p + 1, in, out, report);
    }
    return report;
}

Report check_captures(const std::string& inside_path, const std::string& outside_path,
                      const NatCheckOptions& options) {
    SideRecord inside, outside;
    try {
        inside = record_file(inside_path, options.analyze);
        outside = record_file(outside_path, options.analyze);
    } catch (const capture::CaptureError& e) {
        throw BadInput(e.what());
    }
    return judge(inside, outside, options);
}

}  // namespace ftpsim::natcheck
