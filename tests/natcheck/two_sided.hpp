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

// Adds a SACK option (RFC 2018) with one block to an already built packet.
inline void add_sack(Capture& capture, std::size_t index, std::uint32_t left, std::uint32_t right) {
    BuiltPacket& p = capture.packets[index];
    if (p.v6) throw std::runtime_error("add_sack: IPv4 only");
    Tins::IP ip(p.ip.data(), static_cast<std::uint32_t>(p.ip.size()));
    ip.rfind_pdu<Tins::TCP>().sack({left, right});
    p.ip = ip.serialize();
}

}  // namespace ftpsim::testsupport
