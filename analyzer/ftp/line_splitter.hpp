// Splits one direction of an FTP control stream into lines (RFC 959 §4.1.3: Telnet NVT lines
// ended by CRLF). Real traffic also has LF-only line ends, Telnet IAC sequences (ABOR is sent
// after IAC IP / IAC DM) and lines far longer than any server accepts; the splitter keeps a
// bounded buffer whatever it is fed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ftpsim::ftp {

struct Line {
    std::string text;               // the line without its line end, Telnet commands removed;
                                    // bytes kept as they were (never re-encoded or dropped)
    std::uint64_t start_offset = 0;  // stream offset of the line's first byte
    std::uint64_t end_offset = 0;    // stream offset one past its line end
    bool overlong = false;           // longer than the limit: text holds only the first bytes
    bool lf_only = false;            // ended by a bare LF
    bool telnet = false;             // Telnet IAC commands were removed from it
    bool unterminated = false;       // returned by flush(): the stream ended mid-line
};

class LineSplitter {
public:
    explicit LineSplitter(std::size_t max_line = 8192);

    // Appends every line completed by `bytes` to `out`. Bytes continue the stream from where the
    // previous call (or skip) left it.
    void feed(std::span<const std::uint8_t> bytes, std::vector<Line>& out);
    // `length` bytes of the stream were lost (a capture gap): the partial line is dropped and
    // the splitter resumes at the next line end.
    void skip(std::uint64_t length);
    // End of stream: the pending partial line, if any, marked unterminated.
    std::optional<Line> flush();

    // After skip(): the caller knows (from the bytes that follow the gap) that a line starts
    // there, so the splitter need not wait for the next line end to resynchronise.
    void assume_line_start() { resyncing_ = false; }
    bool resyncing() const { return resyncing_; }

    bool has_partial() const;
    std::uint64_t offset() const { return offset_; }

private:
    // Drops the line in progress; with `resync`, waits for the next line end.
    void start_fresh(bool resync);

    std::size_t max_line_;
    std::uint64_t offset_ = 0;  // stream offset of the next byte fed
    std::string partial_;
    std::uint64_t partial_start_ = 0;
    bool partial_overlong_ = false;
    bool partial_telnet_ = false;
    bool saw_cr_ = false;
    bool resyncing_ = false;  // after skip(): discard until the next line end
    int iac_state_ = 0;       // Telnet command parser state across feed() calls
};

}  // namespace ftpsim::ftp
