// The JUnit XML report of `ftpsim test`: counts, one element per outcome, and text made safe for
// XML 1.0 whatever bytes a diff carries.
#include <gtest/gtest.h>

#include "sim/run/exit_status.hpp"
#include "sim/run/junit_report.hpp"

namespace ftpsim::sim::run {
namespace {

ScenarioOutcome outcome(std::string name, int status, std::string reason = "", std::string report = "") {
    ScenarioOutcome o;
    o.file = "scenarios/" + name + ".yaml";
    o.name = std::move(name);
    o.status = status;
    o.reason = std::move(reason);
    o.report = std::move(report);
    o.elapsed = std::chrono::milliseconds(250);
    return o;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(JunitReport, CountsAndElementsFollowTheOutcomes) {
    const std::string x = junit_xml("scenarios", {outcome("a", kExitPass),
                                                  outcome("b", kExitFail, "captures differ", "-220 x\n+220 y\n"),
                                                  outcome("c", kExitBad, "c.yaml:3:5: hosts: expected a list")});
    EXPECT_EQ(x.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
    EXPECT_NE(x.find("<testsuite name=\"scenarios\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\" "
                     "time=\"0.750\">"),
              std::string::npos)
        << x;
    EXPECT_NE(x.find("<testcase name=\"a\" classname=\"scenarios\" file=\"scenarios/a.yaml\" time=\"0.250\"/>"),
              std::string::npos)
        << x;
    EXPECT_NE(x.find("<failure message=\"captures differ\">-220 x\n+220 y\n</failure>"), std::string::npos) << x;
    EXPECT_NE(x.find("<error message=\"c.yaml:3:5: hosts: expected a list\">"), std::string::npos) << x;
    EXPECT_EQ(count_of(x, "<testcase "), 3u);
    EXPECT_EQ(count_of(x, "</testcase>"), 2u);  // "a" passed without a report: self-closing
    EXPECT_EQ(x.substr(x.size() - 29), "  </testsuite>\n</testsuites>\n");
}

TEST(JunitReport, SkippedScenariosAreCountedAndSaySo) {
    const std::string x = junit_xml("s", {outcome("a", kExitSkip, "skipped on the kernel backend: impairments")});
    EXPECT_NE(x.find("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""), std::string::npos) << x;
    EXPECT_NE(x.find("<skipped message=\"skipped on the kernel backend: impairments\"/>"), std::string::npos) << x;
}

TEST(JunitReport, SameOutcomesGiveTheSameBytes) {
    const std::vector<ScenarioOutcome> v{outcome("a", kExitPass, "", "  client: g: match\n")};
    EXPECT_EQ(junit_xml("s", v), junit_xml("s", v));
}

}  // namespace
}  // namespace ftpsim::sim::run
