// Debian's ftp client (tnftp), driven non-interactively as people script it: `ftp -n -v` with the
// commands on standard input. It sends EPSV/EPRT even on IPv4 unless told `epsv4 off`, and PASV
// or PORT with `passive off` / `epsv4 off`. ls, get and put, hashes checked. Reference: vsftpd.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "interop/support/fixture.hpp"

namespace ftpsim::interop {
namespace {

struct TnftpMode {
    const char* name;
    const char* commands;  // mode commands for the script
    const char* sent;      // what tnftp -d must show it sent ("---> EPSV")
};
void PrintTo(const TnftpMode& m, std::ostream* os) { *os << m.name; }

const TnftpMode kEpsv{"epsv", "", "---> EPSV"};
const TnftpMode kPasv{"pasv", "epsv4 off\n", "---> PASV"};
const TnftpMode kEprt{"eprt", "passive off\n", "---> EPRT |1|127.0.0.1|"};
const TnftpMode kPort{"port", "passive off\nepsv4 off\n", "---> PORT 127,0,0,1,"};

class TnftpTest : public InteropTest, public ::testing::WithParamInterface<std::tuple<ServerKind, TnftpMode>> {
protected:
    void SetUp() override {
        FTPSIM_REQUIRE_TOOL("ftp");
        prepare();
        start_server(std::get<0>(GetParam()));
    }
};

TEST_P(TnftpTest, LsGetPut) {
    const TnftpMode& mode = std::get<1>(GetParam());
    const std::string up = pattern_bytes(77, 700001);
    write_file(local_ / "up.bin", up);
    const std::string remote_up = server_->upload_dir + "/tn_" + mode.name + ".bin";
    const std::string script = "user " + server_->user + " " + server_->password + "\n" + "binary\n" +
                               mode.commands + "ls\n" + "get data.bin data_down.bin\n" +
                               "get tree/sub0/file3.bin file3_down.bin\n" + "put up.bin " + remote_up +
                               "\n" + "quit\n";
    write_file(tmp_->path() / "tnftp.script", script);
    auto r = run_tool({"ftp", "-n", "-v", "-d", server_->host, std::to_string(server_->port)}, "tnftp",
                      tmp_->path() / "tnftp.script");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    const std::string out = r.out + r.err;
    EXPECT_NE(out.find(mode.sent), std::string::npos) << "tnftp did not send " << mode.sent << "\n" << r.description;
    EXPECT_NE(out.find("hello.txt"), std::string::npos) << "ls output lacks hello.txt\n" << r.description;
    // A 5xx reply line ("550 ..."), not tnftp's "514 bytes received" summary.
    static const std::regex kError(R"((^|\n)[45]\d\d[ -](?!bytes))");
    EXPECT_FALSE(std::regex_search(out, kError)) << "a 4xx/5xx reply\n" << r.description;
    EXPECT_EQ(sha256_file(local_ / "data_down.bin"), served_.files.at("data.bin")) << size_note(local_ / "data_down.bin");
    EXPECT_EQ(sha256_file(local_ / "file3_down.bin"), served_.files.at("tree/sub0/file3.bin"));
    EXPECT_EQ(sha256_file(root_ / remote_up), sha256_bytes(up)) << size_note(root_ / remote_up) << "\n" << r.description;
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<ServerKind, TnftpMode>>& info) {
    return std::string(name_of(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(Modes, TnftpTest,
                         ::testing::Combine(::testing::Values(ServerKind::kFtpsim, ServerKind::kVsftpd),
                                            ::testing::Values(kEpsv, kPasv, kEprt, kPort)),
                         param_name);

}  // namespace
}  // namespace ftpsim::interop
