// An impairment or fault that names a segment, a connection or a step the run never had is an
// error naming the scenario file, the impairment or fault, and what did not happen
// (unhappened_faults.hpp); `ftpsim run` exits 2 for it instead of passing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/run/unhappened_faults.hpp"
#include "run/one_download_scenario.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using scenario::load_scenario_text;

const std::string kScenario = test::one_download_scenario("{host: s, users: {u: p}, files: {/f: {size: 100}}}", "/f");

TEST(UnhappenedFaults, AnImpairmentThatFoundNoSegmentSaysWhatTheConnectionCarried) {
    const auto s = load_scenario_text(kScenario +
                                          "impairments:\n"
                                          "  - {kind: drop, connection: 2, segment: 9}\n"
                                          "  - {kind: duplicate, connection: 3, segment: 1}\n"
                                          "  - {kind: drop, connection: 1, segment: 1}\n",
                                      "t.yaml");
    vnet::VnetResult run;
    run.impairment_hits = {0, 0, 1};
    run.data_segments = {0, 20, 1};
    run.all_segments = {0, 40, 6};
    const auto missed = impairments_that_did_not_happen(s, run);
    ASSERT_EQ(missed.size(), 2u);
    EXPECT_EQ(missed[0], "t.yaml: impairments: drop on connection 2, segment 9: connection 2 carried only 1 "
                         "payload-carrying segment");
    EXPECT_EQ(missed[1], "t.yaml: impairments: duplicate on connection 3, segment 1: the run opened only 2 connections");
}

TEST(UnhappenedFaults, AFaultOnAStepThatNeverRanIsNamed) {
    const auto s = load_scenario_text(kScenario + "faults:\n  - {at: fetch, kind: rst_data_after_bytes, bytes: 10}\n",
                                      "t.yaml");
    std::vector<OpResult> results(3);
    results[0].commands = {"USER u"};
    results[0].ok = false;
    results[0].error = "login refused: 530 Login incorrect.";
    results[1].error = "not run: the session ended";
    const auto missed = faults_that_did_not_happen(s, results);
    ASSERT_EQ(missed.size(), 1u);
    EXPECT_EQ(missed[0], "t.yaml: faults: rst_data_after_bytes at step 2 (fetch): RETR was never sent "
                         "(not run: the session ended)");
    results[1].commands = {"PASV", "RETR /f"};
    EXPECT_TRUE(faults_that_did_not_happen(s, results).empty());
}

TEST(UnhappenedFaults, RunRejectsAnImpairmentOfAConnectionThatNeverOpened) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-unhappened-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path file = dir / "ghost.yaml";
    std::ofstream(file) << kScenario << "impairments:\n  - {kind: drop, connection: 7, segment: 1}\n";
    const auto r = testsupport::run_ftpsim({"run", file.string(), "--out", (dir / "out").string(), "--golden-dir",
                                            (dir / "golden").string(), "--update-golden"},
                                           dir);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.out.find("ERROR ghost"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(file.string() + ": impairments: drop on connection 7, segment 1: the run opened only 2 connections"),
              std::string::npos)
        << r.out;
    fs::remove_all(dir);
}

TEST(UnhappenedFaults, ADropDataSynThatDroppedNothingIsNamed) {
    const auto s = load_scenario_text(kScenario + "faults:\n  - {at: fetch, kind: drop_data_syn}\n", "t.yaml");
    vnet::VnetResult run;
    run.results.resize(3);
    run.results[1].commands = {"PASV"};  // the step ran ...
    run.syn_drop_hits = {0};              // ... and opened no data connection
    const auto missed = impairments_that_did_not_happen(s, run);
    ASSERT_EQ(missed.size(), 1u);
    EXPECT_EQ(missed[0], "t.yaml: faults: drop_data_syn at step 2 (fetch): no data connection was opened while it "
                         "was in force, so no SYN was dropped");
    run.syn_drop_hits = {1};
    EXPECT_TRUE(impairments_that_did_not_happen(s, run).empty());
    run.results[1].commands.clear();  // never ran: faults_that_did_not_happen reports it, not this
    run.syn_drop_hits = {0};
    EXPECT_TRUE(impairments_that_did_not_happen(s, run).empty());
}

TEST(UnhappenedFaults, RunRejectsADropDataSynOnAStepWhosePasvFailed) {
    const fs::path dir = fs::temp_directory_path() / ("ftpsim-unhappened-syn-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path file = dir / "nosyn.yaml";
    std::ofstream(file) << test::one_download_scenario(
                               "{host: s, users: {u: p}, files: {/f: {size: 100}}, "
                               "faults: [{verb: PASV, kind: reply, code: 500, text: no}]}",
                               "/f")
                        << "faults:\n  - {at: fetch, kind: drop_data_syn}\n";
    const auto r = testsupport::run_ftpsim({"run", file.string(), "--out", (dir / "out").string(), "--golden-dir",
                                            (dir / "golden").string(), "--update-golden"},
                                           dir);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.out.find(file.string() + ": faults: drop_data_syn at step 2 (fetch): no data connection was opened"),
              std::string::npos)
        << r.out;
    fs::remove_all(dir);
}

}  // namespace
}  // namespace ftpsim::sim::run
