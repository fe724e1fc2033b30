// Raw POSIX TCP for the cases no client tool can express (bounce PORT, a data connection from a
// foreign address, an endless command line), a free-port finder, and a minimal FTP control
// connection that reads multi-line replies. Loopback addresses only: 127.0.0.0/8 and ::1.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ftpsim::interop {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Refuses anything outside the loopback range: these tests must never send a packet elsewhere.
inline bool is_loopback(const std::string& host) {
    in_addr a4{};
    if (::inet_pton(AF_INET, host.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
    in6_addr a6{};
    if (::inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
    return false;
}

struct SockAddr {
    sockaddr_storage ss{};
    socklen_t len = 0;
    int family() const { return ss.ss_family; }
};

inline SockAddr make_addr(const std::string& host, std::uint16_t port) {
    if (!is_loopback(host)) throw std::invalid_argument("not a loopback address: " + host);
    SockAddr a;
    auto* s4 = reinterpret_cast<sockaddr_in*>(&a.ss);
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&a.ss);
    if (::inet_pton(AF_INET, host.c_str(), &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        a.len = sizeof(sockaddr_in);
    } else if (::inet_pton(AF_INET6, host.c_str(), &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(port);
        a.len = sizeof(sockaddr_in6);
    } else {
        throw std::invalid_argument("bad address " + host);
    }
    return a;
}

inline std::uint16_t port_of(const sockaddr_storage& ss) {
    if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
    return ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
}

// Can this machine bind `host` (127.0.0.2 needs the whole 127/8 on lo; ::1 needs IPv6)?
inline bool can_bind(const std::string& host) {
    SockAddr a = make_addr(host, 0);
    int fd = ::socket(a.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a.ss), a.len) == 0;
    ::close(fd);
    return ok;
}

// A port that was free on `host` a moment ago (bind port 0, read it back, close).
inline std::uint16_t free_port(const std::string& host = "127.0.0.1") {
    SockAddr a = make_addr(host, 0);
    int fd = ::socket(a.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a.ss), a.len) != 0) {
        ::close(fd);
        throw std::runtime_error("bind to port 0 failed on " + host);
    }
    sockaddr_storage got{};
    socklen_t len = sizeof got;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&got), &len);
    ::close(fd);
    return port_of(got);
}

// A run of `count` consecutive ports below the kernel's ephemeral range (so outgoing
// connections do not take them), all free right now. For passive port ranges.
inline std::pair<std::uint16_t, std::uint16_t> free_port_range(int count, const std::string& host = "127.0.0.1") {
    std::uint32_t seed = static_cast<std::uint32_t>(::getpid()) * 2654435761u ^
                         static_cast<std::uint32_t>(Clock::now().time_since_epoch().count());
    for (int attempt = 0; attempt < 50; ++attempt) {
        seed = seed * 1103515245u + 12345u;
        auto first = static_cast<std::uint16_t>(20000 + (seed >> 8) % (12000 - static_cast<std::uint32_t>(count)));
        bool all_free = true;
        for (int i = 0; i < count && all_free; ++i) {
            SockAddr a = make_addr(host, static_cast<std::uint16_t>(first + i));
            int fd = ::socket(a.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
            int one = 1;
            ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            all_free = ::bind(fd, reinterpret_cast<sockaddr*>(&a.ss), a.len) == 0;
            ::close(fd);
        }
        if (all_free) return {first, static_cast<std::uint16_t>(first + count - 1)};
    }
    throw std::runtime_error("no free port range");
}

// Is something listening on TCP `port` (any address)? Read from /proc/net/tcp{,6}, so the
// check opens no connection (a probe would count as a session on the server).
inline bool is_listening(std::uint16_t port) {
    for (const char* file : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(file);
        std::string line;
        std::getline(in, line);  // header
        while (std::getline(in, line)) {
            std::istringstream ss(line);
            std::string sl, local, remote, state;
            ss >> sl >> local >> remote >> state;
            auto colon = local.rfind(':');
            if (colon == std::string::npos) continue;
            if (state == "0A" && std::stoul(local.substr(colon + 1), nullptr, 16) == port) return true;
        }
    }
    return false;
}

// A connected (or listening) TCP socket with deadline-bounded I/O.
class TcpSocket {
public:
    TcpSocket() = default;
    explicit TcpSocket(int fd) : fd_(fd) {}
    TcpSocket(const TcpSocket&) = delete;
    TcpSocket& operator=(const TcpSocket&) = delete;
    TcpSocket(TcpSocket&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    TcpSocket& operator=(TcpSocket&& o) noexcept {
        if (this != &o) {
            close();
            fd_ = std::exchange(o.fd_, -1);
        }
        return *this;
    }
    ~TcpSocket() { close(); }

    // Connects to host:port, from `source` (an address to bind first, e.g. 127.0.0.2) if given.
    // Throws on failure or after `timeout`.
    static TcpSocket connect(const std::string& host, std::uint16_t port, const std::string& source = "",
                             std::chrono::milliseconds timeout = 5000ms) {
        SockAddr to = make_addr(host, port);
        int fd = ::socket(to.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) throw std::runtime_error("socket failed");
        TcpSocket s(fd);
        if (!source.empty()) {
            SockAddr from = make_addr(source, 0);
            if (::bind(fd, reinterpret_cast<sockaddr*>(&from.ss), from.len) != 0)
                throw std::runtime_error("bind to " + source + " failed: " + std::strerror(errno));
        }
        int r = ::connect(fd, reinterpret_cast<sockaddr*>(&to.ss), to.len);
        if (r != 0 && errno != EINPROGRESS)
            throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
        if (r != 0) {
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1)
                throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + " timed out");
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err != 0)
                throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + std::strerror(err));
        }
        return s;
    }

    // A listening socket on host:port (port 0: any).
    static TcpSocket listen(const std::string& host, std::uint16_t port = 0) {
        SockAddr a = make_addr(host, port);
        int fd = ::socket(a.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) throw std::runtime_error("socket failed");
        TcpSocket s(fd);
        int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&a.ss), a.len) != 0 || ::listen(fd, 16) != 0)
            throw std::runtime_error("listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
        return s;
    }

    // Accepts one connection within `timeout`, or returns an invalid socket.
    TcpSocket accept(std::chrono::milliseconds timeout) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return TcpSocket();
        int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        return TcpSocket(c);
    }

    std::uint16_t local_port() const {
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len);
        return port_of(ss);
    }

    bool valid() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

    // Sends all of `bytes` before `deadline`; false if the peer stopped reading or closed.
    bool send_all(std::string_view bytes, Clock::time_point deadline) {
        std::size_t off = 0;
        while (off < bytes.size()) {
            ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            if (n > 0) {
                off += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return false;
            pollfd p{fd_, POLLOUT, 0};
            ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        }
        return true;
    }
    bool send_all(std::string_view bytes, std::chrono::milliseconds timeout = 5000ms) {
        return send_all(bytes, Clock::now() + timeout);
    }

    enum class RecvStatus { kData, kEof, kTimeout, kError };
    // Appends what arrives before `deadline` (at most one read's worth) to `out`.
    RecvStatus recv_some(std::string& out, Clock::time_point deadline) {
        for (;;) {
            char buf[65536];
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n > 0) {
                out.append(buf, static_cast<std::size_t>(n));
                return RecvStatus::kData;
            }
            if (n == 0) return RecvStatus::kEof;
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return RecvStatus::kError;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return RecvStatus::kTimeout;
            pollfd p{fd_, POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        }
    }

    // Everything until the peer closes, or until `timeout`; `status` says which.
    std::string read_to_eof(std::chrono::milliseconds timeout, RecvStatus* status = nullptr) {
        std::string out;
        const auto deadline = Clock::now() + timeout;
        RecvStatus st;
        while ((st = recv_some(out, deadline)) == RecvStatus::kData) {
        }
        if (status) *status = st;
        return out;
    }

private:
    int fd_ = -1;
};

struct FtpReply {
    int code = 0;            // 0: none (timeout or closed)
    std::string text;        // all lines, CRLF-joined
    bool closed = false;     // the connection closed while waiting
    std::string first_line() const { return text.substr(0, text.find("\r\n")); }
};

inline std::string to_string(const FtpReply& r) {
    if (r.code == 0) return r.closed ? "<connection closed>" : "<no reply: timeout>";
    return r.text;
}

// A raw FTP control connection: send a command, read the (possibly multi-line) reply.
class FtpControl {
public:
    FtpControl() = default;
    FtpControl(const std::string& host, std::uint16_t port, const std::string& source = "")
        : sock_(TcpSocket::connect(host, port, source)) {}

    TcpSocket& socket() { return sock_; }

    // The next complete reply (RFC 959 §4.2: "ddd-" ... "ddd "), or code 0 at timeout/close.
    FtpReply read_reply(std::chrono::milliseconds timeout = 10000ms) {
        const auto deadline = Clock::now() + timeout;
        FtpReply r;
        std::string first_code;
        for (;;) {
            auto eol = buf_.find("\r\n");
            while (eol != std::string::npos) {
                std::string line = buf_.substr(0, eol);
                buf_.erase(0, eol + 2);
                if (!r.text.empty()) r.text += "\r\n";
                r.text += line;
                if (first_code.empty()) {
                    if (line.size() >= 3) first_code = line.substr(0, 3);
                    if (line.size() == 3 || (line.size() > 3 && line[3] == ' ')) {
                        r.code = std::atoi(first_code.c_str());
                        return r;
                    }
                } else if (line.size() >= 4 && line.compare(0, 3, first_code) == 0 && line[3] == ' ') {
                    r.code = std::atoi(first_code.c_str());
                    return r;
                }
                eol = buf_.find("\r\n");
            }
            auto st = sock_.recv_some(buf_, deadline);
            if (st == TcpSocket::RecvStatus::kEof || st == TcpSocket::RecvStatus::kError) {
                r.closed = true;
                return r;
            }
            if (st == TcpSocket::RecvStatus::kTimeout) return r;
        }
    }

    bool send_line(const std::string& line) { return sock_.send_all(line + "\r\n"); }

    FtpReply command(const std::string& line, std::chrono::milliseconds timeout = 10000ms) {
        if (!send_line(line)) {
            FtpReply r;
            r.closed = true;
            return r;
        }
        return read_reply(timeout);
    }

    // Greeting, USER, PASS. Returns the PASS reply (or the first failing one).
    FtpReply login(const std::string& user, const std::string& pass) {
        FtpReply g = read_reply();
        if (g.code != 220) return g;
        FtpReply u = command("USER " + user);
        if (u.code == 230) return u;
        if (u.code != 331) return u;
        return command("PASS " + pass);
    }

    // Bytes received but not yet consumed as a reply.
    const std::string& pending() const { return buf_; }

private:
    TcpSocket sock_;
    std::string buf_;
};

// The port of a "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)" reply, and its address.
inline std::optional<std::pair<std::string, std::uint16_t>> parse_pasv(const std::string& text) {
    static const std::regex re(R"((\d+),(\d+),(\d+),(\d+),(\d+),(\d+))");
    std::smatch m;
    if (!std::regex_search(text, m, re)) return std::nullopt;
    std::string host = m[1].str() + "." + m[2].str() + "." + m[3].str() + "." + m[4].str();
    return std::make_pair(host, static_cast<std::uint16_t>(std::stoi(m[5]) * 256 + std::stoi(m[6])));
}

// The port of a "229 Entering Extended Passive Mode (|||port|)" reply.
inline std::optional<std::uint16_t> parse_epsv(const std::string& text) {
    static const std::regex re(R"(\(\|\|\|(\d+)\|\))");
    std::smatch m;
    if (!std::regex_search(text, m, re)) return std::nullopt;
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

// "h1,h2,h3,h4,p1,p2" for a PORT command.
inline std::string port_argument(const std::string& ipv4, std::uint16_t port) {
    std::string out = ipv4;
    for (char& c : out)
        if (c == '.') c = ',';
    return out + "," + std::to_string(port / 256) + "," + std::to_string(port % 256);
}

}  // namespace ftpsim::interop
