// The client's side of the control connection as bytes: server bytes in, whole replies out
// (RFC 959 §4.2, multi-line replies included, split anywhere by TCP), and commands out as the
// exact bytes to send (RFC 959 §4.1.3: Telnet NVT lines ended by CRLF).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ftp/line_splitter.hpp"
#include "ftp/reply.hpp"

namespace ftpsim::sim::client {

class ReplyReader {
public:
    // Appends every reply that `bytes` completes to `out`. Lines that are no reply outside a
    // multi-line one (garbage before a code) are dropped: a client cannot act on them.
    void feed(std::span<const std::uint8_t> bytes, std::vector<ftp::Reply>& out);
    // A multi-line reply is being read (its closing "NNN " line has not come yet).
    bool in_progress() const { return assembler_.in_progress(); }

private:
    ftp::LineSplitter splitter_;
    ftp::ReplyAssembler assembler_;
    std::vector<ftp::Line> lines_;  // scratch, kept to reuse its capacity
};

// "VERB" or "VERB arg", then CRLF. The argument goes as given: no Telnet IAC doubling (RFC 854)
// and no CR NUL for bare CRs, as curl and ftp(1) send them, so odd arguments reach the server
// unchanged.
std::string command_line(std::string_view verb, std::string_view arg);
// A raw command line: as given when it already ends with LF (so a test can send a bare-LF or an
// unterminated-then-terminated line), otherwise with CRLF appended.
std::string raw_line(std::string_view line);
// ABOR as RFC 959 §4.1.3 asks: Telnet "Interrupt Process" (IAC IP, FF F4) then "Synch"
// (IAC DM, FF F2), then "ABOR" CRLF, as ftp(1) sends it. The Synch is meant to go as TCP urgent
// data; SendControl has no urgent flag, so the bytes go in-band (the server sees the same bytes).
std::string abort_bytes();

// "550 No such file." for error texts.
std::string summary(const ftp::Reply& reply);

}  // namespace ftpsim::sim::client
