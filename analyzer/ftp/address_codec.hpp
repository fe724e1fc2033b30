// The address arguments of active and passive mode: PORT and 227 (RFC 959 §4.1.2, §4.2.2),
// EPRT and 229 (RFC 2428 §2, §3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "net/endpoint.hpp"

namespace ftpsim::ftp {

// A host-port found inside a longer text, with where it stands (for rewriting it in place).
struct FoundEndpoint {
    net::Endpoint endpoint;
    std::size_t pos = 0;  // offset of the first character of the encoded host-port
    std::size_t len = 0;
};

// "h1,h2,h3,h4,p1,p2": port = p1*256 + p2. Each number 0-255; spaces around numbers tolerated.
std::optional<net::Endpoint> parse_port_argument(std::string_view arg);
std::string format_port_argument(const net::Endpoint& ep);  // IPv4 only

// 227 reply text: the first run of six comma-separated numbers, with or without parentheses
// ("Entering Passive Mode (192,168,1,10,195,80)." or "=192,168,1,10,195,80").
std::optional<FoundEndpoint> find_pasv_endpoint(std::string_view reply_text);
std::string format_pasv_text(const net::Endpoint& ep);  // "Entering Passive Mode (h1,...,p2)."

// EPRT argument "<d><net-prt><d><net-addr><d><tcp-port><d>", d any ASCII 33-126 (usually |);
// net-prt 1 = IPv4, 2 = IPv6.
std::optional<net::Endpoint> parse_eprt_argument(std::string_view arg);
std::string format_eprt_argument(const net::Endpoint& ep);

// 229 reply text: "(<d><d><d><port><d>)"; the endpoint's address is left empty (the control
// connection's server address applies). Variants without the parentheses are accepted.
std::optional<FoundEndpoint> find_epsv_port(std::string_view reply_text);
std::string format_epsv_text(std::uint16_t port);  // "Entering Extended Passive Mode (|||port|)"

// 150 reply text announcing a size, as vsftpd and others do: "... (3405 bytes)."
std::optional<std::uint64_t> find_announced_size(std::string_view reply_text);

}  // namespace ftpsim::ftp
