// One data connection of a session, by ChannelId: passive (listen, accept) or active (bind,
// connect), sends in order (memory slices by async_write, file slices by sendfile), reads until
// EOF, pauses reading on request, and closes gracefully or with RST. Reports to the runner
// through DataEvents, always from a completion handler, never from inside one of its own calls.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "sim/asio/socket_util.hpp"

namespace ftpsim::sim::asio_io {

class DataEvents {
public:
    virtual ~DataEvents() = default;
    virtual void data_listening(ChannelId id, std::uint16_t port) = 0;
    virtual void data_connected(ChannelId id, const tcp::endpoint& local, const tcp::endpoint& peer) = 0;
    virtual void data_bytes(ChannelId id, std::span<const std::uint8_t> bytes) = 0;
    virtual void data_sent(ChannelId id) = 0;
    virtual void data_closed(ChannelId id) = 0;  // EOF from the peer
    virtual void data_failed(ChannelId id, const std::string& why) = 0;
    virtual void data_released(ChannelId id) = 0;  // nothing of the channel is left open
};

class DataChannel : public std::enable_shared_from_this<DataChannel> {
public:
    using Log = std::function<void(const std::string&)>;
    DataChannel(asio::any_io_executor ex, ChannelId id, std::weak_ptr<DataEvents> events, Log log);

    // Passive: listen on `local` at a free port of [port_min, port_max] (0, 0: any). Keeps
    // accepting while the engine refuses peers (see settle()).
    void listen(const asio::ip::address& local, std::uint16_t port_min, std::uint16_t port_max);
    // Active: connect to `remote` from `local`:`local_port` (0: any port).
    void connect(const asio::ip::address& local, std::uint16_t local_port, const tcp::endpoint& remote);
    // SO_RCVBUF for the connection (0: the system's); call before listen or connect. Set on
    // the listening socket, it is inherited by the accepted one and shapes the window scale
    // announced in the SYN.
    void set_receive_buffer(std::uint32_t bytes) { receive_buffer_ = bytes; }
    void send(ByteSource source);
    // The engine closes the channel: graceful after queued sends, or at once with RST. With
    // `keep_listening` (passive only) it refuses the peer just reported: that connection is
    // reset and the listener waits for another.
    void close(bool reset, bool keep_listening = false);
    void pause_until(Nanos until);
    // Called after every drain of the engine's actions: a freshly accepted peer that the engine
    // did not refuse (keep_listening) ends the accepting (one data connection per PASV/EPSV).
    void settle();
    // The session is over: reset everything, report nothing more.
    void abort();

private:
    void try_bind_listen(const asio::ip::address& local, std::uint16_t lo, std::uint16_t hi);
    void accept_next();
    void start_read();
    void send_next();
    void on_sent(const std::string& error);
    void shutdown_when_drained();
    void fail(const std::string& why);
    void release_if_idle();
    template <class F> void report(F&& f);  // posts f(events) unless detached

    asio::any_io_executor ex_;
    ChannelId id_;
    std::weak_ptr<DataEvents> events_;
    Log log_;
    std::optional<tcp::acceptor> acceptor_;
    tcp::socket socket_;
    asio::steady_timer timer_;  // connect timeout, or the end of a pause
    std::array<std::uint8_t, 64 * 1024> buf_{};
    std::deque<ByteSource> sends_;
    bool connected_ = false;
    std::uint32_t receive_buffer_ = 0;
    bool fresh_peer_ = false;   // accepted, not yet settled by a drain
    bool reading_ = false;
    bool sending_ = false;
    bool eof_ = false;
    bool failed_ = false;
    bool close_pending_ = false;  // graceful close requested, waiting for sends
    bool detached_ = false;       // the engine is done with this id: report nothing more
    bool released_ = false;
    Nanos paused_until_ = 0;
    std::uint32_t peer_gen_ = 0;  // which accepted peer a pending read belongs to
};

}  // namespace ftpsim::sim::asio_io
