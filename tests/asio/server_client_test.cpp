// `FtpServer` and `FtpClient` with the real engines over 127.0.0.1 only:
// login, LIST, RETR, STOR in every data mode, SHA-256 checked against what the file system
// holds; a real directory sent with sendfile; session limits; a clean stop.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "asio/loopback_socket.hpp"
#include "hash/sha256.hpp"
#include "sim/asio/ftp_client.hpp"
#include "sim/asio/ftp_server.hpp"
#include "sim/engine/memory_file_system.hpp"
#include "sim/fs/real_file_system.hpp"
#include "support/read_file.hpp"

namespace ftpsim::asio_test {
namespace {

using namespace std::chrono_literals;
using sim::ClientOp;
using sim::DataMode;
namespace io = sim::asio_io;
using Kind = ClientOp::Kind;

std::string sha(const std::string& s) {
    return analyzer::sha256_hex({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

ClientOp op(Kind k, std::string arg = {}) {
    ClientOp o;
    o.kind = k;
    o.arg = std::move(arg);
    return o;
}

ClientOp upload(std::string remote, std::string content) {
    ClientOp o = op(Kind::kStor, std::move(remote));
    o.upload = std::make_shared<const std::string>(std::move(content));
    return o;
}

std::string pattern(std::size_t n, unsigned salt) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 2654435761u + salt) >> 13);
    return s;
}

// Server and client on one io_context (one thread), until the client is done or 20 s pass.
struct Session {
    std::vector<sim::OpResult> results;
    std::string error;
    std::string log;
};

Session run(const sim::ServerConfig& config, sim::FileSystem& fs, sim::ClientConfig cc, std::vector<ClientOp> ops) {
    const std::string host = "127.0.0.1";
    boost::asio::io_context ioc;
    std::ostringstream log;
    io::FtpServerOptions so;
    so.listen = {boost::asio::ip::make_address(host), 0};
    so.log = &log;
    io::FtpServer server(ioc, config, fs, so);
    std::string error;
    EXPECT_TRUE(server.start(error)) << error;
    io::FtpClient client(ioc, {host, server.local_endpoint().port()}, cc, std::move(ops));
    client.start();
    auto end = std::chrono::steady_clock::now() + 20s;
    while (!client.done() && std::chrono::steady_clock::now() < end) ioc.run_one_until(end);
    EXPECT_TRUE(client.done()) << "the session did not end within 20 s\n" << log.str();
    // The server's side ends when it sees the client's close.
    end = std::chrono::steady_clock::now() + 5s;
    while (server.sessions() > 0 && std::chrono::steady_clock::now() < end) ioc.run_one_until(end);
    server.stop();
    ioc.restart();
    ioc.run_for(2s);  // the stop's resets and lingering closes, bounded
    Session s{client.outcome().results, client.outcome().error, log.str()};
    return s;
}

class AsioDataModes : public ::testing::TestWithParam<DataMode> {};

TEST_P(AsioDataModes, LoginListRetrStorOnAMemoryTree) {
    sim::MemoryFileSystem fs;
    fs.add_generated("/pub/big.bin", 3 * 1024 * 1024 + 5, 42);
    fs.add_file("/pub/hello.txt", "hello\n");
    sim::ServerConfig config;
    config.users["alice"] = "secret";
    config.pasv_port_min = 0;
    // A fixed high source port for active mode, used twice in a row (SO_REUSEADDR at work);
    // port 20 is not assumed to be free or bindable.
    config.active_source_port = free_loopback_port();
    sim::ClientConfig cc;
    cc.user = "alice";
    cc.password = "secret";
    cc.mode = GetParam();
    const std::string up = pattern(700 * 1024 + 3, 9);
    Session s = run(config, fs, cc,
                    {op(Kind::kLogin), op(Kind::kType, "I"), op(Kind::kCwd, "/pub"), op(Kind::kList),
                     op(Kind::kRetr, "big.bin"), upload("up.bin", up), op(Kind::kRetr, "up.bin"), op(Kind::kQuit)});
    ASSERT_EQ(s.results.size(), 8u) << s.error << "\n" << s.log;
    for (const auto& r : s.results) EXPECT_TRUE(r.ok) << r.error << "\n" << s.log;
    EXPECT_NE(s.results[3].listing.find("big.bin"), std::string::npos) << s.results[3].listing;
    std::string expected;
    sim::MemoryFileSystem::generate(42, 0, 3 * 1024 * 1024 + 5, expected);
    EXPECT_EQ(s.results[4].bytes, expected.size());
    EXPECT_EQ(s.results[4].sha256, sha(expected));
    EXPECT_EQ(fs.content("/pub/up.bin"), up);
    EXPECT_EQ(s.results[5].sha256, sha(up));
    EXPECT_EQ(s.results[6].sha256, sha(up));
    EXPECT_NE(s.log.find("[s1] login alice"), std::string::npos) << s.log;
    EXPECT_NE(s.log.find("[s1] closed"), std::string::npos) << s.log;
}

INSTANTIATE_TEST_SUITE_P(AllModes, AsioDataModes,
                         ::testing::Values(DataMode::kPassive, DataMode::kExtendedPassive, DataMode::kActive,
                                           DataMode::kExtendedActive),
                         [](const auto& info) {
                             switch (info.param) {
                                 case DataMode::kPassive: return std::string("pasv");
                                 case DataMode::kExtendedPassive: return std::string("epsv");
                                 case DataMode::kActive: return std::string("port");
                                 default: return std::string("eprt");
                             }
                         });

TEST(AsioFtpServer, RealDirectoryIsSentWithSendfileAndUploadsLand) {
    auto root = std::filesystem::temp_directory_path() / ("ftpsim_asio_root_" + std::to_string(::getpid()));
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root / "incoming");
    const std::string data = pattern(5 * 1024 * 1024 + 77, 3);
    std::ofstream(root / "data.bin", std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
    {
        sim::RealFileSystem fs(root.string());
        ASSERT_TRUE(fs.ok());
        sim::ServerConfig config;
        config.anonymous = true;
        config.active_source_port = 0;
        sim::ClientConfig cc;
        const std::string up = pattern(123457, 5);
        Session s = run(config, fs, cc,
                        {op(Kind::kLogin), op(Kind::kType, "I"), op(Kind::kRetr, "data.bin"),
                         upload("incoming/up.bin", up), op(Kind::kQuit)});
        ASSERT_EQ(s.results.size(), 5u) << s.log;
        for (const auto& r : s.results) EXPECT_TRUE(r.ok) << r.error << "\n" << s.log;
        EXPECT_EQ(s.results[2].sha256, sha(data));
        EXPECT_EQ(testsupport::read_file(root / "incoming/up.bin"), up);
    }
    std::filesystem::remove_all(root);
}

// Server on its own thread; raw clients on this one.
struct ThreadedServer {
    boost::asio::io_context ioc;
    std::ostringstream log;
    sim::MemoryFileSystem fs;
    sim::ServerConfig config;
    std::unique_ptr<io::FtpServer> server;
    std::thread thread;
    std::uint16_t port = 0;

    explicit ThreadedServer(io::FtpServerOptions so) {
        config.anonymous = true;
        so.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
        so.log = &log;
        server = std::make_unique<io::FtpServer>(ioc, config, fs, so);
        std::string error;
        if (!server->start(error)) throw std::runtime_error(error);
        port = server->local_endpoint().port();
        thread = std::thread([this] { ioc.run_for(30s); });
    }
    void stop() {
        if (!thread.joinable()) return;
        boost::asio::post(ioc, [this] { server->stop(); });
        thread.join();
    }
    ~ThreadedServer() { stop(); }
};

TEST(AsioFtpServer, SessionLimitsAnswer421) {
    io::FtpServerOptions so;
    so.max_sessions = 3;
    so.max_per_ip = 2;
    ThreadedServer t(so);
    LoopbackSocket a(t.port), b(t.port), c(t.port);
    EXPECT_EQ(a.read_until("\r\n").substr(0, 4), "220 ");
    EXPECT_EQ(b.read_until("\r\n").substr(0, 4), "220 ");
    std::string refused = c.read_to_eof();
    EXPECT_EQ(refused.substr(0, 4), "421 ") << refused;
    EXPECT_TRUE(c.saw_eof() || c.saw_reset());
    // A served session ending frees its place.
    a.send_all("QUIT\r\n");
    a.read_to_eof();
    bool served = false;
    for (int i = 0; i < 50 && !served; ++i) {  // the server sees the close a moment later
        LoopbackSocket d(t.port);
        served = d.read_until("\r\n").rfind("220 ", 0) == 0;
        if (!served) std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(served);
}

TEST(AsioFtpServer, StopResetsSessionsAndTheLoopEnds) {
    ThreadedServer t({});
    LoopbackSocket a(t.port);
    ASSERT_EQ(a.read_until("\r\n").substr(0, 4), "220 ");
    auto t0 = std::chrono::steady_clock::now();
    t.stop();  // joins the io thread: it must run out of work
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    a.read_to_eof(2s);
    EXPECT_TRUE(a.saw_reset() || a.saw_eof());
    EXPECT_THROW(LoopbackSocket{t.port}, std::runtime_error) << "still listening after stop";
}

// ClientConfig::control_port (`ftpsim client --control-port`, the kernel backend's client): the
// control connection leaves from that port, which the server sees as its peer's.
TEST(AsioFtpClient, ControlPortIsTheSourcePortTheServerSees) {
    sim::MemoryFileSystem fs;
    sim::ServerConfig config;
    config.users["u"] = "p";
    sim::ClientConfig cc;
    cc.user = "u";
    cc.password = "p";
    cc.control_port = free_loopback_port();
    const Session s = run(config, fs, cc, {op(Kind::kLogin), op(Kind::kPwd), op(Kind::kQuit)});
    EXPECT_TRUE(s.error.empty()) << s.error;
    ASSERT_EQ(s.results.size(), 3u);
    EXPECT_NE(s.log.find("connection from 127.0.0.1:" + std::to_string(cc.control_port)), std::string::npos)
        << s.log;
}

TEST(AsioFtpClient, ConnectRefusedIsAnErrorNotAHang) {
    auto out = io::run_ftp_client({"127.0.0.1", free_loopback_port()}, {}, {op(Kind::kLogin)}, {}, 10s);
    EXPECT_FALSE(out.connected);
    EXPECT_NE(out.error.find("cannot connect to 127.0.0.1:"), std::string::npos) << out.error;
}

}  // namespace
}  // namespace ftpsim::asio_test
