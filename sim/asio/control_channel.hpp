// The control connection of a session: reads delivered as they come, writes in order, close
// gracefully after what was queued (FIN, then a bounded wait for the peer's) or at once with RST.
// A peer that sends commands but never reads the replies is not read from either while too many
// reply bytes wait (the engine answers input, so this bounds what is queued).
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <span>
#include <string>

#include "sim/asio/socket_util.hpp"

namespace ftpsim::sim::asio_io {

class ControlEvents {
public:
    virtual ~ControlEvents() = default;
    virtual void control_bytes(std::span<const std::uint8_t> bytes) = 0;
    virtual void control_closed() = 0;    // the peer closed (EOF) or the connection broke
    virtual void control_released() = 0;  // our socket is closed: nothing more will come
};

class ControlChannel : public std::enable_shared_from_this<ControlChannel> {
public:
    ControlChannel(tcp::socket socket, std::weak_ptr<ControlEvents> events);
    void start();
    void send(std::string bytes);
    void close(bool reset);  // graceful: after the queued writes
    void abort();            // RST at once, report nothing more
    bool closing() const { return close_pending_ || released_; }
    bool released() const { return released_; }
    tcp::endpoint local() const { return local_; }
    tcp::endpoint peer() const { return peer_; }

private:
    void read();
    void write_next();
    void broken();
    void release();

    tcp::socket socket_;
    std::weak_ptr<ControlEvents> events_;
    tcp::endpoint local_, peer_;
    std::array<std::uint8_t, 16 * 1024> buf_{};
    asio::steady_timer close_timer_;  // a graceful close whose writes never drain ends in RST
    std::deque<std::string> out_;
    std::size_t queued_ = 0;  // bytes in out_
    bool reading_ = false;
    bool writing_ = false;
    bool eof_ = false;
    bool closed_reported_ = false;
    bool close_pending_ = false;
    bool released_ = false;
};

}  // namespace ftpsim::sim::asio_io
