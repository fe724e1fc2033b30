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

// What a driver needs to know beyond actions.hpp:
//  * Passive mode: ListenData comes when PASV/EPSV is read; the 227/229 goes out only after
//    on_data_listening (later commands wait), on_data_failed instead gives 425 (FileZilla: 421).
//    Each on_data_connected from a host other than the control peer is answered with
//    CloseData{id, reset, keep_listening}: reset that connection, keep listening; a connection
//    not refused so is the channel's, and the listener may be closed. The listener is closed
//    by CloseData{id} (new PASV/PORT, transfer end, session end).
//  * Active mode: ConnectData{id, PORT address, active_source_port} after the transfer command;
//    150 follows on_data_connected, 425 follows on_data_failed or data_connect_timeout.
//  * Downloads: one SendData at a time per channel, the next after on_data_sent; then
//    CloseData (reset=false) and the 226, in that order. Uploads end with on_data_closed;
//    the file changes only then (UploadSink::commit), before the 226: ABOR, on_data_failed,
//    timeouts and write errors leave it as it was (426/425/452/552/451). A sink whose commit
//    blocks (a real disk) goes to the driver as CommitUpload; the 226 (or 451/452/552) follows
//    on_upload_committed, and commands wait until then.
//    After on_data_failed the engine sends no CloseData for that channel.
//  * ABOR is honoured during a transfer (with or without Telnet IP/DM; read the control socket
//    with SO_OOBINLINE as vsftpd does, though a lost DM is tolerated): CloseData{reset}, 426, 226.
//  * Timers: call handle_timeout at poll_timeout() (idle 421, data connection 425, delay faults).
class ServerSession : public SessionEngine {
public:
    // `config` and `fs` outlive the session; several sessions may share them.
    ServerSession(const ServerConfig& config, FileSystem& fs);
    ~ServerSession() override;

    // Used instead of the greeting when the server is at its session limit (in all, or for the
    // peer's address): 421, then close (RFC 959 §5.4 lists 421 for the connection opening).
    void refuse_capacity(const std::string& why, Nanos now);
    // The same, saying which limit was hit: vsftpd words the two differently ("There are too
    // many connected users, please try later." / "There are too many connections from your
    // internet address."). The overload above is kTotal. Call either instead of
    // on_control_connected; `why` goes to the log.
    enum class CapacityLimit { kTotal, kPerAddress };
    void refuse_capacity(CapacityLimit limit, const std::string& why, Nanos now);

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
    void on_upload_committed(ChannelId id, FsError result, Nanos now) override;
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
