// FTP-level shortcuts over the capture builder: command and reply lines, a login, a data
// connection carrying a file, and deterministic file contents.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {

// The addresses most tests use: a client and a server on one LAN.
inline const Ep kClientCtrl{"192.168.1.5", 50123};
inline const Ep kServerCtrl{"192.168.1.10", 21};
// 227 Entering Passive Mode (192,168,1,10,195,80): 195 * 256 + 80.
inline const Ep kServerPasv{"192.168.1.10", 50000};
inline const Ep kClientData{"192.168.1.5", 50124};

// "USER anonymous" -> "USER anonymous\r\n" from the client.
inline std::size_t command(Connection& c, std::string_view line) {
    return c.send(std::string(line) + "\r\n", kFromClient);
}

// Reply lines separated by '\n' in `text`, each sent ended by CRLF, in one send.
inline std::size_t reply(Connection& c, std::string_view text) {
    std::string wire;
    for (char ch : text) wire += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    return c.send(wire + "\r\n", kFromServer);
}

// A command and its reply, then the client's ACK of the reply. Returns the command's index.
inline std::size_t exchange(Connection& c, std::string_view cmd, std::string_view answer) {
    std::size_t index = command(c, cmd);
    reply(c, answer);
    c.ack(kFromClient);
    return index;
}

// Greeting, USER, PASS (as FileZilla Server answers them).
inline void login(Connection& c, std::string_view password = "s3cret") {
    reply(c, "220 FileZilla Server 1.7.0");
    c.ack(kFromClient);
    exchange(c, "USER anonymous", "331 Please, specify the password.");
    exchange(c, "PASS " + std::string(password), "230 Login successful.");
}

// Deterministic, not very compressible bytes.
inline std::string file_bytes(std::size_t n, std::uint32_t seed = 1) {
    std::string out(n, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (auto& ch : out) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        ch = static_cast<char>(x & 0xff);
    }
    return out;
}

// A data connection from `tcp_client` to `tcp_server`: handshake, `bytes` from the side that
// sends them (the TCP server when `server_sends`), the receiver's ACK, then a close started by
// the sender.
inline Connection& data_connection(Capture& cap, const Ep& tcp_client, const Ep& tcp_server,
                                   std::string_view bytes, bool server_sends,
                                   std::uint32_t client_isn = 7'000'000,
                                   std::uint32_t server_isn = 9'000'000) {
    Connection& d = cap.connect(tcp_client, tcp_server, client_isn, server_isn);
    d.handshake();
    const bool from_client = !server_sends;
    if (!bytes.empty()) {
        d.send(bytes, from_client);
        d.ack(!from_client);
    }
    d.close(from_client);
    return d;
}

}  // namespace ftpsim::testsupport
