#include "golden/atomic_file.hpp"
#include "natcheck/nat_render.hpp"
#include "render/xml_escape.hpp"

namespace ftpsim::natcheck {
namespace {

using render::xml_escape;

std::string case_name(std::size_t n, const Item& i) {
    std::string name = "#" + std::to_string(n) + " " + kind_label(i.kind);
    if (i.kind != "control")
        name += " " + (i.inside ? i.inside->endpoint.str() : std::string("-")) + " -> " +
                (i.outside ? i.outside->endpoint.str() : std::string("-"));
    return name;
}

}  // namespace

std::string report_junit(const Report& r) {
    std::size_t failures = 0, skipped = 0;
    std::string cases;
    for (std::size_t n = 0; n < r.items.size(); ++n) {
        const Item& i = r.items[n];
        bool all_skipped = !i.checks.empty();
        std::string failed, body;
        for (const Check& c : i.checks) {
            all_skipped = all_skipped && c.verdict == Verdict::kSkip;
            body += c.name + ": " + verdict_name(c.verdict) + (c.detail.empty() ? "" : " - " + c.detail) + "\n";
            if (c.verdict == Verdict::kFail) failed += (failed.empty() ? "" : ", ") + c.name;
        }
        cases += "    <testcase classname=\"nat-check.c" + std::to_string(i.control) + "\" name=\"" +
                 xml_escape(case_name(n + 1, i)) + "\">\n";
        if (!failed.empty()) {
            ++failures;
            cases += "      <failure message=\"" + xml_escape(failed) + "\">" + xml_escape(body) + "</failure>\n";
        } else if (all_skipped) {
            ++skipped;
            cases += "      <skipped/>\n";
        }
        cases += "      <system-out>" + xml_escape(body) + "</system-out>\n    </testcase>\n";
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ftpsim nat-check\" tests=\"" +
           std::to_string(r.items.size()) + "\" failures=\"" + std::to_string(failures) + "\" skipped=\"" +
           std::to_string(skipped) + "\">\n  <testsuite name=\"" + xml_escape(r.inside_capture + " | " + r.outside_capture) +
           "\" tests=\"" + std::to_string(r.items.size()) + "\" failures=\"" + std::to_string(failures) +
           "\" skipped=\"" + std::to_string(skipped) + "\">\n" + cases + "  </testsuite>\n</testsuites>\n";
}

void write_junit(const Report& r, const std::string& path) { golden::write_file_atomically(path, report_junit(r)); }

}  // namespace ftpsim::natcheck
