// Our client (`ftpsim client`) against vsftpd, the reference server, started by the test with a
// generated configuration on 127.0.0.1 and a high port: list, retrieve and store in every data
// mode, SHA-256 checked both from the client's own report and from the files. The same against
// `ftpsim serve`, so both ends of ftpsim meet each other over real sockets.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "interop/support/fixture.hpp"

namespace ftpsim::interop {
namespace {

struct ClientMode {
    const char* name;
    const char* flag;
};
void PrintTo(const ClientMode& m, std::ostream* os) { *os << m.name; }

const ClientMode kPassive{"pasv", "--passive"};
const ClientMode kEpsv{"epsv", "--epsv"};
const ClientMode kActive{"port", "--active"};
const ClientMode kEprt{"eprt", "--eprt"};

class FtpsimClientTest : public InteropTest,
                         public ::testing::WithParamInterface<std::tuple<ServerKind, ClientMode>> {
protected:
    void SetUp() override {
        prepare();
        start_server(std::get<0>(GetParam()));
    }

    RunResult client(std::vector<std::string> ops, const std::string& name) {
        std::vector<std::string> argv = {ftpsim_binary(), "client", server_->url(), std::get<1>(GetParam()).flag};
        argv.insert(argv.end(), ops.begin(), ops.end());
        return run_tool(argv, name);
    }
};

// "RETR name: N bytes sha256 HEX" lines of the client's output, by name.
std::map<std::string, std::pair<std::uint64_t, std::string>> reported(const std::string& out, const std::string& verb) {
    std::map<std::string, std::pair<std::uint64_t, std::string>> got;
    const std::regex re(verb + R"( (\S+): (\d+) bytes sha256 ([0-9a-f]{64}))");
    for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it)
        got[(*it)[1]] = {std::stoull((*it)[2]), (*it)[3]};
    return got;
}

TEST_P(FtpsimClientTest, ListRetrStor) {
    const std::string up = pattern_bytes(1234, 2 * 1024 * 1024 + 3);
    write_file(local_ / "up.bin", up);
    const std::string remote_up = server_->upload_dir + "/client_" + std::get<1>(GetParam()).name + ".bin";
    auto r = client({"ls", "get", "data.bin", (local_ / "data.bin").string(), "get", "tree/sub0/file3.bin",
                     (local_ / "file3.bin").string(), "get", "empty.bin", (local_ / "empty.bin").string(), "put",
                     (local_ / "up.bin").string(), remote_up},
                    "client");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.out.find("hello.txt"), std::string::npos) << "ls output lacks hello.txt\n" << r.description;
    EXPECT_NE(r.out.find("tree"), std::string::npos) << r.description;

    const auto retr = reported(r.out, "RETR");
    for (const auto& [remote, local] : std::vector<std::pair<std::string, std::string>>{
             {"data.bin", "data.bin"}, {"tree/sub0/file3.bin", "file3.bin"}, {"empty.bin", "empty.bin"}}) {
        EXPECT_EQ(sha256_file(local_ / local), served_.files.at(remote)) << remote << " " << size_note(local_ / local);
        // The client names the file as given, or by its last component.
        auto it = retr.find(remote);
        if (it == retr.end()) it = retr.find(fs::path(remote).filename().string());
        ASSERT_NE(it, retr.end()) << "no \"RETR " << remote << ": N bytes sha256 HEX\" line\n" << r.description;
        EXPECT_EQ(it->second.second, served_.files.at(remote)) << "reported hash of " << remote;
        EXPECT_EQ(it->second.first, fs::file_size(root_ / remote)) << "reported size of " << remote;
    }
    EXPECT_EQ(sha256_file(root_ / remote_up), sha256_bytes(up)) << size_note(root_ / remote_up) << "\n" << r.description;
}

TEST_P(FtpsimClientTest, NlstAndPwdAndCd) {
    auto r = client({"pwd", "cd", "tree", "pwd", "nlst"}, "client-nav");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.out.find("\"/\""), std::string::npos) << r.description;
    EXPECT_NE(r.out.find("\"/tree\""), std::string::npos) << r.description;
    for (const char* name : {"file0.txt", "file49.bin", "sub1"})
        EXPECT_NE(r.out.find(name), std::string::npos) << "nlst lacks " << name << "\n" << r.description;
}

TEST_P(FtpsimClientTest, MissingFileFailsWith550AndNonZeroExit) {
    auto r = client({"get", "no-such-file", (local_ / "never").string()}, "client-missing");
    EXPECT_FALSE(r.timed_out) << r.description;
    EXPECT_NE(r.exit_code, 0) << r.description;
    EXPECT_NE(r.out.find("550"), std::string::npos) << r.description;
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<ServerKind, ClientMode>>& info) {
    return std::string(name_of(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(Modes, FtpsimClientTest,
                         ::testing::Combine(::testing::Values(ServerKind::kVsftpd, ServerKind::kFtpsim),
                                            ::testing::Values(kPassive, kEpsv, kActive, kEprt)),
                         param_name);

}  // namespace
}  // namespace ftpsim::interop
