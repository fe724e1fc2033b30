#include "sim/run/junit_report.hpp"

#include <cstdio>

#include "render/xml_escape.hpp"
#include "sim/run/exit_status.hpp"

namespace ftpsim::sim::run {

using render::xml_escape;

namespace {

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    return buf;
}

}  // namespace

std::string junit_xml(const std::string& suite, const std::vector<ScenarioOutcome>& outcomes) {
    std::size_t failures = 0, errors = 0, skipped = 0;
    double total = 0;
    for (const auto& o : outcomes) {
        failures += o.status == kExitFail;
        errors += o.status == kExitBad;
        skipped += o.status == kExitSkip;
        total += o.seconds();
    }
    const std::string counts = " tests=\"" + std::to_string(outcomes.size()) + "\" failures=\"" +
                               std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
                               "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(total) + "\"";
    std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    x += "<testsuites name=\"ftpsim\"" + counts + ">\n";
    x += "  <testsuite name=\"" + xml_escape(suite) + "\"" + counts + ">\n";
    for (const auto& o : outcomes) {
        x += "    <testcase name=\"" + xml_escape(o.name) + "\" classname=\"" + xml_escape(suite) + "\" file=\"" +
             xml_escape(o.file) + "\" time=\"" + seconds(o.seconds()) + "\"";
        if (o.status == kExitPass && o.report.empty()) {
            x += "/>\n";
            continue;
        }
        x += ">\n";
        if (o.status == kExitSkip) {
            x += "      <skipped message=\"" + xml_escape(o.reason) + "\"/>\n";
        } else if (o.status != kExitPass) {
            const char* element = o.status == kExitFail ? "failure" : "error";
            x += std::string("      <") + element + " message=\"" + xml_escape(o.reason) + "\">" +
                 xml_escape(o.report) + "</" + element + ">\n";
        }
        if (!o.report.empty()) x += "      <system-out>" + xml_escape(o.report) + "</system-out>\n";
        if (!o.warnings.empty()) x += "      <system-err>" + xml_escape(o.warnings) + "</system-err>\n";
        x += "    </testcase>\n";
    }
    x += "  </testsuite>\n</testsuites>\n";
    return x;
}

}  // namespace ftpsim::sim::run
