// FTP-level shortcuts over the capture builder: command and reply lines, a login, the steps of a
// transfer, a data connection carrying a file, and deterministic file contents.
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
// The PASV answer naming kServerPasv.
inline constexpr std::string_view kPasvReply = "227 Entering Passive Mode (192,168,1,10,195,80)";

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

// A reply, then the client's ACK of it. Returns the reply's index.
inline std::size_t reply_acked(Connection& c, std::string_view text) {
    std::size_t index = reply(c, text);
    c.ack(kFromClient);
    return index;
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
    reply_acked(c, "220 FileZilla Server 1.7.0");
    exchange(c, "USER anonymous", "331 Please, specify the password.");
    exchange(c, "PASS " + std::string(password), "230 Login successful.");
}

// QUIT and its answer, then a close started by the client.
inline void quit(Connection& c, std::string_view goodbye = "221 Goodbye") {
    exchange(c, "QUIT", goodbye);
    c.close();
}

// A transfer command (RETR, STOR, LIST ...) and the server's preliminary reply, with no ACK: the
// data connection comes next. Returns the command's index.
inline std::size_t start_transfer(Connection& ctrl, std::string_view cmd,
                                  std::string_view opening = "150 Opening data channel") {
    std::size_t index = command(ctrl, cmd);
    reply(ctrl, opening);
    return index;
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

// A connection from `client` to `server` after its three-way handshake.
inline Connection& open_connection(Capture& cap, const Ep& client, const Ep& server,
                                   const HandshakeOptions& options = {}) {
    Connection& c = cap.connect(client, server);
    c.handshake(options);
    return c;
}

// The end of a transfer on an open data connection: the receiver's ACK of everything sent, then
// a close started by the sender (the TCP client when `sender_is_client`).
inline void ack_and_close(Connection& data, bool sender_is_client) {
    data.ack(!sender_is_client);
    data.close(sender_is_client);
}

// `bytes` over an open data connection from one side, the receiver's ACK, the sender's close.
inline void send_and_close(Connection& data, std::string_view bytes, bool from_client) {
    if (bytes.empty()) {  // nothing to acknowledge
        data.close(from_client);
        return;
    }
    data.send(bytes, from_client);
    ack_and_close(data, from_client);
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
    send_and_close(d, bytes, /*from_client=*/!server_sends);
    return d;
}

}  // namespace ftpsim::testsupport
