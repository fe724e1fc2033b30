// The contract between an I/O-free FTP session engine and the driver that runs it (Boost.Asio
// on kernel sockets, or the virtual network). Engines consume bytes, connection events and the
// time, and produce Actions; they never touch a socket or read a clock (sans-IO, like
// quinn-proto's Connection: handle_timeout(now), poll_timeout(), poll_transmit()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "net/endpoint.hpp"

namespace ftpsim::sim {

// Monotonic time in nanoseconds, supplied by the driver (a real or a virtual clock).
using Nanos = std::int64_t;
constexpr Nanos kMillisecond = 1'000'000;
constexpr Nanos kSecond = 1'000'000'000;

// A data connection of one session. Ids are assigned by the engine, never reused in a session.
using ChannelId = std::uint32_t;

class UploadSink;      // file_system.hpp
enum class FsError;    // file_system.hpp

// Bytes an engine wants sent on a data connection, without copying them through the engine:
// a slice of an immutable in-memory buffer, or a slice of a real file that the driver may hand
// to sendfile(2).
struct MemorySlice {
    std::shared_ptr<const std::string> buffer;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};
struct FileSlice {
    std::string path;  // absolute, already confined by the file system that produced it
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};
using ByteSource = std::variant<MemorySlice, FileSlice>;
std::uint64_t source_length(const ByteSource& s);

// ---- Actions (engine -> driver) ----

// What one line of a SendControl is, as the engine that wrote it meant it: the ground truth that
// a dissector's reading of the capture is checked against (docs/ground-truth.md). Drivers that
// record no truth ignore it.
struct ControlMessage {
    enum class Kind : std::uint8_t { kCommand, kReply };
    Kind kind = Kind::kCommand;
    std::size_t end = 0;  // offset in SendControl::bytes just past the line end
    // A command: the verb and argument as the client wrote them; `telnet`: Telnet commands
    // (IAC ...) came before the verb (RFC 959 §4.1.3's ABOR, RFC 854).
    std::string verb, arg;
    bool telnet = false;
    // A reply line: its code, its text after the code and separator, whether it is the last line
    // of its reply, and the server's count (1-based, in arrival order) of the command line it
    // answers (0: none, such as the greeting or a timeout's 421).
    int code = 0;
    std::string text;
    bool last = true;
    std::uint32_t answers = 0;
    // PORT/EPRT and the last line of a 227/229: the endpoint announced (for 229 the address is
    // the control connection's).
    std::optional<net::Endpoint> endpoint;
    // Commands of a transfer (PASV ... RETR): the client's data channel for it (0: none).
    ChannelId channel = 0;
};

struct SendControl {  // write these bytes on the control connection, in order
    std::string bytes;
    std::vector<ControlMessage> messages;  // one per line, in order (may be empty)
};
struct CloseControl {  // close the control connection after what was queued is written
    bool reset = false;  // true: abort with RST (SO_LINGER 0) at once
};
// Passive mode: listen for one data connection on the control connection's local address, on
// a free port in [port_min, port_max]. The driver answers on_data_listening or on_data_failed,
// then on_data_connected when a peer connects (the engine decides whether to keep it).
struct ListenData {
    ChannelId id = 0;
    std::uint16_t port_min = 0;
    std::uint16_t port_max = 0;
    bool ipv6 = false;
    std::uint32_t receive_buffer = 0;  // SO_RCVBUF for the data connection (0: the system's)
};
// Active mode: connect to `remote` from `local_port` (0: any). The driver answers
// on_data_connected or on_data_failed.
struct ConnectData {
    ChannelId id = 0;
    net::Endpoint remote;
    std::uint16_t local_port = 0;
    std::uint32_t receive_buffer = 0;  // SO_RCVBUF for the data connection (0: the system's)
};
// Send bytes on a data connection. The driver answers on_data_sent once all of them are written,
// so an engine keeps at most one SendData outstanding per channel (that is its flow control).
struct SendData {
    ChannelId id = 0;
    ByteSource source;
};
// Close a data connection (after queued bytes are written), or abort it with RST.
struct CloseData {
    ChannelId id = 0;
    bool reset = false;
    // Passive mode only: the connection just reported by on_data_connected on this channel is
    // refused (a peer other than the control peer, as vsftpd's pasv_promiscuous=NO refuses it):
    // reset that connection and keep the channel's listener open for the real peer. A driver
    // may close a passive listener once it has reported a connection that was not refused this
    // way in the actions drained right after on_data_connected.
    bool keep_listening = false;
};
// Stop reading a data connection until `until` (the receive buffer fills, the peer sees a zero
// window), then resume. Used by clients that stall on purpose.
struct PauseReading {
    ChannelId id = 0;
    Nanos until = 0;
};

// Put an upload in place: sink->commit(), for a sink whose commit_blocks() (fsync and rename on
// a real disk: tens of milliseconds, seconds on a busy one). A driver that runs many sessions on
// one thread runs it on another, so that one upload's commit does not stop every other session;
// either way it answers on_upload_committed(id, result) afterwards, never from within the drain.
// Sinks that do not block are committed by the engine itself and never come here.
struct CommitUpload {
    ChannelId id = 0;  // the upload's data channel
    std::shared_ptr<UploadSink> sink;
};

using Action = std::variant<SendControl, CloseControl, ListenData, ConnectData, SendData,
                            CloseData, PauseReading, CommitUpload>;

// ---- Inputs (driver -> engine): every engine implements these. ----
class SessionEngine {
public:
    virtual ~SessionEngine() = default;

    // The control connection is up (server: accepted; client: connected).
    virtual void on_control_connected(const net::Endpoint& local, const net::Endpoint& peer,
                                      Nanos now) = 0;
    virtual void on_control_bytes(std::span<const std::uint8_t> bytes, Nanos now) = 0;
    virtual void on_control_closed(Nanos now) = 0;  // the peer closed or reset it

    virtual void on_data_listening(ChannelId id, std::uint16_t port, Nanos now) = 0;
    virtual void on_data_connected(ChannelId id, const net::Endpoint& local,
                                   const net::Endpoint& peer, Nanos now) = 0;
    virtual void on_data_bytes(ChannelId id, std::span<const std::uint8_t> bytes, Nanos now) = 0;
    virtual void on_data_sent(ChannelId id, Nanos now) = 0;
    virtual void on_data_closed(ChannelId id, Nanos now) = 0;  // the peer closed (EOF)
    virtual void on_data_failed(ChannelId id, const std::string& why, Nanos now) = 0;
    // The result of a CommitUpload (FsError::kNone: in place). Engines that never emit one
    // ignore it.
    virtual void on_upload_committed(ChannelId /*id*/, FsError /*result*/, Nanos /*now*/) {}

    virtual void handle_timeout(Nanos now) = 0;
    // When handle_timeout must next be called; nullopt when nothing is pending.
    virtual std::optional<Nanos> poll_timeout() const = 0;
    // The next action to perform, in order; nullopt when there is none for now.
    virtual std::optional<Action> poll_action() = 0;
    // The session is over: the driver may drop it once the control connection is closed.
    virtual bool finished() const = 0;
};

}  // namespace ftpsim::sim
