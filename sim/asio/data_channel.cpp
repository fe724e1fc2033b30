#include "sim/asio/data_channel.hpp"

#include <atomic>
#include <chrono>

#include "sim/asio/file_sender.hpp"

namespace ftpsim::sim::asio_io {

namespace {

// Where the next passive port search starts: rotating, so that consecutive PASV commands do not
// all fight over the first port of the range (and its connections still in TIME_WAIT).
std::atomic<std::uint32_t> g_port_cursor{0};

constexpr auto kConnectTimeout = std::chrono::seconds(60);
// A graceful close waits for the queued sends; a peer that stopped reading gets RST after this.
constexpr auto kCloseDrainLimit = std::chrono::seconds(30);

}  // namespace

DataChannel::DataChannel(asio::any_io_executor ex, ChannelId id, std::weak_ptr<DataEvents> events, Log log)
    : ex_(ex), id_(id), events_(std::move(events)), log_(std::move(log)), socket_(ex), timer_(ex) {}

template <class F>
void DataChannel::report(F&& f) {
    // Posted, so that no engine input ever happens inside the engine's own drain of actions.
    asio::post(ex_, [self = shared_from_this(), f = std::forward<F>(f)]() mutable {
        if (self->detached_) return;
        if (auto ev = self->events_.lock()) f(*ev);
    });
}

void DataChannel::listen(const asio::ip::address& local, std::uint16_t lo, std::uint16_t hi) {
    if (lo != 0 && hi == 0) hi = lo;
    if (lo > hi) return fail("bad passive port range " + std::to_string(lo) + "-" + std::to_string(hi));
    try_bind_listen(local, lo, hi);
}

void DataChannel::try_bind_listen(const asio::ip::address& local, std::uint16_t lo, std::uint16_t hi) {
    const std::uint32_t range = static_cast<std::uint32_t>(hi - lo) + 1;
    const std::uint32_t start = lo == 0 ? 0 : g_port_cursor.fetch_add(1) % range;
    boost::system::error_code ec;
    std::uint16_t port = 0;
    // Bounded by the size of the range: every port is tried once at most.
    for (std::uint32_t i = 0; i < range; ++i) {
        port = static_cast<std::uint16_t>(lo == 0 ? 0 : lo + (start + i) % range);
        tcp::acceptor a(ex_);
        a.open(local.is_v6() ? tcp::v6() : tcp::v4(), ec);
        if (ec) break;
        a.set_option(tcp::acceptor::reuse_address(true), ec);
        if (receive_buffer_ != 0)
            a.set_option(asio::socket_base::receive_buffer_size(static_cast<int>(receive_buffer_)), ec);
        a.bind({local, port}, ec);
        if (!ec) a.listen(4, ec);
        if (!ec) {
            acceptor_.emplace(std::move(a));
            std::uint16_t bound = acceptor_->local_endpoint(ec).port();
            report([id = id_, bound](DataEvents& e) { e.data_listening(id, bound); });
            return accept_next();
        }
        if (ec == asio::error::access_denied) break;  // every other port of the range will fail too
    }
    std::string where = lo == 0 ? std::string("any port")
                                : "ports " + std::to_string(lo) + "-" + std::to_string(hi);
    fail("cannot listen for a data connection on " + local.to_string() + " " + where + ": " +
         (ec ? ec.message() : std::string("no free port")));
}

void DataChannel::accept_next() {
    if (!acceptor_ || !acceptor_->is_open()) return;
    acceptor_->async_accept([self = shared_from_this()](const boost::system::error_code& ec, tcp::socket s) {
        if (self->detached_ || !self->acceptor_ || !self->acceptor_->is_open()) {
            reset_close(s);
            return self->release_if_idle();
        }
        if (ec) return self->fail("accepting the data connection: " + ec.message());
        boost::system::error_code e1, e2;
        tcp::endpoint local = s.local_endpoint(e1), peer = s.remote_endpoint(e2);
        if (e1 || e2) {  // reset before we looked: wait for the next peer
            reset_close(s);
            return self->accept_next();
        }
        self->socket_ = std::move(s);
        self->connected_ = true;
        self->eof_ = false;
        self->fresh_peer_ = true;  // settle() decides, after the engine has seen it
        self->start_read();
        if (auto ev = self->events_.lock()) ev->data_connected(self->id_, local, peer);
        self->send_next();
    });
}

void DataChannel::connect(const asio::ip::address& local, std::uint16_t local_port, const tcp::endpoint& remote) {
    boost::system::error_code ec;
    socket_.open(remote.protocol(), ec);
    if (ec) return fail("cannot open a socket: " + ec.message());
    // SO_REUSEADDR: active mode reuses its source port (20) for every transfer, while the
    // previous connections from it are still in TIME_WAIT.
    socket_.set_option(tcp::socket::reuse_address(true), ec);
    if (receive_buffer_ != 0)
        socket_.set_option(asio::socket_base::receive_buffer_size(static_cast<int>(receive_buffer_)), ec);
    asio::ip::address from = local;
    if (from.is_v6() != remote.address().is_v6())
        from = remote.address().is_v6() ? asio::ip::address(asio::ip::address_v6::any())
                                        : asio::ip::address(asio::ip::address_v4::any());
    socket_.bind({from, local_port}, ec);
    if (ec) {
        std::string why = bind_error_text(local_port, ec);
        if (log_) log_(why);
        reset_close(socket_);
        return fail(why);
    }
    timer_.expires_after(kConnectTimeout);
    timer_.async_wait([self = shared_from_this(), remote](const boost::system::error_code& e) {
        if (e || self->connected_) return;
        reset_close(self->socket_);
        self->fail("connecting to " + remote.address().to_string() + ":" + std::to_string(remote.port()) +
                   " timed out");
    });
    socket_.async_connect(remote, [self = shared_from_this(), remote](const boost::system::error_code& e) {
        self->timer_.cancel();
        if (self->detached_) return self->release_if_idle();
        if (e) {
            reset_close(self->socket_);
            return self->fail("cannot connect to " + remote.address().to_string() + ":" +
                              std::to_string(remote.port()) + ": " + e.message());
        }
        boost::system::error_code e1, e2;
        tcp::endpoint l = self->socket_.local_endpoint(e1), p = self->socket_.remote_endpoint(e2);
        if (e1 || e2) return self->fail("the data connection was reset at once");
        self->connected_ = true;
        self->start_read();
        if (auto ev = self->events_.lock()) ev->data_connected(self->id_, l, p);
        self->send_next();
    });
}

void DataChannel::send(ByteSource source) {
    if (detached_ || failed_) return;
    sends_.push_back(std::move(source));
    send_next();
}

void DataChannel::send_next() {
    if (sending_ || !connected_ || failed_) return;
    if (sends_.empty()) {
        if (close_pending_) shutdown_when_drained();
        return;
    }
    sending_ = true;
    const ByteSource& front = sends_.front();
    if (const auto* m = std::get_if<MemorySlice>(&front)) {
        if (!m->buffer || m->offset > m->buffer->size() || m->length > m->buffer->size() - m->offset)
            return on_sent("the engine sent a slice outside its buffer");
        // No copy: the buffer is immutable and kept alive by the handler until written.
        asio::async_write(socket_, asio::buffer(m->buffer->data() + m->offset, m->length),
                          [self = shared_from_this(), keep = m->buffer](const boost::system::error_code& ec,
                                                                        std::size_t) {
                              self->on_sent(ec ? "sending on the data connection: " + ec.message() : "");
                          });
    } else {
        send_file_slice(socket_, std::get<FileSlice>(front), [self = shared_from_this()](const std::string& err) {
            asio::post(self->ex_, [self, err] { self->on_sent(err); });
        });
    }
}

void DataChannel::on_sent(const std::string& error) {
    sending_ = false;
    if (!error.empty()) {
        sends_.clear();
        if (detached_) {
            reset_close(socket_);
            return release_if_idle();
        }
        reset_close(socket_);
        return fail(error);
    }
    if (!sends_.empty()) sends_.pop_front();
    if (!detached_)
        if (auto ev = events_.lock()) ev->data_sent(id_);
    send_next();
    if (detached_) release_if_idle();  // a send that completed just before a reset
}

void DataChannel::start_read() {
    if (reading_ || eof_ || failed_ || detached_ || !socket_.is_open()) return;
    if (paused_until_ > now_nanos()) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(buf_), [self = shared_from_this(), gen = peer_gen_](
                                                    const boost::system::error_code& ec, std::size_t n) {
        if (gen != self->peer_gen_) return;  // the read of a refused peer
        self->reading_ = false;
        if (self->detached_) return self->release_if_idle();
        if (ec == asio::error::eof) {
            self->eof_ = true;
            if (auto ev = self->events_.lock()) ev->data_closed(self->id_);
            return;
        }
        if (ec == asio::error::operation_aborted) return;
        if (ec) {
            reset_close(self->socket_);
            return self->fail("data connection: " + ec.message());
        }
        // Delivered at once: the buffer is reused by the next read.
        if (auto ev = self->events_.lock()) ev->data_bytes(self->id_, std::span(self->buf_.data(), n));
        self->start_read();
    });
}

void DataChannel::pause_until(Nanos until) {
    if (detached_) return;
    paused_until_ = until;
    timer_.expires_at(to_time_point(until));
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
        if (e) return;
        self->paused_until_ = 0;
        self->start_read();
    });
}

void DataChannel::close(bool reset, bool keep_listening) {
    if (detached_) return;
    if (keep_listening && acceptor_ && acceptor_->is_open()) {
        // The engine refused this peer (say, not the control connection's host): drop it and
        // keep listening for the right one.
        reset_close(socket_);
        ++peer_gen_;
        connected_ = fresh_peer_ = reading_ = false;
        eof_ = false;
        sends_.clear();
        return accept_next();
    }
    detached_ = true;
    fresh_peer_ = false;
    boost::system::error_code ec;
    if (acceptor_) acceptor_->close(ec);
    timer_.cancel();
    if (reset || !connected_) {
        sends_.clear();
        reset_close(socket_);
        return release_if_idle();
    }
    close_pending_ = true;
    timer_.expires_after(kCloseDrainLimit);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
        if (e || !self->close_pending_) return;
        self->sends_.clear();
        reset_close(self->socket_);  // the pending send fails and on_sent releases the channel
        self->close_pending_ = false;
        self->release_if_idle();
    });
    send_next();
}

void DataChannel::shutdown_when_drained() {
    if (sending_ || !sends_.empty()) return;
    close_pending_ = false;
    timer_.cancel();
    boost::system::error_code ec;
    socket_.cancel(ec);  // our read; the lingering close reads on its own
    graceful_close(std::move(socket_));
    release_if_idle();
}

void DataChannel::settle() {
    if (!fresh_peer_) return;
    fresh_peer_ = false;
    boost::system::error_code ec;
    if (connected_ && acceptor_) acceptor_->close(ec);  // kept: no second connection on this port
}

void DataChannel::fail(const std::string& why) {
    if (failed_ || detached_) return;
    failed_ = true;
    report([id = id_, why](DataEvents& e) { e.data_failed(id, why); });
}

void DataChannel::release_if_idle() {
    if (released_ || !detached_ || sending_ || socket_.is_open() || (acceptor_ && acceptor_->is_open())) return;
    released_ = true;
    asio::post(ex_, [self = shared_from_this()] {
        if (auto ev = self->events_.lock()) ev->data_released(self->id_);
    });
}

void DataChannel::abort() {
    detached_ = true;
    released_ = true;
    sends_.clear();
    boost::system::error_code ec;
    if (acceptor_) acceptor_->close(ec);
    timer_.cancel();
    reset_close(socket_);
}

}  // namespace ftpsim::sim::asio_io
