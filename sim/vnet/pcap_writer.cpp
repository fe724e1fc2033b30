#include "sim/vnet/pcap_writer.hpp"

#include <cstdio>
#include <stdexcept>

namespace ftpsim::sim::vnet {
namespace {

// Little-endian on every host, so the file is byte-identical wherever it is written.
void le(std::FILE* f, std::uint64_t v, int bytes, bool& failed) {
    unsigned char b[8];
    for (int i = 0; i < bytes; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    if (std::fwrite(b, 1, static_cast<std::size_t>(bytes), f) != static_cast<std::size_t>(bytes)) failed = true;
}

void put_le32(unsigned char* at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) at[i] = static_cast<unsigned char>(v >> (8 * i));
}

// stdio's default buffer (4 KiB) means a write(2) every few frames; 64 KiB stays below malloc's
// mmap threshold, so a capture per session does not map and fault in fresh pages every time.
constexpr std::size_t kBufferBytes = 64 << 10;

}  // namespace

PcapWriter::PcapWriter(std::string path, std::uint32_t snaplen) : path_(std::move(path)) {
    file_ = std::fopen((path_ + ".partial").c_str(), "wb");
    if (!file_) throw std::runtime_error("cannot create " + path_ + ".partial");
    std::setvbuf(file_, nullptr, _IOFBF, kBufferBytes);
    le(file_, 0xa1b23c4d, 4, failed_);  // nanosecond-resolution pcap magic
    le(file_, 2, 2, failed_);
    le(file_, 4, 2, failed_);
    le(file_, 0, 4, failed_);  // thiszone
    le(file_, 0, 4, failed_);  // sigfigs
    le(file_, snaplen, 4, failed_);
    le(file_, 1, 4, failed_);  // LINKTYPE_ETHERNET
}

PcapWriter::~PcapWriter() {
    if (file_) {
        std::fclose(file_);
        std::remove((path_ + ".partial").c_str());
    }
}

void PcapWriter::write(std::int64_t time_ns, std::span<const std::uint8_t> frame) {
    if (!file_) return;
    const std::uint64_t t = static_cast<std::uint64_t>(time_ns);
    unsigned char header[16];
    put_le32(header, static_cast<std::uint32_t>(t / 1'000'000'000));
    put_le32(header + 4, static_cast<std::uint32_t>(t % 1'000'000'000));
    put_le32(header + 8, static_cast<std::uint32_t>(frame.size()));
    put_le32(header + 12, static_cast<std::uint32_t>(frame.size()));
    if (std::fwrite(header, 1, sizeof header, file_) != sizeof header) failed_ = true;
    if (std::fwrite(frame.data(), 1, frame.size(), file_) != frame.size()) failed_ = true;
    ++frames_;
}

bool PcapWriter::finish() {
    if (!file_) return false;
    const bool ok = std::fclose(file_) == 0 && !failed_;
    file_ = nullptr;
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
