// lftp mirrors a tree of 50 files (three directory levels) down from the server and another one
// up to it; every file's SHA-256 must match. lftp parses the server's listings (MLSD when FEAT
// offers it, LIST otherwise), so this is also a check of their format. Reference: vsftpd.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "interop/support/fixture.hpp"

namespace ftpsim::interop {
namespace {

struct LftpMode {
    const char* name;
    const char* settings;
    const char* sent;  // what lftp's debug log must show it sent
};
void PrintTo(const LftpMode& m, std::ostream* os) { *os << m.name; }

const LftpMode kPassive{"pasv", "set ftp:passive-mode on; set ftp:prefer-epsv no;", "---> PASV"};
const LftpMode kEpsv{"epsv", "set ftp:passive-mode on; set ftp:prefer-epsv yes;", "---> EPSV"};
const LftpMode kActive{"port", "set ftp:passive-mode off; set ftp:port-range 40000-60000;",
                        "---> PORT 127,0,0,1,"};

class LftpTest : public InteropTest, public ::testing::WithParamInterface<std::tuple<ServerKind, LftpMode>> {
protected:
    void SetUp() override {
        FTPSIM_REQUIRE_TOOL("lftp");
        prepare();
        start_server(std::get<0>(GetParam()));
    }
};

TEST_P(LftpTest, MirrorsFiftyFilesDownAndUp) {
    const LftpMode& mode = std::get<1>(GetParam());
    const FileHashes up = make_tree(local_ / "up", 50, 11);
    ASSERT_EQ(up.size(), 50u);
    ASSERT_EQ(served_.tree.size(), 50u);
    const std::string script =
        std::string("set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 10; ") +
        "set net:reconnect-interval-base 1; set ftp:ssl-allow no; set xfer:clobber on; " +
        "set cmd:trace yes; set ftp:use-site-utime no; set ftp:use-site-utime2 no; " + mode.settings +
        " debug -o " + (tmp_->path() / "lftp-debug.log").string() + " 5; " +
        "open -u " + server_->user + "," + server_->password + " -p " + std::to_string(server_->port) + " " +
        server_->host + "; " + "mirror --verbose=1 tree " + (local_ / "down").string() + "; " +
        "mirror -R --no-perms --verbose=1 " + (local_ / "up").string() + " " + server_->upload_dir + "/up; bye";
    auto r = run_tool({"lftp", "-c", script}, "lftp");
    EXPECT_EQ(r.exit_code, 0) << r.description << "\n--- lftp debug ---\n"
                              << tail_of(tmp_->path() / "lftp-debug.log", 6000);

    const std::string debug = read_file(tmp_->path() / "lftp-debug.log");
    EXPECT_NE(debug.find(mode.sent), std::string::npos) << "lftp did not send " << mode.sent;

    const FileHashes down = hash_tree(local_ / "down");
    EXPECT_EQ(down.size(), 50u);
    EXPECT_EQ(down, served_.tree) << "mirror down differs";
    const FileHashes stored = hash_tree(root_ / server_->upload_dir / "up");
    EXPECT_EQ(stored.size(), 50u);
    EXPECT_EQ(stored, up) << "mirror -R differs";
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<ServerKind, LftpMode>>& info) {
    return std::string(name_of(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(Modes, LftpTest,
                         ::testing::Combine(::testing::Values(ServerKind::kFtpsim, ServerKind::kVsftpd),
                                            ::testing::Values(kPassive, kEpsv, kActive)),
                         param_name);

}  // namespace
}  // namespace ftpsim::interop
