// Reads capture records from a pcap or pcapng file (libpcap reads both) with nanosecond
// timestamps taken from the records, never from the clock.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "tcp/segment.hpp"

typedef struct pcap pcap_t;

namespace ftpsim::capture {

struct RawFrame {
    std::uint64_t number = 0;  // 1-based
    tcp::TimeNs time = 0;
    std::uint32_t wire_length = 0;  // length on the wire (pcap "len")
    std::span<const std::uint8_t> bytes;  // what was captured (pcap "caplen" bytes)
};

class CaptureReader {
public:
    using WarningFn = std::function<void(const std::string&)>;

    // Throws analyzer::CaptureError with one line naming the file when it cannot be read.
    CaptureReader(const std::string& path, WarningFn warn);
    ~CaptureReader();
    CaptureReader(const CaptureReader&) = delete;
    CaptureReader& operator=(const CaptureReader&) = delete;

    // The next record, or false at the end (a truncated last record is a warning, not an error).
    bool next(RawFrame& frame);
    int link_type() const { return link_type_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    WarningFn warn_;
    pcap_t* handle_ = nullptr;
    int link_type_ = 0;
    std::uint64_t count_ = 0;
};

}  // namespace ftpsim::capture
