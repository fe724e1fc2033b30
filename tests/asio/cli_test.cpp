// `ftpsim serve` and `ftpsim client` as processes on 127.0.0.1: a session end to end, local
// files never overwritten silently, exit codes, one-line errors, SIGTERM, missing privileges.
#include <gtest/gtest.h>

#include <regex>

#include "asio/loopback_socket.hpp"
#include "support/process.hpp"
#include "support/read_file.hpp"
#include "sim/asio/socket_util.hpp"  // Boost.Asio, with the include order it needs

namespace ftpsim::asio_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testsupport::Process;
using testsupport::ProcessOptions;
using testsupport::read_file;

// `as_nobody`: the server drops to 65534 before exec (the caller checks that it runs as root).
ProcessOptions ftpsim_process(std::vector<std::string> argv, const fs::path& out, const fs::path& err,
                              bool as_nobody = false) {
    ProcessOptions po;
    po.argv = std::move(argv);
    po.stdout_file = out;
    po.stderr_file = err;
    po.as_nobody = as_nobody;
    return po;
}

class ServeClientCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("ftpsim_cli_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "root/incoming");
        fs::create_directories(dir_ / "local");
        fs::permissions(dir_, fs::perms::all);  // the privilege tests run the server as nobody
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }

    struct Run {
        int code;
        std::string out, err;
    };
    Run run(std::vector<std::string> args, std::chrono::milliseconds limit = 30s) {
        args.insert(args.begin(), FTPSIM_BINARY);
        Process p(ftpsim_process(args, dir_ / "run.out", dir_ / "run.err"));
        int code = p.wait_for(limit).value_or(-1);
        return {code, p.out(), p.err()};
    }
    std::unique_ptr<Process> serve(std::vector<std::string> extra, bool as_nobody = false) {
        std::vector<std::string> args = {FTPSIM_BINARY, "serve", "--listen", "127.0.0.1:0"};
        args.insert(args.end(), extra.begin(), extra.end());
        return std::make_unique<Process>(ftpsim_process(args, dir_ / "serve.out", dir_ / "serve.err", as_nobody));
    }
    static std::uint16_t port_of(const Process& p) {
        std::smatch m;
        std::string out = p.out();
        if (!std::regex_search(out, m, std::regex("listening on 127\\.0\\.0\\.1:(\\d+)"))) return 0;
        return static_cast<std::uint16_t>(std::stoi(m[1]));
    }

    fs::path dir_;
};

TEST_F(ServeClientCli, ServeAndClientEndToEnd) {
    std::string data(2 * 1024 * 1024 + 11, 'x');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + (i >> 11));
    write(dir_ / "root/data.bin", data);
    write(dir_ / "local/up.txt", "uploaded\n");
    auto server = serve({"--root", (dir_ / "root").string(), "--user", "alice:secret", "--active-port", "0"});
    ASSERT_TRUE(server->wait_output("listening on", 5s)) << server->err();
    const std::string url = "ftp://alice:secret@127.0.0.1:" + std::to_string(port_of(*server)) + "/";
    const std::string local = (dir_ / "local/data.bin").string();

    Run r = run({"client", url, "--active", "ls", "get", "data.bin", local, "put", (dir_ / "local/up.txt").string(),
                 "incoming/up.txt", "quit"});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("< 230 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("> PASS ****"), std::string::npos) << "the password is masked\n" << r.out;
    EXPECT_NE(r.out.find("data.bin"), std::string::npos) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("RETR data\\.bin: 2097163 bytes sha256 [0-9a-f]{64}"))) << r.out;
    EXPECT_EQ(read_file(local), data);
    EXPECT_EQ(read_file(dir_ / "root/incoming/up.txt"), "uploaded\n");

    // An existing local file is not overwritten without --force: refused before connecting.
    r = run({"client", url, "get", "data.bin", local});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim client: " + local + ": exists; not overwritten (give --force to replace it)\n");
    r = run({"client", url, "--epsv", "--force", "get", "data.bin", local});
    EXPECT_EQ(r.code, 0) << r.out << r.err;

    // A failed operation: exit 1, and no partial file left behind.
    r = run({"client", url, "get", "missing.bin", (dir_ / "local/missing.bin").string(), "pwd"});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("FAILED: "), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "local/missing.bin"));
    // Even with --force, a failed transfer leaves the old file as it was, and no temporary.
    write(dir_ / "local/old.bin", "old");
    r = run({"client", url, "--force", "get", "missing.bin", (dir_ / "local/old.bin").string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_EQ(read_file(dir_ / "local/old.bin"), "old");
    for (const auto& e : fs::directory_iterator(dir_ / "local"))
        EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << e.path();

    EXPECT_EQ(server->stop(SIGTERM, 5s), 0) << server->out() << server->err();
    EXPECT_NE(server->out().find("[s1] login alice"), std::string::npos) << server->out();
}

TEST_F(ServeClientCli, ClientUsageErrorsExit2) {
    Run r = run({"client", "http://127.0.0.1/", "ls"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim client: 'http://127.0.0.1/' is not an ftp:// URL (ftp://[user[:password]@]host[:port]/)\n");
    r = run({"client", "ftp://127.0.0.1:1/", "lss"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim client: unknown operation 'lss'; did you mean 'ls'?\n");
    r = run({"client", "ftp://127.0.0.1:" + std::to_string(free_loopback_port()) + "/", "pwd"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("ftpsim client: cannot connect to 127.0.0.1:"), std::string::npos) << r.err;
}

TEST_F(ServeClientCli, ServeBadInputExit2WithOneLine) {
    Run r = run({"serve", "--listen", "127.0.0.1:0", "--anonymous"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim serve: give --root DIR or --config FILE\n");
    r = run({"serve", "--listen", "localhost:21", "--root", dir_.string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim serve: --listen 'localhost' is not an IP address\n");
    write(dir_ / "bad.yaml", "anonymous: true\npasv_port: 50000-50100\n");
    r = run({"serve", "--listen", "127.0.0.1:0", "--config", (dir_ / "bad.yaml").string()});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim serve: " + (dir_ / "bad.yaml").string() +
                         ":2:1: unknown key 'pasv_port'; did you mean 'pasv_ports'?\n");
    r = run({"serve", "--listen", "127.0.0.1:0", "--root", dir_.string(), "--anonymous", "--pasv-ports", "9-3"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ftpsim serve: --pasv-ports: port range '9-3' is empty: its first port is above its last\n");
}

TEST_F(ServeClientCli, ServeFromYamlWithInMemoryTree) {
    write(dir_ / "serve.yaml",
          "users: {bob: pw}\nfiles:\n  /gen.bin: {size: 100000, seed: 3}\n  /hello.txt: \"hi\\n\"\n");
    auto server = serve({"--config", (dir_ / "serve.yaml").string(), "--active-port", "0"});
    ASSERT_TRUE(server->wait_output("listening on", 5s)) << server->err();
    const std::string url = "ftp://bob:pw@127.0.0.1:" + std::to_string(port_of(*server)) + "/";
    Run r = run({"client", url, "get", "hello.txt", "get", "gen.bin", "size", "gen.bin"});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("RETR hello.txt: 3 bytes sha256 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("RETR gen.bin: 100000 bytes sha256 "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("< 213 100000"), std::string::npos) << r.out;
    EXPECT_EQ(server->stop(SIGINT, 5s), 0);
}

// A configuration file's `replies:` and `listings:` over real sockets, and `ftpsim client
// --control-port`: the server answers USER with 230 (no PASS asked), LIST sends the given lines,
// and the server sees the client's control connection come from the port given.
TEST_F(ServeClientCli, ServeRepliesAndListingsToAClientOnAGivenControlPort) {
    write(dir_ / "serve.yaml",
          "replies:\n  USER: {code: 230, text: \"Anonymous access granted, restrictions apply\"}\n"
          "listings:\n  /: [\"lrwxrwxrwx    1 0        0              12 Jan 05  2018 latest -> releases/3.0\"]\n");
    auto server = serve({"--config", (dir_ / "serve.yaml").string(), "--active-port", "0"});
    ASSERT_TRUE(server->wait_output("listening on", 5s)) << server->err();
    const std::string url = "ftp://127.0.0.1:" + std::to_string(port_of(*server)) + "/";
    const std::uint16_t control_port = free_loopback_port();
    Run r = run({"client", url, "--control-port", std::to_string(control_port), "ls"});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("< 230 Anonymous access granted, restrictions apply"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("> PASS"), std::string::npos) << "no PASS after a 230 to USER\n" << r.out;
    EXPECT_NE(r.out.find("latest -> releases/3.0"), std::string::npos) << r.out;
    EXPECT_EQ(server->stop(SIGINT, 5s), 0);
    EXPECT_NE(server->out().find("connection from 127.0.0.1:" + std::to_string(control_port)), std::string::npos)
        << server->out();
}

// Root drops to nobody in the child to show what an unprivileged user sees; anyone else is that
// user already, unless ports below 1024 are free for all here or it holds CAP_NET_BIND_SERVICE.
bool can_test_unprivileged(bool& drop) {
    drop = ::geteuid() == 0;
    std::ifstream f("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    int start = 1024;
    f >> start;
    if (start <= 20) return false;
    if (drop) return true;
    boost::asio::io_context ioc;  // can we bind a low port anyway?
    boost::asio::ip::tcp::acceptor a(ioc);
    boost::system::error_code ec;
    a.open(boost::asio::ip::tcp::v4(), ec);
    a.bind({boost::asio::ip::make_address("127.0.0.1"), 1021}, ec);
    return ec == boost::asio::error::access_denied;
}

TEST_F(ServeClientCli, PrivilegedPortsNameThePrivilege) {
    bool drop = false;
    if (!can_test_unprivileged(drop)) GTEST_SKIP() << "ports below 1024 are not privileged for this user here";
    fs::permissions(dir_ / "root", fs::perms::all);
    Process low(ftpsim_process({FTPSIM_BINARY, "serve", "--listen", "127.0.0.1:1021", "--root",
                                (dir_ / "root").string(), "--anonymous"},
                               dir_ / "low.out", dir_ / "low.err", drop));
    const int code = low.wait_for(10s).value_or(-1);
    if (code == 126 || code == 127) GTEST_SKIP() << "nobody cannot run " << FTPSIM_BINARY << " here";
    EXPECT_EQ(code, 2) << low.err();
    EXPECT_EQ(low.err(),
              "ftpsim serve: cannot listen on 127.0.0.1:1021: ports below 1024 need root or CAP_NET_BIND_SERVICE\n");

    // Active mode's port 20: said once at startup, and the server runs on with any port.
    auto server = serve({"--root", (dir_ / "root").string(), "--anonymous"}, drop);
    ASSERT_TRUE(server->wait_output("listening on", 5s)) << server->err();
    EXPECT_NE(server->out().find("ftpsim serve: active mode: cannot bind port 20: needs root or CAP_NET_BIND_SERVICE; "
                                 "connecting from any port instead"),
              std::string::npos)
        << server->out();
    EXPECT_EQ(server->stop(SIGTERM, 5s), 0);
}

}  // namespace
}  // namespace ftpsim::asio_test
