// The FTP server's protocol engine for one control connection (RFC 959, 2428, 3659, 2389),
// I/O-free: see actions.hpp. The Boost.Asio driver and the virtual network both run it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sim/engine/actions.hpp"
#include "sim/engine/file_system.hpp"
#include "sim/engine/server_config.hpp"

namespace ftpsim::sim {

class ServerSession : public SessionEngine {
public:
    // `config` and `fs` outlive the session; several sessions may share them.
    ServerSession(const ServerConfig& config, FileSystem& fs);
    ~ServerSession() override;

    // Used instead of the greeting when the server is at its session limit (in all, or for the
    // peer's address): 421, then close (RFC 959 §5.4 lists 421 for the connection opening).
    void refuse_capacity(const std::string& why, Nanos now);

    void on_control_connected(const net::Endpoint& local, const net::Endpoint& peer, Nanos now) override;
    void on_control_bytes(std::span<const std::uint8_t> bytes, Nanos now) override;
    void on_control_closed(Nanos now) override;
    void on_data_listening(ChannelId id, std::uint16_t port, Nanos now) override;
    void on_data_connected(ChannelId id, const net::Endpoint& local, const net::Endpoint& peer,
                           Nanos now) override;
    void on_data_bytes(ChannelId id, std::span<const std::uint8_t> bytes, Nanos now) override;
    void on_data_sent(ChannelId id, Nanos now) override;
    void on_data_closed(ChannelId id, Nanos now) override;
    void on_data_failed(ChannelId id, const std::string& why, Nanos now) override;
    void handle_timeout(Nanos now) override;
    std::optional<Nanos> poll_timeout() const override;
    std::optional<Action> poll_action() override;
    bool finished() const override;

    // One line per noteworthy thing ("login anonymous", "RETR /a.txt 3405 bytes", "refused
    // PORT to 10.0.0.9: not the control peer") for `ftpsim serve` to log.
    std::optional<std::string> poll_log();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ftpsim::sim
