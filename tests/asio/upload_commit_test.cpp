// An upload being put in place (fsync and rename on a real disk; held here inside commit() by a
// latch) must not stop the server's other sessions: FtpServer runs commits on threads of its
// own and the session answers 226 when the result comes back. Before, the one io thread sat in
// commit(): on a busy disk every session waited tens of milliseconds per upload, and a second
// client got no greeting at all until the first one's file was on disk (bench/server_soak.sh
// saw greetings more than 30 s late).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <future>
#include <random>
#include <sstream>
#include <thread>

#include "asio/loopback_socket.hpp"
#include "sim/asio/ftp_server.hpp"
#include "sim/fs/real_file_system.hpp"
#include "support/blocking_commit_fs.hpp"
#include "support/read_file.hpp"

namespace ftpsim::asio_test {
namespace {

using namespace std::chrono_literals;
namespace io = sim::asio_io;
namespace stdfs = std::filesystem;

// The data port of a "227 ... (h1,h2,h3,h4,p1,p2)" reply (0 if there is none).
std::uint16_t pasv_port(const std::string& reply) {
    const auto open = reply.find('(');
    unsigned h1, h2, h3, h4, p1, p2;
    if (open == std::string::npos ||
        std::sscanf(reply.c_str() + open, "(%u,%u,%u,%u,%u,%u)", &h1, &h2, &h3, &h4, &p1, &p2) != 6)
        return 0;
    return static_cast<std::uint16_t>(p1 * 256 + p2);
}

TEST(AsioFtpServer, AnUploadBeingPutInPlaceDoesNotStopTheOtherSessions) {
    std::random_device rd;
    const stdfs::path root = stdfs::temp_directory_path() /
                             ("ftpsim-commit-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    stdfs::create_directories(root);
    sim::RealFileSystem real(root.string());
    ASSERT_TRUE(real.ok());
    sim::test::BlockingCommits fs(real);

    // The commit signals that it began, then waits for the test (20 s at most, never forever).
    std::promise<void> entered, release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> entered_once{false};
    fs.before_commit = [&] {
        if (!entered_once.exchange(true)) entered.set_value();
        released.wait_for(20s);
    };
    std::atomic<bool> release_given{false};
    const auto let_go = [&] {
        if (!release_given.exchange(true)) release.set_value();
    };

    sim::ServerConfig config;
    config.anonymous = true;
    boost::asio::io_context ioc;
    std::ostringstream log;
    io::FtpServerOptions so;
    so.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
    so.log = &log;
    auto server = std::make_unique<io::FtpServer>(ioc, config, fs, so);
    std::string error;
    ASSERT_TRUE(server->start(error)) << error;
    const std::uint16_t port = server->local_endpoint().port();
    std::thread loop([&] { ioc.run_for(40s); });
    // However the test ends (an ASSERT returns early): the commit let go, the server stopped,
    // the io thread joined, the commit threads joined before the io_context goes.
    struct Cleanup {
        std::function<void()> run;
        ~Cleanup() { run(); }
    } cleanup{[&] {
        let_go();
        boost::asio::post(ioc, [&] { server->stop(); });
        if (loop.joinable()) loop.join();
        server.reset();
        std::error_code ec;
        stdfs::remove_all(root, ec);
    }};

    {
        // Session A: an upload, up to the client's close of the data connection.
        LoopbackSocket a(port);
        EXPECT_EQ(a.read_until("\r\n").substr(0, 4), "220 ");
        a.send_all("USER anonymous\r\n");
        EXPECT_EQ(a.read_until("\r\n").substr(0, 4), "331 ");
        a.send_all("PASS me@example.com\r\nTYPE I\r\n");
        EXPECT_NE(a.read_until("200 ").find("230 "), std::string::npos);
        a.send_all("PASV\r\n");
        const std::uint16_t data_port = pasv_port(a.read_until("\r\n"));
        ASSERT_NE(data_port, 0);
        {
            LoopbackSocket d(data_port);
            a.send_all("STOR up.bin\r\n");
            EXPECT_EQ(a.read_until("\r\n").substr(0, 4), "150 ");
            d.send_all("the bytes of the upload");
        }  // closed: the end of the upload, the commit begins
        ASSERT_EQ(entered.get_future().wait_for(10s), std::future_status::ready) << "no commit\n" << log.str();

        // Session B, while A's commit is held: greeted and answered.
        LoopbackSocket b(port);
        const std::string greeting = b.read_until("\r\n", 3s);
        EXPECT_EQ(greeting.substr(0, 4), "220 ") << "no greeting while another session's upload is committed";
        b.send_all("NOOP\r\n");
        EXPECT_EQ(b.read_until("\r\n", 3s).substr(0, 4), "200 ");
        EXPECT_EQ(a.read_until("\r\n", 200ms), "") << "226 before the file is in place";
        EXPECT_FALSE(stdfs::exists(root / "up.bin"));

        let_go();
        EXPECT_EQ(a.read_until("\r\n", 10s).substr(0, 4), "226 ");
        EXPECT_EQ(testsupport::read_file(root / "up.bin"), "the bytes of the upload");
        EXPECT_EQ(fs.commits, 1);
    }
}

}  // namespace
}  // namespace ftpsim::asio_test
