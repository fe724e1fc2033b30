// ftpsim nat-check as a process: exit 0 when every item passes, 1 when one fails, 2 for bad
// input; the JSON document (docs/nat-check.md) and the JUnit report.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/capture_test.hpp"
#include "support/read_file.hpp"

namespace ftpsim::testsupport {
namespace {

const std::string kNat = std::string(FTPSIM_TEST_DATA_DIR) + "/nat/";

class NatCheckCli : public CaptureTest {
protected:
    CliResult run(std::vector<std::string> args) {
        args.insert(args.begin(), "nat-check");
        return run_ftpsim(args, path(""));
    }
};

TEST_F(NatCheckCli, HelperPairPassesWithExitZero) {
    CliResult r = run({kNat + "masquerade_helper_inside.pcap", kNat + "masquerade_helper_outside.pcap"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    std::vector<std::string> lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 13u) << r.out;  // 12 items and the verdict
    EXPECT_EQ(lines[1].rfind("pass c1 PORT inside 10.0.1.2:", 0), 0u) << lines[1];
    EXPECT_NE(lines.back().find(": PASS"), std::string::npos);
}

TEST_F(NatCheckCli, NoHelperPairFailsWithExitOneAndJsonSaysWhy) {
    CliResult r = run({kNat + "masquerade_no_helper_inside.pcap", kNat + "masquerade_no_helper_outside.pcap",
                       "--format", "json", "--junit", path("nat.xml").string()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["format"], "ftpsim-nat-check");
    EXPECT_EQ(doc["version"], 1);
    EXPECT_EQ(doc["verdict"], "fail");
    EXPECT_EQ(doc["controls"].size(), 6u);
    const nlohmann::json& port = doc["items"][1];
    EXPECT_EQ(port["kind"], "port");
    EXPECT_EQ(port["verdict"], "fail");
    EXPECT_EQ(port["treatment"], "not rewritten");
    EXPECT_EQ(port["inside"]["endpoint"], port["outside"]["endpoint"]);
    EXPECT_GT(port["outside"]["syn"]["count"].get<int>(), 0);
    EXPECT_EQ(port["inside"]["syn"]["count"], 0);
    std::map<std::string, std::string> verdicts;
    for (const auto& c : port["checks"]) verdicts[c["name"]] = c["verdict"];
    EXPECT_EQ(verdicts, (std::map<std::string, std::string>{{"rewrite_matches_wire", "fail"},
                                                            {"no_private_leak", "fail"},
                                                            {"seq_continuous", "pass"},
                                                            {"data_syn_forwarded", "fail"},
                                                            {"data_established_both_sides", "fail"},
                                                            {"data_bytes_equal", "skip"},
                                                            {"data_address_paired", "skip"}}));
    const std::string xml = read_file(path("nat.xml"));
    EXPECT_NE(xml.find("<testsuites name=\"ftpsim nat-check\" tests=\"12\" failures=\"3\""), std::string::npos)
        << xml;
}

TEST_F(NatCheckCli, GoldenFormKeepsTheGivenPorts) {
    CliResult r = run({kNat + "masquerade_helper_inside.pcap", kNat + "masquerade_helper_outside.pcap",
                       "--format", "golden", "--keep-port", "50016"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("c4 epsv inside 203.0.113.2:50016 outside 203.0.113.2:50016 unchanged"),
              std::string::npos)
        << r.out;
}

TEST_F(NatCheckCli, BadInputExitsTwo) {
    CliResult missing = run({kNat + "masquerade_helper_inside.pcap", path("nope.pcap").string()});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("nope.pcap"), std::string::npos) << missing.err;
    CliResult unrelated = run({kNat + "masquerade_helper_inside.pcap",
                               std::string(FTPSIM_TEST_DATA_DIR) + "/login_failure.pcap"});
    EXPECT_EQ(unrelated.exit_code, 2);
    EXPECT_NE(unrelated.err.find("no control connection appears in both captures"), std::string::npos)
        << unrelated.err;
    CliResult usage = run({kNat + "masquerade_helper_inside.pcap"});
    EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace ftpsim::testsupport
