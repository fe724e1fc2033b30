#include "sim/asio/socket_util.hpp"

#include <array>
#include <memory>

namespace ftpsim::sim::asio_io {

net::Endpoint to_net(const tcp::endpoint& ep) {
    net::Endpoint out;
    out.port = ep.port();
    asio::ip::address a = ep.address();
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
    if (a.is_v4()) {
        auto b = a.to_v4().to_bytes();
        out.addr = net::IpAddress::from_v4_bytes(b.data());
    } else {
        auto b = a.to_v6().to_bytes();
        out.addr = net::IpAddress::from_v6_bytes(b.data());
    }
    return out;
}

asio::ip::address to_asio(const net::IpAddress& a) {
    if (!a.v6) {
        asio::ip::address_v4::bytes_type b;
        std::copy_n(a.bytes.begin(), 4, b.begin());
        return asio::ip::address_v4(b);
    }
    asio::ip::address_v6::bytes_type b;
    std::copy_n(a.bytes.begin(), 16, b.begin());
    return asio::ip::address_v6(b);
}

tcp::endpoint to_asio(const net::Endpoint& ep) { return {to_asio(ep.addr), ep.port}; }

void reset_close(tcp::socket& s) {
    if (!s.is_open()) return;
    boost::system::error_code ec;
    s.set_option(asio::socket_base::linger(true, 0), ec);
    s.close(ec);
}

namespace {

// Owns a socket between shutdown(send) and close; kept alive by its own pending handlers.
struct LingeringClose : std::enable_shared_from_this<LingeringClose> {
    tcp::socket socket;
    asio::steady_timer timer;
    std::array<char, 4096> sink{};
    int reads = 0;

    explicit LingeringClose(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}

    void start(std::chrono::milliseconds linger) {
        boost::system::error_code ec;
        socket.shutdown(tcp::socket::shutdown_send, ec);
        if (ec) return finish();
        timer.expires_after(linger);
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
            if (!e) self->finish();  // the peer never closed: stop waiting
        });
        read();
    }
    void read() {
        // Bounded in count as well as time: a peer that keeps sending gets cut off.
        if (++reads > 256) return finish();
        socket.async_read_some(asio::buffer(sink), [self = shared_from_this()](
                                                       const boost::system::error_code& e, std::size_t) {
            if (e) return self->finish();  // EOF (the peer closed too) or an error
            self->read();
        });
    }
    void finish() {
        boost::system::error_code ec;
        timer.cancel();
        socket.close(ec);
    }
};

}  // namespace

void graceful_close(tcp::socket&& s, std::chrono::milliseconds linger) {
    if (!s.is_open()) return;
    std::make_shared<LingeringClose>(std::move(s))->start(linger);
}

std::string bind_error_text(std::uint16_t port, const boost::system::error_code& ec) {
    std::string text = "cannot bind port " + std::to_string(port) + ": ";
    if (ec == asio::error::access_denied || ec == asio::error::no_permission)
        return text + "needs root or CAP_NET_BIND_SERVICE";
    if (ec == asio::error::address_in_use) return text + "address already in use";
    return text + ec.message();
}

}  // namespace ftpsim::sim::asio_io
