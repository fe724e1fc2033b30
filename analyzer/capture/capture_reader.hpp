// Reads capture records from a pcap or pcapng file (libpcap reads both) with nanosecond
// timestamps taken from the records, never from the clock.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "capture/frame.hpp"

typedef struct pcap pcap_t;

namespace ftpsim::capture {

class CaptureReader {
public:
    using WarningFn = std::function<void(const std::string&)>;

    // Throws CaptureError (capture_error.hpp) with one line naming the file when it cannot be read.
    CaptureReader(const std::string& path, WarningFn warn);
    ~CaptureReader();
    CaptureReader(const CaptureReader&) = delete;
    CaptureReader& operator=(const CaptureReader&) = delete;

    // The next record (its link_type is the file's), or false at the end (a truncated last record is a warning, not an error).
    bool next(RawFrame& frame);
    int link_type() const { return link_type_; }
    const std::string& path() const { return path_; }

private:
    std::string unreadable_record_warning() const;

    std::string path_;
    WarningFn warn_;
    pcap_t* handle_ = nullptr;
    int link_type_ = 0;
    std::uint64_t count_ = 0;
    std::int64_t last_time_ = 0;  // the last frame's time, for one that cannot be represented
};

}  // namespace ftpsim::capture
