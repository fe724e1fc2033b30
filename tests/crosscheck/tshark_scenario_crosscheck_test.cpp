// tshark cross-check on every pcap `ftpsim run` writes: the scenario tests (CTest
// `scenario.<name>` on the virtual network, `scenario_kernel.<name>` on the kernel backend,
// tests/CMakeLists.txt) run each scenarios/*.yaml into FTPSIM_SCENARIO_OUT_DIR/<backend>, and
// these tests, which require their CTest fixture `scenario_captures`, check what they wrote
// with the three checks of tshark_crosscheck_test.cpp (whose header says what each compares and
// which TCP event kinds are compared and why), on one tshark run per capture
// (crosscheck_checks.hpp: tshark takes about a second to start, and there are some 120
// captures). Checksum validation is on: the captures are taken with offloads off.
//
// One test per capture file: the list comes from the scenario files themselves (each capture
// point of each scenario gives DIR/<name>.<point>.pcap), read when the tests are discovered, so
// the tests exist before the scenarios have run; the pcaps are read when the tests run. A
// missing pcap (the scenario tests were skipped without root, or not run) skips the test, and
// fails it when CI=true. `ScenarioCrossCheckExtra.UnlistedCaptures` checks every other pcap in
// the directory (a scenario added since the tests were built).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>

#include "crosscheck/crosscheck_checks.hpp"
#include "crosscheck/tshark_fields.hpp"
#include "sim/scenario/scenario.hpp"

namespace {

using namespace ftpsim::crosscheck;

// Error-level expert information a scenario provokes on purpose, by scenario name: substrings
// of the expected messages. None does today.
const std::map<std::string, std::vector<std::string>> kInjectedErrors = {};

const char* const kBackends[] = {"virtual", "kernel"};

struct ScenarioCapture {
    std::string backend;
    std::string folder;          // under scenarios/: "", "nat", "teaching"

    std::string scenario;
    std::string pcap;
    std::string tshark_options;  // "-d tcp.port==N,ftp" for a control port other than 21
    std::string load_error;      // the scenario file did not load
    bool splits_lines = false;   // an impairment splits segments: lines across frames expected
    bool splits_allowed = false;  // ... or, past a router whose ALG may join them, allowed
};

void PrintTo(const ScenarioCapture& c, std::ostream* os) { *os << c.pcap; }

std::vector<ScenarioCapture> scenario_captures() {
    std::vector<ScenarioCapture> out;
    // The core scenarios, the NAT lab's (both sides of the device) and the teaching set, each
    // in its own output directory (tests/CMakeLists.txt).
    for (const std::string folder : {"", "nat", "teaching"}) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(FTPSIM_SCENARIOS_DIR) / folder, ec)) {
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const std::string backend : kBackends) {
    if (folder == "teaching" && backend == "kernel") continue;  // virtual only (tests/CMakeLists.txt)
    const std::filesystem::path dir =
        std::filesystem::path(FTPSIM_SCENARIO_OUT_DIR) / (folder.empty() ? backend : backend + "-" + folder);
    for (const auto& f : files) {
        try {
            auto s = ftpsim::sim::scenario::load_scenario(f.string());
            // The kernel backend skips what only the virtual network can do (impairments).
            if (backend == "kernel" && !ftpsim::sim::scenario::virtual_network_only(s).empty()) continue;
            std::uint16_t port = 21;
            if (s.server) port = s.server->port;
            else if (s.topology.external_server) port = s.topology.external_server->port;
            std::string options = port == 21 ? "" : "-d tcp.port==" + std::to_string(port) + ",ftp";
            const bool splits = std::any_of(s.impairments.begin(), s.impairments.end(), [](const auto& i) {
                return i.kind == ftpsim::sim::scenario::Impairment::Kind::kSplit;
            });
            for (const auto& point : s.topology.captures) {
                // Past a router a correct ALG joins a split command again: with routers a split is
                // allowed in a capture, not required.
                out.push_back({backend, folder, s.name, (dir / (s.name + "." + point.name + ".pcap")).string(),
                               options, "", splits && s.topology.routers.empty(), splits && !s.topology.routers.empty()});
            }
        } catch (const std::exception& e) {
            out.push_back({backend, folder, f.stem().string(), (dir / (f.stem().string() + ".pcap")).string(), "",
                           e.what()});
        }
    }
    }
    }
    return out;
}

// Returns from the calling test (or SetUp) unless tshark is there.
#define REQUIRE_TSHARK()                                                                     \
    do {                                                                                     \
        if (!have_tshark()) {                                                                \
            if (in_ci()) FAIL() << "tshark is not installed (scripts/setup installs it)";  \
            GTEST_SKIP() << "tshark is not installed: run scripts/setup";                  \
        }                                                                                    \
    } while (false)

constexpr const char* kHowToMake =
    "run the scenario tests first (ctest -R 'scenario\\.' as root, or "
    "ftpsim run scenarios/*.yaml --net virtual|kernel --out " FTPSIM_SCENARIO_OUT_DIR "/<backend>)";

class TsharkScenarioCrossCheck : public ::testing::TestWithParam<ScenarioCapture> {
protected:
    void SetUp() override {
        const auto& c = GetParam();
        ASSERT_TRUE(c.load_error.empty()) << "cannot list the captures of scenario " << c.scenario
                                          << ": " << c.load_error;
        REQUIRE_TSHARK();
        if (std::filesystem::exists(c.pcap)) return;
        if (in_ci()) FAIL() << c.pcap << " does not exist: " << kHowToMake;
        GTEST_SKIP() << c.pcap << " does not exist: " << kHowToMake;
    }
};

// The three checks of tshark_crosscheck_test.cpp on one tshark run per capture.
TEST_P(TsharkScenarioCrossCheck, AgreesWithTshark) {
    const auto& c = GetParam();
    auto it = kInjectedErrors.find(c.scenario);
    check_all(c.pcap, c.tshark_options, 1, c.splits_lines, c.splits_allowed,
              it == kInjectedErrors.end() ? std::vector<std::string>{} : it->second);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, TsharkScenarioCrossCheck,
                         ::testing::ValuesIn(scenario_captures()),
                         [](const auto& info) {
                             // The teaching set reuses core scenarios' names (zero_window).
                             const std::string prefix = info.param.folder == "teaching" ? "teaching_" : "";
                             return info.param.backend + "_" + prefix + test_name_for(info.param.pcap);
                         });

// The pcaps in the directory that no test above names, read when the test runs.
TEST(TsharkScenarioCrossCheckExtra, UnlistedCaptures) {
    REQUIRE_TSHARK();
    std::vector<std::string> pcaps;
    for (const std::string backend : kBackends) {
        auto found = captures_in(std::string(FTPSIM_SCENARIO_OUT_DIR) + "/" + backend);
        pcaps.insert(pcaps.end(), found.begin(), found.end());
    }
    if (pcaps.empty()) {
        if (in_ci()) FAIL() << "no pcaps in " << FTPSIM_SCENARIO_OUT_DIR << ": " << kHowToMake;
        GTEST_SKIP() << "no pcaps in " << FTPSIM_SCENARIO_OUT_DIR << ": " << kHowToMake;
    }
    for (const auto& c : scenario_captures()) {
        pcaps.erase(std::remove(pcaps.begin(), pcaps.end(), c.pcap), pcaps.end());
    }
    for (const auto& pcap : pcaps) {
        SCOPED_TRACE(pcap);
        check_all(pcap, "", 1);
    }
}

}  // namespace
