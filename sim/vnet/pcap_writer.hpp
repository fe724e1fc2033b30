// A classic pcap file (LINKTYPE_ETHERNET, nanosecond timestamps) written by the virtual network
// itself. Written to PATH.partial and renamed to PATH by finish(), so a crashed or failed run
// never leaves a capture that looks complete.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ftpsim::sim::vnet {

class PcapWriter {
public:
    // Throws std::runtime_error when the file cannot be created.
    explicit PcapWriter(std::string path, std::uint32_t snaplen = 262144);
    ~PcapWriter();  // without finish(): removes the partial file
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    // `time_ns`: nanoseconds since the Unix epoch.
    void write(std::int64_t time_ns, std::span<const std::uint8_t> frame);
    // A record of `length` bytes whose frame the caller writes at the returned address (valid
    // until the next call): the network encodes frames straight into the file's buffer.
    std::uint8_t* record(std::int64_t time_ns, std::size_t length);
    // Flushes, closes and renames; false (and the partial file removed) on an I/O error.
    bool finish();
    std::uint64_t frames() const { return frames_; }

private:
    void flush();

    std::string path_;
    int fd_ = -1;
    bool failed_ = false;
    std::uint64_t frames_ = 0;
    std::vector<std::uint8_t> buffer_;  // pending bytes, written when full and at finish()
};

}  // namespace ftpsim::sim::vnet
