// The FTP client's protocol engine: runs a list of operations against a server over one control
// connection, I/O-free (see actions.hpp). Results come out one per operation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ftp/reply.hpp"
#include "sim/engine/actions.hpp"
#include "sim/engine/client_op.hpp"
#include "sim/engine/think_time.hpp"

namespace ftpsim::sim {

struct ClientConfig {
    std::string user = "anonymous";
    std::string password = "ftpsim@example.com";
    DataMode mode = DataMode::kPassive;
    // Active mode: the first local data port (0: any); each transfer uses the next port, as
    // classic clients do, unless an op fixes one.
    std::uint16_t active_first_port = 0;
    // The control connection's local (source) port, which the driver binds before connecting
    // (a capture's client port: FileZilla's 2203 in one, ftp(1)'s 47050 in another); 0: any,
    // the system's choice.
    std::uint16_t control_port = 0;
    Nanos reply_timeout = 30 * kSecond;  // no reply by then: the op fails and the session ends
    // Sent with ACCT when the server answers USER or PASS with 332 (RFC 959 §4.1.1); empty:
    // such a login fails.
    std::string account;
    // SHA-256 of every transfer's bytes in OpResult::sha256. A traffic generator that never
    // looks at it can skip the cost (a sixth of a virtual-network session's time).
    bool hash_transfers = true;
    // Before each op the client waits a time drawn from `think` with `think_seed` (a person
    // reading the last reply and typing, a GUI client's pause), unless the op gives its own
    // `gap`. Zero (the default): the next command goes out as soon as the last reply is read.
    ThinkTime think;
    std::uint64_t think_seed = 0;
};

struct OpResult {
    ClientOp op;
    std::vector<ftp::Reply> replies;  // every reply the op got, in order
    bool ok = false;                  // the op's final reply was 2xx (3xx for a kRaw that wants it)
    std::string error;                // why not, in words
    std::uint64_t bytes = 0;          // transfers: bytes moved on the data connection
    std::string sha256;               // transfers: of those bytes
    std::string listing;              // LIST/NLST/MLSD: the text received (bounded, 1 MiB)
    // Every command line the op sent, without its CRLF (PASS and ACCT unmasked; ABOR without
    // its Telnet IAC IP / IAC DM prefix).
    std::vector<std::string> commands;
    bool aborted = false;             // ABOR was sent during this transfer (abort_after)
};

class ClientSession : public SessionEngine {
public:
    ClientSession(ClientConfig config, std::vector<ClientOp> ops);
    ~ClientSession() override;

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

    std::optional<OpResult> poll_result();
    // The server's opening replies (120 ... then 220, or 421), which belong to no op.
    const std::vector<ftp::Reply>& greeting() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace ftpsim::sim
