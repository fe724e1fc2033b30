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

namespace ftpsim::sim {

enum class DataMode {
    kPassive,          // PASV (RFC 959)
    kExtendedPassive,  // EPSV (RFC 2428)
    kEpsvThenPasv,     // EPSV, and PASV if the server refuses it (what curl and lftp do)
    kActive,           // PORT
    kExtendedActive,   // EPRT
};

struct ClientOp {
    enum class Kind {
        kLogin, kPwd, kCwd, kCdup, kType, kSyst, kList, kNlst, kMlsd, kRetr, kStor, kAppe,
        kStou, kSize, kMdtm, kDele, kMkd, kRmd, kRename, kFeat, kNoop, kAbort, kQuit, kRaw,
    };
    Kind kind = Kind::kNoop;
    std::string arg;   // path, TYPE argument, raw command line, rename source ...
    std::string arg2;  // rename target
    // kLogin: arg and arg2, when not empty, replace the configured user and password (a failed
    // and a good login in one session). kType: an empty arg sends "TYPE I". kRaw: arg is the
    // whole line; CRLF is added unless it already ends with LF.
    std::shared_ptr<const std::string> upload;  // STOR/APPE/STOU content
    std::uint64_t rest = 0;                     // RETR: REST offset first (RFC 3659 §5)
    std::optional<DataMode> mode;               // overrides the session's mode for this op
    std::uint16_t active_port = 0;              // PORT/EPRT from this local port (0: the session's)
    // Stall: after `stall_after` bytes of the transfer, stop reading for `stall_for`
    // (a receiver that stops reading shows a TCP ZeroWindow).
    std::uint64_t stall_after = 0;
    Nanos stall_for = 0;
    // SO_RCVBUF of this op's data connection (0: the system's). A small buffer fills quickly
    // while the client stalls, so the sender sees a zero window soon (RFC 9293 §3.8.6.1).
    std::uint32_t receive_buffer = 0;
    std::uint64_t abort_after = 0;  // kAbort semantics for a transfer: ABOR after this many bytes
    // kLogin: USER and PASS in one write, without waiting for the 331 (lftp with sync-mode off,
    // RFC 959 §4.1's commands being sent ahead of replies): two commands in one segment.
    bool pipelined = false;
};

struct ClientConfig {
    std::string user = "anonymous";
    std::string password = "ftpsim@example.com";
    DataMode mode = DataMode::kPassive;
    // Active mode: the first local data port (0: any); each transfer uses the next port, as
    // classic clients do, unless an op fixes one.
    std::uint16_t active_first_port = 0;
    Nanos reply_timeout = 30 * kSecond;  // no reply by then: the op fails and the session ends
    // Sent with ACCT when the server answers USER or PASS with 332 (RFC 959 §4.1.1); empty:
    // such a login fails.
    std::string account;
    // SHA-256 of every transfer's bytes in OpResult::sha256. A traffic generator that never
    // looks at it can skip the cost (a sixth of a virtual-network session's time).
    bool hash_transfers = true;
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
