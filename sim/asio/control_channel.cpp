#include "sim/asio/control_channel.hpp"

#include <vector>

namespace ftpsim::sim::asio_io {

namespace {
constexpr std::size_t kHighWater = 1 << 20;      // stop reading commands above this many reply bytes
constexpr std::size_t kLowWater = 64 * 1024;     // and read again below this
constexpr auto kCloseDrainLimit = std::chrono::seconds(10);  // a peer that does not read the last reply
}  // namespace

ControlChannel::ControlChannel(tcp::socket socket, std::weak_ptr<ControlEvents> events)
    : socket_(std::move(socket)), events_(std::move(events)), close_timer_(socket_.get_executor()) {
    boost::system::error_code ec;
    local_ = socket_.local_endpoint(ec);
    peer_ = socket_.remote_endpoint(ec);
    // Each write is a whole reply or command that the peer waits for: no Nagle delay (with the
    // peer's delayed ACK it would hold a reply back by up to 40-200 ms).
    socket_.set_option(tcp::no_delay(true), ec);
}

void ControlChannel::start() { read(); }

void ControlChannel::read() {
    if (reading_ || eof_ || released_ || close_pending_ || !socket_.is_open() || queued_ > kHighWater) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(buf_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                           std::size_t n) {
        self->reading_ = false;
        if (self->released_ || self->close_pending_) return;  // we are closing: nothing goes in
        if (ec == asio::error::eof) {
            // The peer may only have shut down its sending side: keep writing what is queued.
            self->eof_ = true;
            self->closed_reported_ = true;
            if (auto ev = self->events_.lock()) ev->control_closed();
            return;
        }
        if (ec == asio::error::operation_aborted) return;
        if (ec) return self->broken();
        if (auto ev = self->events_.lock()) ev->control_bytes(std::span(self->buf_.data(), n));
        self->read();
    });
}

void ControlChannel::send(std::string bytes) {
    if (close_pending_ || released_ || bytes.empty()) return;
    queued_ += bytes.size();
    out_.push_back(std::move(bytes));
    write_next();
}

void ControlChannel::write_next() {
    if (writing_ || released_) return;
    if (out_.empty()) {
        if (close_pending_) {
            close_timer_.cancel();
            boost::system::error_code ec;
            socket_.cancel(ec);  // our read: the lingering close reads on its own
            graceful_close(std::move(socket_));
            release();
        }
        return;
    }
    writing_ = true;
    // Everything queued goes in one write (writev): the replies of one drain leave together.
    std::vector<asio::const_buffer> bufs;
    for (const auto& b : out_) bufs.emplace_back(asio::buffer(b));
    asio::async_write(socket_, bufs, [self = shared_from_this(), n = out_.size()](const boost::system::error_code& ec,
                                                                               std::size_t) {
        self->writing_ = false;
        if (self->released_) return;
        if (ec) return self->broken();
        for (std::size_t i = 0; i < n; ++i) {
            self->queued_ -= self->out_.front().size();
            self->out_.pop_front();
        }
        if (self->queued_ < kLowWater) self->read();  // resumes a read held back by kHighWater
        self->write_next();
    });
}

void ControlChannel::close(bool reset) {
    if (released_) return;
    if (reset) {
        out_.clear();
        reset_close(socket_);
        return release();
    }
    close_pending_ = true;
    close_timer_.expires_after(kCloseDrainLimit);
    close_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->released_) return;
        self->out_.clear();
        reset_close(self->socket_);
        self->release();
    });
    write_next();
}

void ControlChannel::broken() {
    close_timer_.cancel();
    out_.clear();
    reset_close(socket_);
    if (!closed_reported_) {
        closed_reported_ = true;
        if (auto ev = events_.lock()) ev->control_closed();
    }
    release();
}

void ControlChannel::release() {
    if (released_) return;
    released_ = true;
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
        if (auto ev = self->events_.lock()) ev->control_released();
    });
}

void ControlChannel::abort() {
    close_timer_.cancel();
    out_.clear();
    reset_close(socket_);
    released_ = true;
}

}  // namespace ftpsim::sim::asio_io
