#include "sim/asio/file_sender.hpp"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace ftpsim::sim::asio_io {

namespace {

constexpr std::size_t kSendfileChunk = 1 << 20;  // per sendfile(2) call
constexpr int kChunksPerTurn = 8;                  // then yield to the other sessions' handlers
constexpr std::size_t kCopyChunk = 64 * 1024;      // pread fallback buffer

class FileSend : public std::enable_shared_from_this<FileSend> {
public:
    FileSend(tcp::socket& s, const FileSlice& slice, SendDone done)
        : socket_(s), path_(slice.path), offset_(static_cast<off_t>(slice.offset)),
          left_(slice.length), done_(std::move(done)) {}
    ~FileSend() {
        if (fd_ >= 0) ::close(fd_);
    }

    void start() {
        if (left_ == 0) return finish("");
        // O_NOFOLLOW: the file system hands over a canonical path; a symlink there now is a swap.
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd_ < 0) return finish("cannot open " + path_ + ": " + std::strerror(errno));
        boost::system::error_code ec;
        socket_.native_non_blocking(true, ec);  // sendfile must never block the io_context
        if (ec) return finish("socket: " + ec.message());
        pump();
    }

private:
    void pump() {
        for (int i = 0; i < kChunksPerTurn && left_ > 0; ++i) {
            if (!socket_.is_open()) return finish("data connection closed");
            std::size_t want = left_ < kSendfileChunk ? static_cast<std::size_t>(left_) : kSendfileChunk;
            ssize_t n = ::sendfile(socket_.native_handle(), fd_, &offset_, want);
            if (n > 0) {
                left_ -= static_cast<std::uint64_t>(n);
                sent_any_ = true;
                continue;
            }
            if (n == 0) return finish(path_ + ": file is shorter than announced");
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return wait_writable();
            if ((errno == EINVAL || errno == ENOSYS) && !sent_any_) return copy_next();
            return finish(std::string("sendfile: ") + std::strerror(errno));
        }
        if (left_ == 0) return finish("");
        // A long file: let the other connections run before the next chunks.
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
    }

    void wait_writable() {
        socket_.async_wait(tcp::socket::wait_write,
                           [self = shared_from_this()](const boost::system::error_code& ec) {
                               if (ec) return self->finish("data connection: " + ec.message());
                               self->pump();
                           });
    }

    // The fallback: read a chunk at the offset, write it, repeat.
    void copy_next() {
        if (left_ == 0) return finish("");
        buffer_.resize(left_ < kCopyChunk ? static_cast<std::size_t>(left_) : kCopyChunk);
        ssize_t n;
        do {
            n = ::pread(fd_, buffer_.data(), buffer_.size(), offset_);
        } while (n < 0 && errno == EINTR);
        if (n < 0) return finish(path_ + ": " + std::strerror(errno));
        if (n == 0) return finish(path_ + ": file is shorter than announced");
        buffer_.resize(static_cast<std::size_t>(n));
        asio::async_write(socket_, asio::buffer(buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t w) {
                              if (ec) return self->finish("data connection: " + ec.message());
                              self->offset_ += static_cast<off_t>(w);
                              self->left_ -= w;
                              self->copy_next();
                          });
    }

    void finish(const std::string& error) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        auto done = std::move(done_);
        done_ = nullptr;
        if (done) done(error);
    }

    tcp::socket& socket_;
    std::string path_;
    off_t offset_;
    std::uint64_t left_;
    SendDone done_;
    int fd_ = -1;
    bool sent_any_ = false;
    std::vector<char> buffer_;
};

}  // namespace

void send_file_slice(tcp::socket& socket, const FileSlice& slice, SendDone done) {
    std::make_shared<FileSend>(socket, slice, std::move(done))->start();
}

}  // namespace ftpsim::sim::asio_io
