// A classic pcap file (LINKTYPE_ETHERNET, nanosecond timestamps) written by the virtual network
// itself. Written to PATH.partial and renamed to PATH by finish(), so a crashed or failed run
// never leaves a capture that looks complete.
#pragma once

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

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
    // Flushes, closes and renames; false (and the partial file removed) on an I/O error.
    bool finish();
    std::uint64_t frames() const { return frames_; }

private:
    std::string path_;
    std::FILE* file_ = nullptr;
    bool failed_ = false;
    std::uint64_t frames_ = 0;
};

}  // namespace ftpsim::sim::vnet
