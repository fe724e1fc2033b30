// A classic pcap file (LINKTYPE_ETHERNET, nanosecond timestamps) written by the virtual network
// itself. Written through golden::AtomicFile (".NAME.partial.PID.N" beside PATH, renamed to PATH
// by finish()), so a failed, abandoned or killed run never leaves a capture that looks complete:
// PATH is absent or whole, and a killed run's temporary is removed by the next run there.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ftpsim::golden {
class AtomicFile;
}

namespace ftpsim::sim::vnet {

class PcapWriter {
public:
    // Throws std::runtime_error when the file cannot be created.
    explicit PcapWriter(std::string path, std::uint32_t snaplen = 262144);
    ~PcapWriter();  // without finish(): removes the temporary, PATH untouched
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    // `time_ns`: nanoseconds since the Unix epoch.
    void write(std::int64_t time_ns, std::span<const std::uint8_t> frame);
    // A record of `length` bytes whose frame the caller writes at the returned address (valid
    // until the next call): the network encodes frames straight into the file's buffer.
    std::uint8_t* record(std::int64_t time_ns, std::size_t length);
    // Flushes, closes and renames; false (and the temporary removed) on an I/O error.
    bool finish();
    // Where the bytes go until finish() (for tests).
    const std::string& temp_path() const;
    std::uint64_t frames() const { return frames_; }

private:
    void flush();

    std::string path_;
    std::unique_ptr<golden::AtomicFile> file_;  // null once finished
    bool failed_ = false;
    std::uint64_t frames_ = 0;
    std::vector<std::uint8_t> buffer_;  // pending bytes, written when full and at finish()
};

}  // namespace ftpsim::sim::vnet
