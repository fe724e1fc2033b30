// An FTP server on kernel sockets: accepts control connections on one endpoint (IPv4 or IPv6)
// and runs a ServerSession for each, all sharing one configuration and one file system.
// Session limits in all and per peer address are enforced with 421 (refuse_capacity). Uploads
// to a real disk are put in place (fsync, rename) on a small pool of threads, so that no
// session waits for another one's disk.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>

#include "sim/asio/socket_util.hpp"
#include "sim/engine/file_system.hpp"
#include "sim/engine/server_config.hpp"

namespace ftpsim::sim::asio_io {

struct FtpServerOptions {
    tcp::endpoint listen;
    std::size_t max_sessions = 50;
    std::size_t max_per_ip = 10;
    std::ostream* log = nullptr;  // one line per event, "[s12] ..." (nullptr: silent)
};

class FtpServer {
public:
    // `config` and `fs` must outlive the server and every io_context handler it left behind.
    FtpServer(asio::io_context& io, const ServerConfig& config, FileSystem& fs, FtpServerOptions options);
    // stop(), then waits for the uploads being put in place: destroy the server before its
    // io_context (their results are posted to it).
    ~FtpServer();
    FtpServer(const FtpServer&) = delete;
    FtpServer& operator=(const FtpServer&) = delete;

    // Binds and listens. On failure returns false and says why in `error` (EACCES on a port
    // below 1024 names the privilege needed).
    bool start(std::string& error);
    tcp::endpoint local_endpoint() const;  // the real port when listening on port 0
    // Closes the listener and resets every session; the io_context then runs out of work.
    void stop();
    std::size_t sessions() const;  // sessions in progress (refused ones included)

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace ftpsim::sim::asio_io
