#include "sim/vnet/pcap_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace ftpsim::sim::vnet {
namespace {

// Little-endian on every host, so the file is byte-identical wherever it is written.
void put_le(std::uint8_t* at, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) at[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Written in pieces of this size: a capture per session costs a write(2) per 64 KiB, and the
// buffer stays below malloc's mmap threshold (no fresh pages to fault in for every capture).
constexpr std::size_t kFlushBytes = 64 << 10;

}  // namespace

PcapWriter::PcapWriter(std::string path, std::uint32_t snaplen) : path_(std::move(path)) {
    fd_ = ::open((path_ + ".partial").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot create " + path_ + ".partial: " + std::strerror(errno));
    buffer_.reserve(kFlushBytes + 65536);
    buffer_.resize(24);
    std::uint8_t* h = buffer_.data();
    put_le(h, 0xa1b23c4d, 4);  // nanosecond-resolution pcap magic
    put_le(h + 4, 2, 2);       // version 2.4
    put_le(h + 6, 4, 2);
    put_le(h + 8, 0, 4);   // thiszone
    put_le(h + 12, 0, 4);  // sigfigs
    put_le(h + 16, snaplen, 4);
    put_le(h + 20, 1, 4);  // LINKTYPE_ETHERNET
}

PcapWriter::~PcapWriter() {
    if (fd_ >= 0) {
        ::close(fd_);
        std::remove((path_ + ".partial").c_str());
    }
}

void PcapWriter::flush() {
    std::size_t done = 0;
    while (done < buffer_.size() && !failed_) {
        const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) failed_ = true;
        else done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

std::uint8_t* PcapWriter::record(std::int64_t time_ns, std::size_t length) {
    if (buffer_.size() >= kFlushBytes) flush();
    const std::size_t at = buffer_.size();
    buffer_.resize(at + 16 + length);
    std::uint8_t* h = buffer_.data() + at;
    const std::uint64_t t = static_cast<std::uint64_t>(time_ns);
    put_le(h, t / 1'000'000'000, 4);
    put_le(h + 4, t % 1'000'000'000, 4);
    put_le(h + 8, length, 4);
    put_le(h + 12, length, 4);
    ++frames_;
    return h + 16;
}

void PcapWriter::write(std::int64_t time_ns, std::span<const std::uint8_t> frame) {
    if (fd_ < 0) return;
    std::uint8_t* to = record(time_ns, frame.size());
    if (!frame.empty()) std::memcpy(to, frame.data(), frame.size());
}

bool PcapWriter::finish() {
    if (fd_ < 0) return false;
    flush();
    const bool ok = ::close(fd_) == 0 && !failed_;
    fd_ = -1;
    const std::string partial = path_ + ".partial";
    // The old capture goes first: renaming over an existing file makes ext4 write the new one
    // out at once (auto_da_alloc), a quarter of a millisecond per capture; the new file is
    // complete either way, and a crash in between leaves no file rather than a partial one.
    if (ok) std::remove(path_.c_str());
    if (!ok || std::rename(partial.c_str(), path_.c_str()) != 0) {
        std::remove(partial.c_str());
        return false;
    }
    return true;
}

}  // namespace ftpsim::sim::vnet
