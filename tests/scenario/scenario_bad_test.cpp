// Every broken scenario in tests/scenarios_bad fails with the error its first line announces:
// "# expect: LINE:COLUMN fragment" means a ScenarioError "FILE:LINE:COLUMN: ..." containing the
// fragment. One file per mistake, so that a new check comes with the file that shows it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario.hpp"

namespace fs = std::filesystem;
using ftpsim::sim::scenario::load_scenario;
using ftpsim::sim::scenario::ScenarioError;

namespace {

std::vector<std::string> bad_files() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(FTPSIM_BAD_SCENARIOS_DIR))
        if (e.path().extension() == ".yaml") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

struct Expected {
    std::string place;     // "LINE:COLUMN"
    std::string fragment;  // a piece of the message
};

Expected expected_of(const std::string& path) {
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect: ";
    if (first.rfind(tag, 0) != 0) return {};
    const std::string rest = first.substr(tag.size());
    const auto space = rest.find(' ');
    return {rest.substr(0, space), space == std::string::npos ? "" : rest.substr(space + 1)};
}

class BadScenario : public testing::TestWithParam<std::string> {};

TEST_P(BadScenario, FailsWhereItsFirstLineSays) {
    const std::string path = GetParam();
    const Expected want = expected_of(path);
    ASSERT_FALSE(want.place.empty()) << path << ": the first line must be '# expect: LINE:COL fragment'";
    ASSERT_FALSE(want.fragment.empty()) << path << ": the expected error needs a fragment";
    try {
        load_scenario(path);
        FAIL() << path << " loaded, but should fail with " << want.place << " " << want.fragment;
    } catch (const ScenarioError& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind(path + ":" + want.place + ": ", 0), 0u) << msg;
        EXPECT_NE(msg.find(want.fragment), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << "one line: " << msg;
    }
}

TEST(BadScenarios, AtLeastTenOfThem) { EXPECT_GE(bad_files().size(), 10u); }

INSTANTIATE_TEST_SUITE_P(Files, BadScenario, testing::ValuesIn(bad_files()),
                         [](const testing::TestParamInfo<std::string>& info) {
                             std::string n = fs::path(info.param).stem().string();
                             std::replace_if(n.begin(), n.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                             return n;
                         });

}  // namespace
