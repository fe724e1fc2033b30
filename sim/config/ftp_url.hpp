// ftp://user:pass@host:port/path, as `ftpsim client` takes it (RFC 1738 §3.2): I/O-free.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ftpsim::sim::config {

struct FtpUrl {
    std::optional<std::string> user;      // percent-decoded; unset: anonymous
    std::optional<std::string> password;  // percent-decoded; unset: the client's default
    std::string host;                     // IPv6 without brackets
    std::uint16_t port = 21;
    std::string path;  // percent-decoded, without the '/' after the host nor a trailing '/'
};

// False with `error` set for anything that is not such a URL.
bool parse_ftp_url(const std::string& text, FtpUrl& out, std::string& error);

}  // namespace ftpsim::sim::config
