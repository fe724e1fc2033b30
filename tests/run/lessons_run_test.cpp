// `ftpsim test --lessons DIR`: beside each capture the run publishes, its lesson as Markdown and
// HTML, built from the published file (pcap or annotated pcapng), named after the scenario and
// the capture point; a lessons path that cannot be a directory is an error naming it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/cli_runner.hpp"

namespace ftpsim::sim::run {
namespace {

namespace fs = std::filesystem;
using testsupport::read_file;
using testsupport::run_ftpsim;

const std::string kTeaching = std::string(FTPSIM_PROJECT_DIR) + "/scenarios/teaching";
const std::string kGoldenDir = std::string(FTPSIM_PROJECT_DIR) + "/golden/teaching";

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

class LessonsRun : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim-lessons-run-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }
    fs::path dir_;
};

TEST_F(LessonsRun, WritesALessonBesideEveryTeachingCapture) {
    const fs::path lessons = dir_ / "lessons";  // does not exist yet: the run creates it
    const auto r = run_ftpsim({"test", kTeaching, "--golden-dir", kGoldenDir, "--format", "pcapng", "--out",
                               lessons.string(), "--lessons", lessons.string(), "-j", "2"},
                              dir_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    std::size_t scenarios = 0;
    for (const auto& entry : fs::directory_iterator(kTeaching)) {
        if (entry.path().extension() != ".yaml") continue;
        ++scenarios;
        const std::string stem = entry.path().stem().string() + ".client";
        SCOPED_TRACE(stem);
        EXPECT_TRUE(fs::exists(lessons / (stem + ".pcapng")));
        const std::string md = read_file(lessons / (stem + ".md"));
        const std::string html = read_file(lessons / (stem + ".html"));
        // The title names the scenario and the point; both carry the ladder and the table.
        // Markdown escapes the scenario name's underscores (active\_port).
        std::string name_md;
        for (char c : entry.path().stem().string()) name_md += c == '_' ? std::string("\\_") : std::string(1, c);
        EXPECT_NE(md.find("# " + name_md + ", capture point client"), std::string::npos) << md.substr(0, 200);
        EXPECT_NE(md.find("```mermaid\nsequenceDiagram"), std::string::npos);
        EXPECT_NE(html.find("<svg"), std::string::npos);
        EXPECT_GE(count_of(html, "class=\"lane\""), 1u);
        EXPECT_NE(r.out.find("client: lesson " + (lessons / (stem + ".md")).string()), std::string::npos) << r.out;
    }
    EXPECT_EQ(scenarios, 9u);
}

TEST_F(LessonsRun, ALessonsPathThatIsAFileIsBadInput) {
    const fs::path taken = dir_ / "taken";
    std::ofstream(taken) << "not a directory\n";
    const auto r = run_ftpsim({"run", kTeaching + "/login_530.yaml", "--golden-dir", kGoldenDir, "--out",
                               (dir_ / "out").string(), "--lessons", taken.string()},
                              dir_);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find(taken.string()), std::string::npos) << r.out << r.err;
    EXPECT_EQ(read_file(taken), "not a directory\n") << "the user's file is left as it was";
}

}  // namespace
}  // namespace ftpsim::sim::run
