// `ftpsim explain` as a process: the lesson on stdout, --out written whole and only when it may
// be, exit 2 naming the file for input that is not a capture, and no partial output then.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "explain/explain_test_support.hpp"
#include "support/cli_runner.hpp"
#include "support/read_file.hpp"

namespace ftpsim::testsupport {
namespace {

namespace fs = std::filesystem;

class ExplainCommandTest : public ScratchDirTest {
protected:
    CliResult run(const std::vector<std::string>& args) {
        std::vector<std::string> all = {"explain"};
        all.insert(all.end(), args.begin(), args.end());
        return run_ftpsim(all, dir_ / "streams");
    }
    // Files in the scratch directory other than the captured streams.
    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& e : fs::directory_iterator(dir_))
            if (e.path().filename() != "streams") out.push_back(e.path().filename().string());
        return out;
    }
};

const std::string kPassive = data_file("curl_passive_ipv4.pcap");

TEST_F(ExplainCommandTest, MarkdownOnStandardOutput) {
    fs::create_directories(dir_ / "streams");
    const CliResult r = run({kPassive, "--format", "md"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("# Lesson: curl\\_passive\\_ipv4.pcap\n", 0), 0u) << r.out.substr(0, 80);
    for (const char* section : {"## Summary", "```mermaid\nsequenceDiagram\n", "## Connections", "## Packets",
                                "## Address arithmetic", "## Reply codes", "## TCP moments"})
        EXPECT_NE(r.out.find(section), std::string::npos) << section;
    // Markdown is the default.
    const CliResult plain = run({kPassive});
    EXPECT_EQ(plain.exit_code, 0);
    EXPECT_EQ(plain.out, r.out);
}

TEST_F(ExplainCommandTest, OutIsWrittenWholeAndNotReplacedWithoutForce) {
    fs::create_directories(dir_ / "streams");
    const fs::path out = dir_ / "lesson.md";
    const CliResult first = run({kPassive, "--out", out.string()});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_TRUE(first.out.empty());
    const std::string written = read_file(out);
    EXPECT_EQ(written, run({kPassive}).out);
    EXPECT_EQ(files(), std::vector<std::string>{"lesson.md"});  // no temporary left behind

    std::ofstream(out) << "mine";
    const CliResult refused = run({data_file("ftp_client_active.pcap"), "--out", out.string()});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("exists"), std::string::npos) << refused.err;
    EXPECT_EQ(read_file(out), "mine");

    const CliResult forced = run({kPassive, "--out", out.string(), "--force"});
    EXPECT_EQ(forced.exit_code, 0) << forced.err;
    EXPECT_EQ(read_file(out), written);
}

TEST_F(ExplainCommandTest, NeverTheCaptureItself) {
    fs::create_directories(dir_ / "streams");
    const fs::path copy = dir_ / "copy.pcap";
    fs::copy_file(kPassive, copy);
    const CliResult r = run({copy.string(), "--out", copy.string(), "--force"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is the input capture"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(copy), read_file(kPassive));
}

TEST_F(ExplainCommandTest, BadInputIsNamedAndLeavesNoOutput) {
    fs::create_directories(dir_ / "streams");
    const fs::path text = dir_ / "notes.txt";
    std::ofstream(text) << "not a capture\n";
    const fs::path out = dir_ / "lesson.md";
    const CliResult r = run({text.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(text.string()), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(files(), std::vector<std::string>{"notes.txt"});

    const std::string missing = (dir_ / "missing.pcap").string();
    const CliResult m = run({missing});
    EXPECT_EQ(m.exit_code, 2);
    EXPECT_NE(m.err.find(missing), std::string::npos) << m.err;
    EXPECT_TRUE(m.out.empty());

    EXPECT_EQ(run({kPassive, "--format", "pdf"}).exit_code, 2);
}

TEST_F(ExplainCommandTest, HtmlWhenTheRendererIsBuiltIn) {
    fs::create_directories(dir_ / "streams");
    const fs::path out = dir_ / "lesson.html";
    const CliResult r = run({kPassive, "--format", "html", "--out", out.string()});
    if (!fs::exists(fs::path(FTPSIM_SOURCE_DIR) / "analyzer/explain/lesson_html.cpp")) {
        // Built before the HTML renderer came: a clear refusal, and no file.
        EXPECT_EQ(r.exit_code, 2);
        EXPECT_NE(r.err.find("HTML renderer"), std::string::npos) << r.err;
        EXPECT_FALSE(fs::exists(out));
        return;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = read_file(out);
    EXPECT_NE(html.find("<svg"), std::string::npos);
    EXPECT_NE(html.find("</html>"), std::string::npos);
}

}  // namespace
}  // namespace ftpsim::testsupport
