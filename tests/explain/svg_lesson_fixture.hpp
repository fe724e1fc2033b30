// A Lesson built by hand for the renderer tests: an active-mode LIST (the server opens the data
// connection from port 20), so the tests need no capture and no build_lesson.
#pragma once

#include <string>

#include "explain/lesson.hpp"

namespace ftpsim::explain::testing {

inline net::Endpoint endpoint(const char* addr, std::uint16_t port) {
    net::Endpoint e;
    net::IpAddress::parse(addr, e.addr);
    e.port = port;
    return e;
}

inline Arrow arrow(ArrowKind kind, std::size_t lane, bool from_client, std::uint64_t frame, std::string label) {
    Arrow a;
    a.kind = kind;
    a.lane = lane;
    a.from_client = from_client;
    a.first_frame = a.last_frame = frame;
    a.time_ns = static_cast<std::int64_t>(frame) * 1'000'000;
    a.label = std::move(label);
    return a;
}

inline Lesson active_list_lesson() {
    Lesson l;
    l.title = "Lesson: active_list.pcap";
    l.summary.capture = "active_list.pcap";
    l.summary.client = "192.168.1.5";
    l.summary.server = "192.168.1.10:21";
    Lane control;
    control.conn = 1;
    control.role = analyzer::ConnRole::kFtpControl;
    control.label = "control";
    control.client_end = endpoint("192.168.1.5", 2203);
    control.server_end = endpoint("192.168.1.10", 21);
    Lane data;
    data.conn = 2;
    data.role = analyzer::ConnRole::kFtpData;
    data.label = "data 1: LIST (active)";
    data.client_end = endpoint("192.168.1.5", 2204);
    data.server_end = endpoint("192.168.1.10", 20);
    data.opened_by_client = false;
    data.mode = "active";
    data.announced_by = 3;
    l.lanes = {control, data};
    l.arrows = {arrow(ArrowKind::kTcp, 0, true, 1, "SYN"),
                arrow(ArrowKind::kReply, 0, false, 4, "220 Welcome"),
                arrow(ArrowKind::kCommand, 0, true, 6, "USER alfon"),
                arrow(ArrowKind::kCommand, 0, true, 8, "PORT 192,168,1,5,8,156"),
                arrow(ArrowKind::kReply, 0, false, 9, "200 PORT command successful"),
                arrow(ArrowKind::kCommand, 0, true, 10, "LIST"),
                arrow(ArrowKind::kTcp, 1, false, 11, "SYN"),
                arrow(ArrowKind::kData, 1, false, 14, "1234 bytes"),
                arrow(ArrowKind::kReply, 0, false, 16, "226 Transfer complete")};
    l.arrows[3].announces = 1;
    l.arrows[6].tcp_event = "syn";
    for (const Arrow& a : l.arrows) {
        PacketRow row;
        row.frame = a.first_frame;
        row.time_ns = a.time_ns;
        row.source = a.from_client ? "192.168.1.5" : "192.168.1.10";
        row.destination = a.from_client ? "192.168.1.10" : "192.168.1.5";
        row.protocol = a.kind == ArrowKind::kCommand || a.kind == ArrowKind::kReply ? "FTP" : "TCP";
        row.length = 66;
        row.info = a.label;
        l.packets.push_back(row);
    }
    return l;
}

}  // namespace ftpsim::explain::testing
