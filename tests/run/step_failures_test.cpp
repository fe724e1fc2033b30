// A client step's failure is part of a scenario's result (step_failures.hpp): unexpected unless a
// fault names the step, the server injects faults, a count expects the failing reply, or
// nat-check is expected to fail; and `ftpsim run` fails a scenario for it even though the golden
// file matches.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/run/step_failures.hpp"
#include "run/one_download_scenario.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using scenario::load_scenario_text;

const std::string kScenario = test::one_download_scenario("{host: s, users: {u: p}}", "/absent");

std::vector<OpResult> retr_refused() {
    std::vector<OpResult> r(3);
    r[0].ok = r[2].ok = true;
    r[1].commands = {"PASV", "RETR /absent"};
    r[1].replies.resize(2);
    r[1].replies[0].code = 227;
    r[1].replies[1].code = 550;
    r[1].error = "RETR failed: 550 Failed to open file.";
    return r;
}

TEST(StepFailures, AFailedStepNobodyExpectedIsListedWithItsStep) {
    const auto s = load_scenario_text(kScenario, "t.yaml");
    const auto failures = unexpected_step_failures(s, retr_refused());
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0], "step 2 (fetch): RETR failed: 550 Failed to open file.");
}

TEST(StepFailures, ACountOfTheFailingReplyExpectsIt) {
    for (const std::string match : {"{kind: reply, code: 550}", "{kind: reply, code: 550, to_verb: RETR}"}) {
        const auto s = load_scenario_text(kScenario + "expect:\n  counts:\n    - {match: " + match + ", count: 1}\n", "t.yaml");
        EXPECT_TRUE(unexpected_step_failures(s, retr_refused()).empty()) << match;
    }
    // Another code, another verb, or a count of none do not.
    for (const std::string match : {"{kind: reply, code: 530}, count: 1", "{kind: reply, code: 550, to_verb: SIZE}, count: 1",
                                    "{kind: reply, code: 550}, count: 0"}) {
        const auto s = load_scenario_text(kScenario + "expect:\n  counts:\n    - {match: " + match + "}\n", "t.yaml");
        EXPECT_EQ(unexpected_step_failures(s, retr_refused()).size(), 1u) << match;
    }
}

TEST(StepFailures, AFaultAtTheStepExpectsIt) {
    const auto s = load_scenario_text(kScenario + "faults:\n  - {at: fetch, kind: drop_data_syn}\n", "t.yaml");
    EXPECT_TRUE(unexpected_step_failures(s, retr_refused()).empty());
}

TEST(StepFailures, StepsNotRunAfterAFailureFollowFromIt) {
    const auto s = load_scenario_text(kScenario, "t.yaml");
    auto results = retr_refused();
    results[2].ok = false;
    results[2].error = "not run: the session ended";
    EXPECT_EQ(unexpected_step_failures(s, results).size(), 1u);
}

TEST(StepFailures, RunFailsTheScenarioThoughItsGoldenMatches) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-step-failure-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path file = dir / "unexpected.yaml";
    std::ofstream(file) << kScenario;
    const std::vector<std::string> run = {"run", file.string(), "--out", (dir / "out").string(),
                                          "--golden-dir", (dir / "golden").string()};
    auto update = run;
    update.push_back("--update-golden");
    testsupport::run_ftpsim(update, dir);  // the golden file is whatever this run captured
    const auto r = testsupport::run_ftpsim(run, dir);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("unexpected.c.golden: match"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("client: step failed (not expected by the scenario): step 2 (fetch): RETR failed: 550"),
              std::string::npos) << r.out;
    EXPECT_NE(r.out.find("FAIL unexpected"), std::string::npos) << r.out;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
