// `ftpsim check`: creating a golden file, matching it, and reporting a difference as a diff.
#include <gtest/gtest.h>

#include <fstream>

#include "support/capture_test.hpp"
#include "support/cli_runner.hpp"
#include "support/ftp_session.hpp"

namespace ftpsim::testsupport {
namespace {

class GoldenTest : public CaptureTest {
protected:
    void SetUp() override {
        CaptureTest::SetUp();
        Capture cap;
        Connection& ctrl = logged_in_control(cap);
        exchange(ctrl, "PASV", kPasvReply);
        start_transfer(ctrl, "RETR file.bin");
        data_connection(cap, kClientData, kServerPasv, file_bytes(3000), true);
        complete_and_quit(ctrl);
        capture = write(cap, "session.pcap").string();
        golden = path("session.golden").string();
    }
    CliResult check(bool update) {
        std::vector<std::string> args{"check", capture, "--golden", golden};
        if (update) args.push_back("--update");
        return run_ftpsim(args, path(""));
    }
    std::string capture, golden;
};

TEST_F(GoldenTest, UpdateCreatesTheGolden) {
    CliResult r = check(true);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    ASSERT_TRUE(std::filesystem::exists(golden));
    EXPECT_NE(r.out.find("updated"), std::string::npos) << r.out;
    std::string text = read_file(golden);
    EXPECT_NE(text.find("command USER anonymous"), std::string::npos) << text;
    EXPECT_NE(text.find("command PASS ****"), std::string::npos) << text;  // never the secret
    EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
    // Ephemeral ports are normalised, port 21 is kept, frame numbers are left out.
    EXPECT_EQ(text.find("50123"), std::string::npos) << text;
    EXPECT_NE(text.find(":21"), std::string::npos) << text;
    EXPECT_NE(text.find("<p1>"), std::string::npos) << text;
    EXPECT_EQ(text.find('#'), std::string::npos) << text;
}

TEST_F(GoldenTest, SecondCheckMatches) {
    ASSERT_EQ(check(true).exit_code, 0);
    CliResult r = check(false);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("match"), std::string::npos) << r.out;
    CliResult again = check(true);
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_NE(again.out.find("unchanged"), std::string::npos) << again.out;
}

TEST_F(GoldenTest, EditedGoldenMismatchesWithUnifiedDiff) {
    ASSERT_EQ(check(true).exit_code, 0);
    std::string text = read_file(golden);
    const std::string original = "command USER anonymous";
    auto at = text.find(original);
    ASSERT_NE(at, std::string::npos) << text;
    std::string edited = text;
    edited.replace(at, original.size(), "command USER intruder");
    std::ofstream(golden, std::ios::binary | std::ios::trunc) << edited;

    CliResult r = check(false);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("MISMATCH"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.rfind("--- ", 0), 0u) << r.out;  // the diff's first header line
    EXPECT_NE(r.out.find("\n+++ "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n@@ "), std::string::npos) << r.out;
    bool removed = false, added = false;
    for (const auto& line : lines_of(r.out)) {
        if (line.rfind("-", 0) == 0 && line.rfind("---", 0) != 0 &&
            line.find("command USER intruder") != std::string::npos)
            removed = true;
        if (line.rfind("+", 0) == 0 && line.rfind("+++", 0) != 0 &&
            line.find(original) != std::string::npos)
            added = true;
    }
    EXPECT_TRUE(removed) << r.out;
    EXPECT_TRUE(added) << r.out;
    // Only the edited line differs.
    std::size_t changes = 0;
    for (const auto& line : lines_of(r.out))
        if (!line.empty() && (line[0] == '-' || line[0] == '+') && line.rfind("---", 0) != 0 &&
            line.rfind("+++", 0) != 0)
            ++changes;
    EXPECT_EQ(changes, 2u) << r.out;
    EXPECT_EQ(read_file(golden), edited);  // a check without --update never writes
}

TEST_F(GoldenTest, MissingGoldenWithoutUpdateExits2) {
    CliResult r = check(false);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find(golden), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(golden));
}

}  // namespace
}  // namespace ftpsim::testsupport
