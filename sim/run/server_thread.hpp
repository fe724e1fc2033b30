// Our FTP server on its own thread inside a network namespace. setns() moves only the calling
// thread, and a socket belongs to the namespace of the thread that created it, so the thread
// enters the namespace first and then creates the io_context's sockets itself: the listener in
// start(), and every data socket (active mode connects from port 20) in handlers that run only
// on this thread.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "net/endpoint.hpp"
#include "sim/asio/ftp_server.hpp"
#include "sim/engine/file_system.hpp"
#include "sim/engine/server_config.hpp"

namespace ftpsim::sim::run {

class ServerThread {
public:
    // Starts the thread and waits until the server listens. Throws std::runtime_error with the
    // reason when the namespace cannot be entered or the endpoint cannot be bound.
    ServerThread(std::string netns, ServerConfig config, std::unique_ptr<FileSystem> fs, net::Endpoint listen);
    // stop(), then joins.
    ~ServerThread();
    ServerThread(const ServerThread&) = delete;
    ServerThread& operator=(const ServerThread&) = delete;

    // Waits (at most `limit`) until no session is left: after the client's QUIT the server still
    // sends its FIN, which the capture should show. Returns false when sessions remained.
    bool wait_idle(std::chrono::milliseconds limit);
    // Closes the listener and every session, lets the io_context finish (bounded), joins.
    // Idempotent. The server's log is complete afterwards.
    void stop();
    std::string log() const { return log_.str(); }

private:
    void main(std::promise<std::string>& started);

    std::string netns_;
    ServerConfig config_;
    std::unique_ptr<FileSystem> fs_;
    net::Endpoint listen_;
    std::ostringstream log_;  // written by the server thread only; read after join
    asio_io::asio::io_context io_;
    std::optional<asio_io::asio::executor_work_guard<asio_io::asio::io_context::executor_type>> work_;
    std::optional<asio_io::FtpServer> server_;
    std::promise<void> finished_;
    std::thread thread_;
    bool stopped_ = false;
};

}  // namespace ftpsim::sim::run
