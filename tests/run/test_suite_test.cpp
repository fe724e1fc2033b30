// `ftpsim test` and `ftpsim run` from the outside: which files a directory gives, and bad input
// reported as FILE:LINE:COLUMN with exit 2 before any privilege is needed (so these run as any
// user). The suite against real traffic is in SuiteStability below.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/run/test_suite.hpp"
#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using testsupport::CliResult;
using testsupport::run_ftpsim;

class TestSuiteTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim-suite-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path touch(const std::string& name, const std::string& text = "") {
        fs::create_directories((dir_ / name).parent_path());
        std::ofstream(dir_ / name) << text;
        return dir_ / name;
    }
    fs::path dir_;
};

TEST_F(TestSuiteTest, DirectoryGivesItsYamlFilesSortedFilesStayInOrder) {
    touch("s/b.yaml");
    touch("s/a.yml");
    touch("s/c.txt");
    touch("s/sub/d.yaml");  // not recursive
    const auto z = touch("z.yaml");
    const auto files = discover_scenarios({z.string(), (dir_ / "s").string()});
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0], z.string());
    EXPECT_EQ(fs::path(files[1]).filename(), "a.yml");
    EXPECT_EQ(fs::path(files[2]).filename(), "b.yaml");
}

TEST_F(TestSuiteTest, MissingPathAndEmptyDirectoryAreErrorsNamingThem) {
    const auto missing = (dir_ / "nope").string();
    try {
        discover_scenarios({missing});
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
    touch("empty/readme.txt");
    EXPECT_THROW(discover_scenarios({(dir_ / "empty").string()}), std::runtime_error);

    CliResult r = run_ftpsim({"test", missing}, dir_);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(missing + ": no such file or directory"), std::string::npos) << r.err;
}

// Every broken scenario of tests/scenarios_bad, given to `ftpsim run`: exit 2 and the place its
// first line announces ("# expect: LINE:COLUMN ..."), without creating anything.
TEST_F(TestSuiteTest, RunRejectsEveryBrokenScenarioWithItsPlace) {
    std::size_t checked = 0;
    for (const auto& e : fs::directory_iterator(FTPSIM_BAD_SCENARIOS_DIR)) {
        if (e.path().extension() != ".yaml") continue;
        std::ifstream in(e.path());
        std::string first;
        std::getline(in, first);
        ASSERT_EQ(first.rfind("# expect: ", 0), 0u) << e.path();
        const std::string place = first.substr(10, first.find(' ', 10) - 10);
        const std::string file = e.path().string();
        CliResult r = run_ftpsim({"run", file, "--out", (dir_ / "out").string()}, dir_);
        EXPECT_EQ(r.exit_code, 2) << file << "\n" << r.out << r.err;
        EXPECT_NE(r.out.find("ERROR " + file + " ("), std::string::npos) << r.out;
        EXPECT_NE(r.out.find(file + ":" + place + ": "), std::string::npos) << "expected " << place << "\n" << r.out;
        ++checked;
    }
    EXPECT_GE(checked, 30u);
    // Nothing was captured for a scenario that never ran.
    EXPECT_TRUE(!fs::exists(dir_ / "out") || fs::is_empty(dir_ / "out"));
}

TEST_F(TestSuiteTest, TestReportsBrokenFilesInItsSummaryAndJunit) {
    const auto junit = dir_ / "report.xml";
    CliResult r = run_ftpsim({"test", FTPSIM_BAD_SCENARIOS_DIR, "--out", (dir_ / "out").string(), "--junit",
                              junit.string()},
                             dir_);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.out.find("Summary (virtual network"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" passed, 0 failed, "), std::string::npos) << r.out;
    const std::string xml = testsupport::read_file(junit);
    EXPECT_NE(xml.find("<error message=\""), std::string::npos) << xml;
    EXPECT_FALSE(fs::exists(junit.string() + ".partial"));
}

}  // namespace
}  // namespace ftpsim::sim::run
