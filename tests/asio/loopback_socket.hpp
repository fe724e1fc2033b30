// A blocking TCP client on 127.0.0.1 for the tests, with a deadline on every call (plain POSIX
// sockets and poll(2): Boost.Asio's synchronous calls ignore SO_RCVTIMEO).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace ftpsim::asio_test {

class LoopbackSocket {
public:
    LoopbackSocket() = default;
    static LoopbackSocket adopt(int fd) {
        LoopbackSocket s;
        s.fd_ = fd;
        return s;
    }
    explicit LoopbackSocket(std::uint16_t port) { connect_to(port); }
    ~LoopbackSocket() { close(); }
    LoopbackSocket(LoopbackSocket&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    LoopbackSocket& operator=(LoopbackSocket&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }

    void connect_to(std::uint16_t port) {
        close();
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // 127.0.0.1 only, never another address
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
            throw std::runtime_error("connect 127.0.0.1:" + std::to_string(port) + " failed");
    }
    void send_all(const std::string& s) {
        std::size_t off = 0;
        while (off < s.size()) {
            ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send failed");
            off += static_cast<std::size_t>(n);
        }
    }
    // Reads until `stop` appears in what was read, EOF, an error, or the deadline.
    std::string read_until(const std::string& stop, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        std::string got;
        auto end = std::chrono::steady_clock::now() + limit;
        while (stop.empty() || got.find(stop) == std::string::npos) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
            char buf[65536];
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                eof_ = n == 0;
                reset_ = n < 0;
                break;
            }
            got.append(buf, static_cast<std::size_t>(n));
        }
        return got;
    }
    std::string read_to_eof(std::chrono::milliseconds limit = std::chrono::seconds(5)) { return read_until("", limit); }
    bool saw_eof() const { return eof_; }
    bool saw_reset() const { return reset_; }
    std::uint16_t local_port() const {
        sockaddr_in a{};
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        return ntohs(a.sin_port);
    }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
    bool eof_ = false, reset_ = false;
};

// A port that was free a moment ago on 127.0.0.1 (bound, read, released).
inline std::uint16_t free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

}  // namespace ftpsim::asio_test

namespace ftpsim::asio_test {

// A listening socket on 127.0.0.1 for the active-mode tests.
class LoopbackListener {
public:
    LoopbackListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 4) != 0)
            throw std::runtime_error("cannot listen on 127.0.0.1");
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
    }
    ~LoopbackListener() { ::close(fd_); }
    std::uint16_t port() const { return port_; }
    // The next connection, or a closed socket at the deadline; `peer_port` says where it came from.
    int accept_fd(std::chrono::milliseconds limit, std::uint16_t& peer_port) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return -1;
        sockaddr_in a{};
        socklen_t len = sizeof a;
        int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&a), &len, SOCK_CLOEXEC);
        peer_port = ntohs(a.sin_port);
        return fd;
    }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace ftpsim::asio_test
