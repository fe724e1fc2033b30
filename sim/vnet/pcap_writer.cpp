#include "sim/vnet/pcap_writer.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "golden/atomic_file.hpp"

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
    // Sync::kNo: the same scenario and seed give these bytes again, and a disk flush per capture
    // would cost the benchmark's sessions more than their packets do.
    file_ = std::make_unique<golden::AtomicFile>(path_, golden::AtomicFile::Replace::kYes,
                                                 golden::AtomicFile::Sync::kNo);
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

PcapWriter::~PcapWriter() = default;  // an unfinished AtomicFile removes its temporary

const std::string& PcapWriter::temp_path() const {
    static const std::string none;
    return file_ ? file_->temp_path() : none;
}

void PcapWriter::flush() {
    if (!failed_ && !buffer_.empty()) {
        try {
            file_->write(std::string_view(reinterpret_cast<const char*>(buffer_.data()), buffer_.size()));
        } catch (const std::runtime_error&) {
            failed_ = true;  // the temporary is gone; finish() reports it
        }
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
    if (!file_) return;
    std::uint8_t* to = record(time_ns, frame.size());
    if (!frame.empty()) std::memcpy(to, frame.data(), frame.size());
}

bool PcapWriter::finish() {
    if (!file_) return false;
    flush();
    std::unique_ptr<golden::AtomicFile> file = std::move(file_);
    if (failed_) return false;  // `file` removes its temporary
    // The old capture goes first: renaming over an existing file makes ext4 write the new one
    // out at once (auto_da_alloc), a quarter of a millisecond per capture. A kill in between
    // leaves no capture rather than the old one: never a partial one under PATH. (`ftpsim run`
    // has removed the old capture before the run anyway: a stale one must not pass for its.)
    std::remove(path_.c_str());
    try {
        file->commit();
    } catch (const std::runtime_error&) {
        return false;
    }
    return true;
}

}  // namespace ftpsim::sim::vnet
