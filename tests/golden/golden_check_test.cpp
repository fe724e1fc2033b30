// golden/golden_check: lines the caller leaves out are left out of both texts, and only of the
// comparison; every other difference is still a mismatch.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "golden/golden_check.hpp"
#include "support/read_file.hpp"

namespace ftpsim::golden {
namespace {

namespace fs = std::filesystem;

class GoldenCheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = fs::temp_directory_path() / ("ftpsim_golden_check_" + std::to_string(::getpid()) + ".golden");
        std::ofstream(path_) << "c1 command QUIT\nc1 tcp retransmission a -> b\nc1 close ftp-control fin\n";
    }
    void TearDown() override { fs::remove(path_); }

    static bool retransmission(std::string_view line) { return line.find(" tcp retransmission ") != line.npos; }

    fs::path path_;
};

TEST_F(GoldenCheckTest, IgnoredLinesMayBeMissingOrExtraOnEitherSide) {
    CheckOptions o;
    o.ignore_line = retransmission;
    const std::string fewer = "c1 command QUIT\nc1 close ftp-control fin\n";
    const std::string more = "c1 tcp retransmission x -> y\nc1 command QUIT\nc1 tcp retransmission a -> b\n"
                             "c1 close ftp-control fin\n";
    EXPECT_EQ(check_golden_text(fewer, "cap", path_.string(), o).status, CheckStatus::kMatch);
    EXPECT_EQ(check_golden_text(more, "cap", path_.string(), o).status, CheckStatus::kMatch);
    // Without the filter the same texts differ.
    EXPECT_EQ(check_golden_text(fewer, "cap", path_.string(), {}).status, CheckStatus::kMismatch);
}

TEST_F(GoldenCheckTest, OtherDifferencesStillMismatch) {
    CheckOptions o;
    o.ignore_line = retransmission;
    const auto c = check_golden_text("c1 command QUIT\nc1 close ftp-control rst\n", "cap", path_.string(), o);
    EXPECT_EQ(c.status, CheckStatus::kMismatch);
    EXPECT_NE(c.diff.find("+c1 close ftp-control rst"), std::string::npos);
    EXPECT_EQ(c.diff.find("retransmission"), std::string::npos);  // not shown as a difference
}

TEST_F(GoldenCheckTest, AnUpdateWritesEveryLineOfTheActualText) {
    CheckOptions o;
    o.ignore_line = retransmission;
    o.update = true;
    const std::string actual = "c1 command QUIT\nc1 close ftp-control fin\n";
    EXPECT_EQ(check_golden_text(actual, "cap", path_.string(), o).status, CheckStatus::kUpdated);
    EXPECT_EQ(testsupport::read_file(path_.string()), actual);
}

TEST_F(GoldenCheckTest, AnUpdateCreatesTheMissingDirectories) {
    const fs::path dir = path_.string() + ".d";
    const fs::path golden = dir / "new" / "folder" / "s.client.golden";
    CheckOptions o;
    o.update = true;
    EXPECT_EQ(check_golden_text("c1 command QUIT\n", "cap", golden.string(), o).status, CheckStatus::kUpdated);
    EXPECT_EQ(testsupport::read_file(golden.string()), "c1 command QUIT\n");
    fs::remove_all(dir);
}

TEST_F(GoldenCheckTest, AMissingGoldenNamesTheCallersFlag) {
    CheckOptions o;
    o.update_flag = "--update-golden";
    const std::string missing = path_.string() + ".missing";
    try {
        check_golden_text("c1 command QUIT\n", "cap", missing, o);
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), missing + ": golden file does not exist (run with --update-golden to create it)");
    }
}

}  // namespace
}  // namespace ftpsim::golden
