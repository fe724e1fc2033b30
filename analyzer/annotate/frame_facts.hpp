// What the analyzer decoded about one frame, gathered for the sentence that explains it to a
// student (packet_sentences.hpp). Plain data: FrameAnnotator (frame_annotator.hpp) fills it from
// the analyzer's events and TCP summaries; tests may build it by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decode/events.hpp"
#include "net/endpoint.hpp"

namespace ftpsim::annotate {

// Which FTP connection a segment belongs to, and how it came to be.
struct ConnFacts {
    analyzer::ConnRole role = analyzer::ConnRole::kTcp;
    // Data connections: "active" (the server connects, RFC 959 §3.2 PORT) or "passive" (the
    // client connects to the port PASV/EPSV announced); empty when not known.
    std::string mode;
    // The transfer command in force on the data connection's control connection ("RETR x",
    // "LIST"); empty when none has been seen yet.
    std::string transfer;
};

struct SegmentFacts {
    net::Endpoint src, dst;
    bool from_tcp_client = true;  // sent by the side that sent the SYN
    std::uint8_t flags = 0;       // tcp::TcpFlag bits
    std::uint64_t payload_length = 0;
    std::uint32_t relative_seq = 0, relative_ack = 0;  // as Wireshark numbers them
    std::uint64_t scaled_window = 0;
    std::uint16_t analysis = 0;  // tcp::SegmentSummary::events bits (tcp.analysis flags)
    bool completes_handshake = false;  // the ACK that answers the SYN/ACK
    bool acks_fin = false;             // the first ACK of the other side's FIN
    ConnFacts conn;
};

struct FrameFacts {
    std::uint64_t number = 0;
    std::optional<SegmentFacts> segment;  // none: not TCP, or not decodable
    std::vector<analyzer::Event> events;  // what the analyzer reported while reading the frame
    std::string protocol, info;           // the packet table's columns, for frames not TCP
};

}  // namespace ftpsim::annotate
