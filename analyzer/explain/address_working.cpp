#include "explain/address_working.hpp"

#include "ftp/command.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::explain {

std::string two_byte_port_arithmetic(std::uint16_t port) {
    return std::to_string(port / 256) + "*256+" + std::to_string(port % 256) + " = " +
           std::to_string(port);
}

std::optional<AddressWorking> work_command_address(const analyzer::CommandEvent& command,
                                                   std::uint64_t frame,
                                                   std::optional<std::uint16_t> data_from) {
    if (!command.endpoint || (command.verb != "PORT" && command.verb != "EPRT")) return std::nullopt;
    AddressWorking w;
    w.frame = frame;
    w.message = command.verb + " " +
                (command.secret ? std::string(ftp::kSecretMask) : ftp::escape_bytes(command.arg));
    w.host = command.endpoint->addr.str();
    w.port = command.endpoint->port;
    // RFC 959 §4.1.2: h1,h2,h3,h4 are the address's bytes, p1,p2 the port's (p1 the high byte).
    w.arithmetic = command.verb == "PORT"
                       ? "the first four numbers are the address " + w.host +
                             "; the last two are the port: " + two_byte_port_arithmetic(w.port)
                       : "EPRT names the address " + w.host +
                             " and gives the port in decimal: " + std::to_string(w.port) +
                             " (RFC 2428 §2)";
    w.who_listens = "the client listens on port " + std::to_string(w.port) +
                    "; the server connects to it (active mode)";
    if (data_from) w.who_listens += " from port " + std::to_string(*data_from);
    return w;
}

std::optional<AddressWorking> work_reply_address(const analyzer::ReplyEvent& reply,
                                                 std::uint64_t frame,
                                                 const net::IpAddress& control_server,
                                                 std::optional<std::uint16_t> data_from) {
    if (!reply.endpoint || (reply.code != 227 && reply.code != 229)) return std::nullopt;
    AddressWorking w;
    w.frame = frame;
    w.message = std::to_string(reply.code) + " " + ftp::escape_bytes(reply.text);
    w.port = reply.endpoint->endpoint.port;
    if (reply.code == 227) {
        w.host = reply.endpoint->endpoint.addr.str();
        w.arithmetic = "the first four numbers are the address " + w.host +
                       "; the last two are the port: " + two_byte_port_arithmetic(w.port);
    } else {
        // RFC 2428 §3: the reply carries only the port; the address is the one the control
        // connection already goes to.
        w.host = control_server.str();
        w.arithmetic = "229 gives only the port, in decimal: " + std::to_string(w.port) +
                       "; the address is the control connection's server, " + w.host +
                       " (RFC 2428 §3)";
    }
    w.who_listens = "the server listens on port " + std::to_string(w.port) +
                    "; the client connects to it (passive mode)";
    if (data_from) w.who_listens += " from port " + std::to_string(*data_from);
    return w;
}

}  // namespace ftpsim::explain
