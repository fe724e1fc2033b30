// Values that both the YAML configuration and the `ftpsim serve` flags accept, parsed the same
// way with the same messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/engine/server_config.hpp"

namespace ftpsim::sim::config {

// "50000-50100", "2121" (one port) or "0" (any free port). False with `error` set otherwise.
bool parse_port_range(const std::string& text, std::uint16_t& lo, std::uint16_t& hi, std::string& error);
// "vsftpd", "filezilla", "neutral".
bool parse_personality(const std::string& text, Personality& out, std::string& error);
// A decimal number in [lo, hi].
bool parse_uint(const std::string& text, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out,
                std::string& error);
// "127.0.0.1:2121", "[::1]:2121", "0.0.0.0:21": an IP literal (no host names) and a port.
bool parse_listen_address(const std::string& text, net::IpAddress& addr, std::uint16_t& port, std::string& error);
// "NAME:PASS" (the password may contain ':').
bool parse_user_pass(const std::string& text, std::string& user, std::string& pass, std::string& error);
// An absolute server path in normal form: "/", or "/a/b" without empty, "." or ".." parts.
bool check_server_path(const std::string& path, std::string& error);

}  // namespace ftpsim::sim::config
