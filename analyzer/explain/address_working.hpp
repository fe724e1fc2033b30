// The arithmetic of the addresses that announce data connections, spelled out for a student:
// PORT and 227 write a port as two bytes (RFC 959 §4.1.2), EPRT and 229 in decimal (RFC 2428
// §2-3; a 229 names no host: the control connection's server address applies).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "decode/events.hpp"
#include "explain/lesson.hpp"

namespace ftpsim::explain {

// "8*256+156 = 2204".
std::string two_byte_port_arithmetic(std::uint16_t port);

// The working of a PORT/EPRT command (none: another verb, or an argument that does not parse).
// `data_from`: the port the server's data connection came from, when it came.
std::optional<AddressWorking> work_command_address(const analyzer::CommandEvent& command,
                                                   std::uint64_t frame,
                                                   std::optional<std::uint16_t> data_from);
// The working of a 227/229 reply; `control_server` is the control connection's server address
// (what a 229 means). `data_from`: the client's port of the data connection, when it came.
std::optional<AddressWorking> work_reply_address(const analyzer::ReplyEvent& reply,
                                                 std::uint64_t frame,
                                                 const net::IpAddress& control_server,
                                                 std::optional<std::uint16_t> data_from);

}  // namespace ftpsim::explain
