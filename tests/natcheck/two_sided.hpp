// Synthetic captures of one control connection seen on both sides of a NAT, built with the
// analyzer tests' pcap builder and recorded in memory (SideRecorder, no file), for the NAT
// check's unit tests.
#pragma once

#include <tins/ip.h>
#include <tins/tcp.h>

#include <string>

#include "natcheck/nat_check.hpp"
#include "support/feed_frames.hpp"
#include "support/pcap_builder.hpp"

namespace ftpsim::testsupport {

// Pushes a built capture's frames through a SideRecorder.
inline natcheck::SideRecord record(const Capture& capture, const std::string& name) {
    natcheck::SideRecorder recorder(name);
    feed_frames(capture, recorder);
    return recorder.finish();
}

// A short session on one control connection: greeting, USER `user`, PASS, QUIT, then the close.
inline void login_session(Capture& c, const Ep& client, const Ep& server, const std::string& user) {
    Connection& conn = c.connect(client, server);
    conn.handshake();
    conn.send("220 lab\r\n", kFromServer);
    conn.send("USER " + user + "\r\n", kFromClient);
    conn.send("331 ok\r\n", kFromServer);
    conn.send("PASS secret\r\n", kFromClient);
    conn.send("230 in\r\n", kFromServer);
    conn.send("QUIT\r\n", kFromClient);
    conn.send("221 bye\r\n", kFromServer);
    conn.close();
}

// Adds a SACK option (RFC 2018) with one block to an already built packet.
inline void add_sack(Capture& capture, std::size_t index, std::uint32_t left, std::uint32_t right) {
    BuiltPacket& p = capture.packets[index];
    if (p.v6) throw std::runtime_error("add_sack: IPv4 only");
    Tins::IP ip(p.ip.data(), static_cast<std::uint32_t>(p.ip.size()));
    ip.rfind_pdu<Tins::TCP>().sack({left, right});
    p.ip = ip.serialize();
}

}  // namespace ftpsim::testsupport
