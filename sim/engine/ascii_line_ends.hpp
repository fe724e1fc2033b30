// TYPE A's line ends (RFC 959 §3.1.1.1): on the data connection lines end with CRLF, in the
// server's files with LF. Both directions stream: a file is converted a slice at a time, so the
// state that a CR or LF straddles two slices is kept between calls.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ftpsim::sim {

// File to network: a bare LF becomes CRLF; a CRLF already there stays as it is.
class ToNetworkLineEnds {
public:
    void convert(std::string_view in, std::string& out);

private:
    bool prev_cr_ = false;  // the last byte converted was a CR
};

// Network to file: CRLF becomes LF; any other CR stays. A CR at the end of one piece waits for
// the next byte (finish() writes it when none comes).
class FromNetworkLineEnds {
public:
    void convert(std::span<const std::uint8_t> in, std::string& out);
    void finish(std::string& out);

private:
    bool pending_cr_ = false;
};

}  // namespace ftpsim::sim
