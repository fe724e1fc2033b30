// curl against the server: list, download and upload in every data mode curl has, with the
// SHA-256 of every file checked. Each case also runs against vsftpd, the reference: a case that
// passes there and fails on ftpsim is ftpsim's bug, not the test's.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "interop/support/fixture.hpp"
#include "interop/support/net.hpp"

namespace ftpsim::interop {
namespace {

struct CurlMode {
    const char* name;
    std::vector<std::string> flags;
    const char* command;  // what curl -v must show it sent for the data connection
};

void PrintTo(const CurlMode& m, std::ostream* os) { *os << m.name; }

const CurlMode kEpsv{"epsv", {}, "> EPSV"};
const CurlMode kPasv{"pasv", {"--disable-epsv"}, "> PASV"};
const CurlMode kPort{"port", {"-P", "127.0.0.1", "--disable-eprt"}, "> PORT 127,0,0,1,"};
const CurlMode kEprt{"eprt", {"-P", "127.0.0.1"}, "> EPRT |1|127.0.0.1|"};

class CurlTest : public InteropTest, public ::testing::WithParamInterface<std::tuple<ServerKind, CurlMode>> {
protected:
    void SetUp() override {
        FTPSIM_REQUIRE_TOOL("curl");
        prepare();
        start_server(std::get<0>(GetParam()));
    }

    RunResult curl(std::vector<std::string> args, const std::string& name) {
        std::vector<std::string> argv = {"curl", "-sS", "-v", "--connect-timeout", "5", "--max-time", "30"};
        const auto& mode = std::get<1>(GetParam());
        argv.insert(argv.end(), mode.flags.begin(), mode.flags.end());
        argv.insert(argv.end(), args.begin(), args.end());
        return run_tool(argv, name);
    }

    const CurlMode& mode() const { return std::get<1>(GetParam()); }
};

TEST_P(CurlTest, ListsTheRoot) {
    const auto list = local_ / "list.txt";
    const auto nlst = local_ / "nlst.txt";
    auto r = curl({server_->url(), "-o", list.string()}, "curl-list");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.err.find(mode().command), std::string::npos) << "curl did not use " << mode().command << "\n" << r.description;
    const std::string listing = read_file(list);
    for (const char* name : {"hello.txt", "data.bin", "empty.bin", "tree", "incoming"})
        EXPECT_NE(listing.find(name), std::string::npos) << "LIST lacks " << name << ":\n" << listing;
    // A LIST line of a regular file carries its size (both servers print ls -l style lines).
    EXPECT_NE(listing.find(std::to_string((1 << 20) + 12345)), std::string::npos) << listing;

    r = curl({"--list-only", server_->url("tree/"), "-o", nlst.string()}, "curl-nlst");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.err.find("> NLST"), std::string::npos) << r.description;
    const std::string names = read_file(nlst);
    for (const char* name : {"file0.txt", "file1.bin", "file49.bin", "sub0"})
        EXPECT_NE(names.find(name), std::string::npos) << "NLST lacks " << name << ":\n" << names;
}

TEST_P(CurlTest, DownloadsWithMatchingHashes) {
    // Several files over one control connection: curl reuses it between URLs.
    std::vector<std::string> args;
    const std::vector<std::string> files = {"data.bin", "hello.txt", "empty.bin", "tree/sub0/file3.bin",
                                            "tree/sub2/deeper/file8.txt"};
    for (std::size_t i = 0; i < files.size(); ++i) {
        ASSERT_TRUE(served_.files.count(files[i])) << files[i];
        args.insert(args.end(), {server_->url(files[i]), "-o", (local_ / ("dl_" + std::to_string(i))).string()});
    }
    auto r = curl(args, "curl-get");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.err.find(mode().command), std::string::npos) << r.description;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto local = local_ / ("dl_" + std::to_string(i));
        EXPECT_EQ(sha256_file(local), served_.files.at(files[i])) << files[i] << " (" << size_note(local) << ")";
    }
}

TEST_P(CurlTest, UploadsWithMatchingHashes) {
    const std::string big = pattern_bytes(99, 3 * 1024 * 1024 + 7);
    const std::string small = "one line without a newline";
    write_file(local_ / "big.bin", big);
    write_file(local_ / "small.txt", small);
    const std::string dir = server_->upload_dir + "/";
    auto r = curl({"-T", (local_ / "big.bin").string(), server_->url(dir + "big_" + mode().name + ".bin"),
                   "-T", (local_ / "small.txt").string(), server_->url(dir + "small_" + mode().name + ".txt")},
                  "curl-put");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_NE(r.err.find("> STOR big_"), std::string::npos) << r.description;
    EXPECT_EQ(sha256_file(root_ / server_->upload_dir / ("big_" + std::string(mode().name) + ".bin")), sha256_bytes(big));
    EXPECT_EQ(sha256_file(root_ / server_->upload_dir / ("small_" + std::string(mode().name) + ".txt")),
              sha256_bytes(small));

    // And back down: what the server stored is what it serves.
    r = curl({server_->url(dir + "big_" + mode().name + ".bin"), "-o", (local_ / "big.back").string()}, "curl-back");
    ASSERT_EQ(r.exit_code, 0) << r.description;
    EXPECT_EQ(sha256_file(local_ / "big.back"), sha256_bytes(big));
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<ServerKind, CurlMode>>& info) {
    return std::string(name_of(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
}

INSTANTIATE_TEST_SUITE_P(Modes, CurlTest,
                         ::testing::Combine(::testing::Values(ServerKind::kFtpsim, ServerKind::kVsftpd),
                                            ::testing::Values(kEpsv, kPasv, kPort, kEprt)),
                         param_name);

// IPv6 on ::1: EPSV and EPRT are the only data modes (RFC 2428); ftpsim only (the reference
// vsftpd is configured for IPv4).
class CurlIpv6Test : public InteropTest {
protected:
    void SetUp() override {
        FTPSIM_REQUIRE_TOOL("curl");
        FTPSIM_REQUIRE(can_bind("::1"), "no IPv6 loopback (::1) on this machine");
        prepare();
        FtpsimServeOptions o;
        o.root = root_;
        o.host = "::1";
        o.log_dir = tmp_->path();
        try {
            server_ = start_ftpsim(o);
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
    }
};

TEST_F(CurlIpv6Test, EpsvAndEprtOverIpv6) {
    const std::string up = pattern_bytes(5, 200000);
    write_file(local_ / "up6.bin", up);
    for (const auto& [name, flags] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {"epsv", {}}, {"eprt", {"-P", "::1"}}}) {
        SCOPED_TRACE(name);
        // One curl, one control connection; --next keeps the -T with its own URL (curl pairs the
        // Nth -T with the Nth URL of a group).
        std::vector<std::string> base = {"-g", "-sS", "-v", "--connect-timeout", "5", "--max-time", "30"};
        base.insert(base.end(), flags.begin(), flags.end());
        std::vector<std::string> argv = {"curl"};
        auto group = [&](std::vector<std::string> rest) {
            if (argv.size() > 1) argv.push_back("--next");
            argv.insert(argv.end(), base.begin(), base.end());
            argv.insert(argv.end(), rest.begin(), rest.end());
        };
        group({server_->url(), "-o", (local_ / (name + ".list")).string()});
        group({server_->url("data.bin"), "-o", (local_ / (name + ".bin")).string()});
        group({"-T", (local_ / "up6.bin").string(), server_->url("incoming/up6_" + name + ".bin")});
        auto r = run_tool(argv, "curl6-" + name);
        ASSERT_EQ(r.exit_code, 0) << r.description;
        EXPECT_NE(r.err.find(name == "epsv" ? "> EPSV" : "> EPRT |2|::1|"), std::string::npos) << r.description;
        EXPECT_NE(read_file(local_ / (name + ".list")).find("data.bin"), std::string::npos);
        EXPECT_EQ(sha256_file(local_ / (name + ".bin")), served_.files.at("data.bin"));
        EXPECT_EQ(sha256_file(root_ / "incoming" / ("up6_" + name + ".bin")), sha256_bytes(up));
    }
}

}  // namespace
}  // namespace ftpsim::interop
