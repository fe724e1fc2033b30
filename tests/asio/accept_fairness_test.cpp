// New connections must not wait behind the sessions already served. asio completes one accept
// per trip through the io_context's handler queue; a busy server's queue is long (every
// session's reads, writes and sendfile turns), so one connection per trip kept new clients
// waiting tens of seconds for their greeting (bench/server_soak.sh with 500 sessions: 176
// connections in the kernel's accept queue, a greeting 43 s late, while replies on established
// sessions took 50 ms). FtpServer takes what is waiting in one go.
//
// The queue is made long here by handlers that post themselves again (stand-ins for the other
// sessions' work) and the loop is run handler by handler, so the test counts trips, not time.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <vector>

#include "asio/loopback_socket.hpp"
#include "sim/asio/ftp_server.hpp"
#include "sim/engine/memory_file_system.hpp"

namespace ftpsim::asio_test {
namespace {

using namespace std::chrono_literals;
namespace io = sim::asio_io;

TEST(AsioFtpServer, ConnectionsWaitingAreAcceptedTogetherNotOnePerTripThroughTheLoop) {
    constexpr int kBusy = 20;     // handlers always ready: one trip is kBusy + a few handlers
    constexpr int kClients = 30;  // connections waiting in the kernel's accept queue
    sim::MemoryFileSystem fs;
    sim::ServerConfig config;
    config.anonymous = true;
    boost::asio::io_context ioc;
    io::FtpServerOptions so;
    so.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
    so.max_sessions = so.max_per_ip = 100;
    io::FtpServer server(ioc, config, fs, so);
    std::string error;
    ASSERT_TRUE(server.start(error)) << error;

    bool busy = true;
    std::function<void()> spin = [&] {
        if (busy) boost::asio::post(ioc, spin);
    };
    for (int i = 0; i < kBusy; ++i) boost::asio::post(ioc, spin);

    std::vector<LoopbackSocket> clients;  // connected: the kernel completes the handshake
    for (int i = 0; i < kClients; ++i) clients.emplace_back(server.local_endpoint().port());

    // Three trips through the queue (and the handlers the new sessions add) are enough when
    // the waiting connections are taken together; one per trip would have about three.
    int handlers = 0;
    for (; handlers < 3 * (kBusy + 8) && server.sessions() < static_cast<std::size_t>(kClients); ++handlers)
        ioc.run_one_for(1s);
    EXPECT_EQ(server.sessions(), static_cast<std::size_t>(kClients)) << "after " << handlers << " handlers";

    busy = false;
    for (auto& c : clients) c.close();
    server.stop();
    ioc.restart();
    ioc.run_for(2s);
}

}  // namespace
}  // namespace ftpsim::asio_test
