// Associates FTP data connections with the transfer commands they serve.
//
// A data connection is announced by the client's PORT/EPRT (active: the server will connect to
// that endpoint) or by the server's 227/229 reply (passive: the client will connect there). In
// both modes the announced endpoint is the listening side, so the next TCP connection whose
// server endpoint matches it is the data connection. It serves the transfer command (LIST, NLST,
// MLSD, RETR, STOR, STOU, APPE) issued on the same control connection, whichever comes first.
// A transfer is reported once its data connection has closed and its final reply is in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "decode/analyzer.hpp"
#include "hash/sha256.hpp"
#include "net/endpoint.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::analyzer {

struct ControlEndpoints {
    std::uint64_t conn = 0;
    net::Endpoint client, server;
};

class DataChannels {
public:
    explicit DataChannels(EventSink& sink) : sink_(sink) {}

    // PORT/EPRT from the client (active) or 227/229 from the server (passive).
    void announce(const ControlEndpoints& control, bool passive, const net::Endpoint& listener,
                  std::uint64_t frame);
    // The server refused the PORT/EPRT: it will not connect.
    void withdraw_active(std::uint64_t control_conn);

    // A new TCP connection: if it is an announced data connection, returns its control
    // connection and reports an unexpected peer.
    std::optional<std::uint64_t> claim(const tcp::ConnectionInfo& conn, const tcp::TcpSegment& first);

    void transfer_command(const ControlEndpoints& control, const std::string& verb,
                          const std::string& arg, std::uint64_t rest,
                          std::optional<std::uint64_t> expected_size, std::uint64_t frame,
                          tcp::TimeNs time);
    // A reply to the transfer command: 1yz announces (maybe a size), the rest complete it.
    void transfer_reply(std::uint64_t control_conn, int code, const std::string& text,
                        std::uint64_t frame, tcp::TimeNs time);

    void data_bytes(std::uint64_t data_conn, tcp::Direction dir, std::span<const std::uint8_t> b);
    void data_gap(std::uint64_t data_conn, std::uint64_t length);
    void data_closed(std::uint64_t data_conn, std::uint64_t frame, tcp::TimeNs time);

    // The control connection ended, or the capture did: report what is still open.
    void control_closed(std::uint64_t control_conn, std::uint64_t frame, tcp::TimeNs time);
    void finish(std::uint64_t frame, tcp::TimeNs time);

private:
    struct Announcement {
        ControlEndpoints control;
        bool passive = false;
        std::uint64_t frame = 0;
    };
    // Created by whichever comes first: the transfer command or its data connection.
    struct Transfer {
        ControlEndpoints control;
        bool passive = false;
        bool has_command = false;
        std::string verb, arg;
        std::uint64_t rest = 0;
        std::optional<std::uint64_t> expected_size;
        std::uint64_t data_conn = 0;
        std::uint64_t open_frame = 0;
        std::uint64_t completion_frame = 0;
        net::Endpoint data_client, data_server;
        // Per TCP direction of the data connection: which one carries the file is known only
        // once the command is (RETR vs STOR) and which side connected (active vs passive).
        std::uint64_t bytes[2] = {0, 0};
        Sha256 hash[2];
        std::uint64_t missing = 0;  // bytes lost in capture gaps
        bool data_closed = false;
        bool preliminary = false;  // a 1yz was seen: the server went for the data connection
        int completion = 0;
        std::uint64_t command_frame = 0;
    };

    Transfer* transfer_of_data(std::uint64_t data_conn);
    std::uint64_t new_transfer(const ControlEndpoints& control);
    void maybe_report(std::uint64_t transfer_id, std::uint64_t frame, tcp::TimeNs time, bool force);
    void anomaly(std::uint64_t conn, const ControlEndpoints& c, std::uint64_t frame,
                 tcp::TimeNs time, std::string what, std::string detail);

    EventSink& sink_;
    // Ordered maps: iteration order must not depend on hashing (reports must be reproducible).
    std::map<net::Endpoint, Announcement> announced_;
    std::map<std::uint64_t, Transfer> transfers_;              // by transfer id
    std::map<std::uint64_t, std::uint64_t> transfer_by_data_;  // data conn -> transfer id
    std::map<std::uint64_t, std::uint64_t> waiting_transfer_;  // control -> transfer w/o data conn
    std::map<std::uint64_t, std::uint64_t> waiting_command_;  // control -> transfer w/o command
    std::map<std::uint64_t, std::uint64_t> awaiting_reply_;   // control -> transfer w/o final reply
    std::map<std::uint64_t, bool> last_mode_passive_;         // control -> mode last announced
    std::uint64_t next_transfer_ = 1;
};

}  // namespace ftpsim::analyzer
