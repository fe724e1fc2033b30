// The truth file as a dissector developer's script reads it: `ftpsim run --truth`'s JSON parses,
// names its capture by SHA-256, lists every frame of that capture once and in order, keeps sent
// bytes exactly (Telnet IAC escaped), and is the same on every run. --truth on the kernel
// backend is refused with the reason.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "capture/capture_reader.hpp"
#include "hash/sha256.hpp"
#include "sim/run/exit_status.hpp"
#include "sim/run/scenario_outcome.hpp"
#include "sim/run/truth_files.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ftpsim;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

sim::run::ScenarioOutcome run_with_truth(const std::string& scenario, const fs::path& out, const std::string& net = "virtual") {
    auto prepared = sim::run::prepare_scenario(std::string(FTPSIM_PROJECT_DIR) + "/scenarios/" + scenario, net);
    if (auto* o = std::get_if<sim::run::ScenarioOutcome>(&prepared)) return *o;
    sim::run::ScenarioRunOptions options;
    options.net = net;
    options.out_dir = out.string();
    options.golden_dir = (fs::path(FTPSIM_PROJECT_DIR) / "golden" / fs::path(scenario).parent_path()).string();
    options.truth = true;
    return sim::run::run_scenario(std::get<sim::run::PreparedScenario>(prepared), options);
}

TEST(TruthFile, DescribesItsCaptureFrameByFrame) {
    const fs::path out = fs::path(testing::TempDir()) / "truth-file";
    fs::remove_all(out);
    fs::create_directories(out);
    const auto outcome = run_with_truth("teaching/abort_abor.yaml", out);
    ASSERT_EQ(outcome.status, sim::run::kExitPass) << outcome.reason << "\n" << outcome.report;
    const std::string pcap = (out / "abort_abor.client.pcap").string();
    const std::string truth_path = sim::run::truth_path_for(pcap);
    ASSERT_EQ(truth_path, (out / "abort_abor.client.truth.json").string());
    EXPECT_NE(outcome.report.find(truth_path), std::string::npos) << outcome.report;

    const nlohmann::json t = nlohmann::json::parse(slurp(truth_path));
    EXPECT_EQ(t["schema"], "ftpsim-truth/1");
    EXPECT_EQ(t["scenario"], "abort_abor");
    EXPECT_EQ(t["capture_point"], "client");
    EXPECT_EQ(t["pcap"], "abort_abor.client.pcap");
    const std::string bytes = slurp(pcap);
    EXPECT_EQ(t["pcap_sha256"], analyzer::sha256_hex({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));

    // Every frame of the file, once, in order, at the file's own times.
    capture::CaptureReader reader(pcap, [](const std::string&) {});
    capture::RawFrame frame;
    std::size_t n = 0;
    while (reader.next(frame)) {
        ASSERT_LT(n, t["frames"].size());
        const auto& f = t["frames"][n];
        EXPECT_EQ(f["frame"], n + 1);
        const std::int64_t ns = frame.time;
        char want[40];
        std::snprintf(want, sizeof want, "%lld.%09lld", static_cast<long long>(ns / 1'000'000'000),
                      static_cast<long long>(ns % 1'000'000'000));
        EXPECT_EQ(f["time"], want) << "frame " << n + 1;
        ++n;
    }
    EXPECT_EQ(n, t["frames"].size());

    // ABOR went with Telnet IP and DM before it (RFC 959 §4.1.3): kept, escaped, and flagged.
    bool abor = false;
    for (const auto& c : t["commands"]) {
        if (c["verb"] != "ABOR") continue;
        abor = true;
        EXPECT_EQ(c["line"], "\\xff\\xf4\\xff\\xf2ABOR");
        EXPECT_EQ(c["telnet"], true);
    }
    EXPECT_TRUE(abor);
    bool flagged = false;
    for (const auto& a : t["anomalies"]) flagged = flagged || a["kind"] == "telnet_command";
    EXPECT_TRUE(flagged);
    // The aborted upload's 426 answers the STOR, the 226 after it answers ABOR.
    std::map<int, std::string> verb_answered;
    for (const auto& r : t["replies"]) {
        if (r["answers"].is_null()) continue;
        for (const auto& c : t["commands"])
            if (c["n"] == r["answers"]) verb_answered[r["code"].get<int>()] = c["verb"];
    }
    EXPECT_EQ(verb_answered[426], "STOR");
    EXPECT_EQ(verb_answered[226], "ABOR");

    // The same bytes on a second run.
    const std::string first = slurp(truth_path);
    ASSERT_EQ(run_with_truth("teaching/abort_abor.yaml", out).status, sim::run::kExitPass);
    EXPECT_EQ(slurp(truth_path), first);
    fs::remove_all(out);
}

TEST(TruthFile, RefusedOnTheKernelBackend) {
    const fs::path out = fs::path(testing::TempDir()) / "truth-kernel";
    const auto outcome = run_with_truth("passive_vsftpd.yaml", out, "kernel");
    EXPECT_EQ(outcome.status, sim::run::kExitBad);
    EXPECT_NE(outcome.reason.find("--truth needs the virtual network"), std::string::npos) << outcome.reason;
    EXPECT_FALSE(fs::exists(out / "passive_vsftpd.client.truth.json"));
    fs::remove_all(out);
}

TEST(TruthFile, RefusedBehindAddressTranslation) {
    const fs::path out = fs::path(testing::TempDir()) / "truth-nat";
    fs::create_directories(out);
    const auto outcome = run_with_truth("nat/alg_correct_active.yaml", out);
    EXPECT_EQ(outcome.status, sim::run::kExitBad);
    EXPECT_NE(outcome.reason.find("translates addresses"), std::string::npos) << outcome.reason;
    EXPECT_FALSE(fs::exists(out / "alg_correct_active.outside.truth.json"));
    fs::remove_all(out);
}

}  // namespace
