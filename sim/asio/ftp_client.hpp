// An FTP client on kernel sockets: connects to host:port and runs a ClientSession's operations,
// collecting one OpResult per operation. The connect is bounded by a timeout; every operation
// by the engine's reply timeout.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/asio/socket_util.hpp"
#include "sim/engine/client_session.hpp"

namespace ftpsim::sim::asio_io {

struct ClientTarget {
    std::string host;  // name or address (IPv6 without brackets)
    std::uint16_t port = 21;
};

struct ClientHooks {
    // The server's opening replies (120 ..., 220 or 421), once, before the first result.
    std::function<void(const std::vector<ftp::Reply>&)> on_greeting;
    std::function<void(const OpResult&)> on_result;  // as each operation ends
    // Every byte received on any data connection, in order (ops run one at a time, so the op in
    // progress is the one after the last result).
    std::function<void(std::span<const std::uint8_t>)> on_data;
    std::function<void(const std::string&)> log;
};

struct ClientOutcome {
    bool connected = false;
    bool finished = false;   // the engine ran to its end
    std::vector<ftp::Reply> greeting;
    std::string error;       // why not: resolve/connect failure, or the deadline
    std::vector<OpResult> results;
};

class FtpClient {
public:
    FtpClient(asio::io_context& io, ClientTarget target, ClientConfig config, std::vector<ClientOp> ops,
              ClientHooks hooks = {}, std::chrono::milliseconds connect_timeout = std::chrono::seconds(10));
    ~FtpClient();  // stop()
    FtpClient(const FtpClient&) = delete;
    FtpClient& operator=(const FtpClient&) = delete;

    void start();
    void stop();  // RST everything now
    bool done() const;
    const ClientOutcome& outcome() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// Runs a client on an io_context of its own until it is done or `deadline` has passed.
ClientOutcome run_ftp_client(ClientTarget target, ClientConfig config, std::vector<ClientOp> ops,
                             ClientHooks hooks = {},
                             std::chrono::milliseconds deadline = std::chrono::minutes(30));

}  // namespace ftpsim::sim::asio_io
