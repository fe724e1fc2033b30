// Shared pieces of the namespace tests: the privilege gate (skip locally, fail in CI) and small
// blocking POSIX socket helpers where every wait is bounded by poll(2).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "sim/netns/privileges.hpp"
#include "support/ci.hpp"

namespace ftpsim::netns_test {

// Skips the test when namespaces cannot be created, unless CI=true where that is a failure
// (CI runs as root, so a skip there would hide a broken setup).
#define FTPSIM_REQUIRE_NETNS()                                                               \
    do {                                                                                     \
        try {                                                                                \
            ::ftpsim::sim::netns::require_netns_privilege();                                 \
        } catch (const ::ftpsim::sim::netns::PrivilegeError& e) {                            \
            if (::ftpsim::testsupport::in_ci()) FAIL() << "CI=true: " << e.what();          \
            GTEST_SKIP() << "needs privileges: " << e.what();                                \
        }                                                                                    \
    } while (0)

constexpr auto kIoTimeout = std::chrono::seconds(5);

// Owns a socket descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
    }
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

inline sockaddr_storage make_addr(const std::string& ip, std::uint16_t port, socklen_t& len) {
    sockaddr_storage ss{};
    if (ip.find(':') != std::string::npos) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        if (::inet_pton(AF_INET6, ip.c_str(), &a->sin6_addr) != 1) throw std::invalid_argument(ip);
        len = sizeof(sockaddr_in6);
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&ss);
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        if (::inet_pton(AF_INET, ip.c_str(), &a->sin_addr) != 1) throw std::invalid_argument(ip);
        len = sizeof(sockaddr_in);
    }
    return ss;
}

inline void wait_fd(int fd, short events, const char* what) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::chrono::milliseconds(kIoTimeout).count()));
    if (r <= 0) throw std::runtime_error(std::string(what) + ": timed out or failed");
}

// A listening socket on ip:port; call inside the server's namespace.
inline Fd listen_on(const std::string& ip, std::uint16_t port) {
    socklen_t len = 0;
    const auto ss = make_addr(ip, port, len);
    Fd s(::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const int one = 1;
    ::setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(s.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0)
        throw std::runtime_error("bind " + ip + ": " + std::strerror(errno));
    if (::listen(s.get(), 4) != 0) throw std::runtime_error("listen");
    return s;
}

// Connects with a bounded wait (nonblocking connect + poll); call inside the client's namespace.
inline Fd connect_to(const std::string& ip, std::uint16_t port) {
    socklen_t len = 0;
    const auto ss = make_addr(ip, port, len);
    Fd s(::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0 && errno != EINPROGRESS)
        throw std::runtime_error("connect " + ip + ": " + std::strerror(errno));
    wait_fd(s.get(), POLLOUT, "connect");
    int err = 0;
    socklen_t el = sizeof err;
    ::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &err, &el);
    if (err != 0) throw std::runtime_error("connect " + ip + ": " + std::strerror(err));
    ::fcntl(s.get(), F_SETFL, ::fcntl(s.get(), F_GETFL) & ~O_NONBLOCK);
    return s;
}

inline Fd accept_one(const Fd& listener) {
    wait_fd(listener.get(), POLLIN, "accept");
    Fd s(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (s.get() < 0) throw std::runtime_error("accept");
    return s;
}

inline void send_all(const Fd& s, const std::string& data) {
    std::size_t off = 0;
    for (int rounds = 0; off < data.size(); ++rounds) {
        if (rounds > 100000) throw std::runtime_error("send: too many rounds");
        wait_fd(s.get(), POLLOUT, "send");
        const ssize_t n = ::send(s.get(), data.data() + off, data.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) throw std::runtime_error("send failed");
        off += static_cast<std::size_t>(n);
    }
}

// Reads exactly n bytes (or until EOF when n == 0), each wait bounded.
inline std::string recv_n(const Fd& s, std::size_t n) {
    std::string out;
    char buf[65536];
    for (int rounds = 0; n == 0 || out.size() < n; ++rounds) {
        if (rounds > 100000) throw std::runtime_error("recv: too many rounds");
        wait_fd(s.get(), POLLIN, "recv");
        const ssize_t r = ::recv(s.get(), buf, sizeof buf, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r < 0) throw std::runtime_error("recv failed");
        if (r == 0) break;
        out.append(buf, static_cast<std::size_t>(r));
    }
    return out;
}

}  // namespace ftpsim::netns_test
