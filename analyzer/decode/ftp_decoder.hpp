// Routes the TCP tracker's connections to FTP decoding: control connections (port 21, or any
// port whose first bytes look like FTP), data connections (announced by PORT/EPRT/227/229),
// and everything else, which is ignored: its payload is not even reassembled (wants_payload).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

#include "decode/analyzer.hpp"
#include "decode/control_session.hpp"
#include "decode/data_channels.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::analyzer {

class FtpDecoder : public tcp::TcpObserver {
public:
    // `options` outlives the decoder.
    FtpDecoder(EventSink& sink, const AnalyzeOptions& options);
    ~FtpDecoder() override;

    void on_open(const tcp::ConnectionInfo& c, const tcp::TcpSegment& first) override;
    // Only FTP control and data connections, and those whose first bytes are still awaited to
    // tell, need their payload (as libtins' ignore_client_data() for the rest).
    bool wants_payload(const tcp::ConnectionInfo& c) override;
    void on_data(const tcp::ConnectionInfo& c, tcp::Direction d, std::uint64_t offset,
                 std::span<const std::uint8_t> bytes, std::uint64_t frame, tcp::TimeNs time) override;
    void on_gap(const tcp::ConnectionInfo& c, tcp::Direction d, std::uint64_t offset,
                std::uint64_t length, std::uint64_t frame, tcp::TimeNs time) override;
    void on_event(const tcp::ConnectionInfo& c, tcp::Direction d, tcp::TcpEvent e,
                  const tcp::TcpSegment& seg) override;
    void on_inconsistency(const tcp::ConnectionInfo& c, tcp::Direction d,
                          const tcp::InconsistentBytes& bytes, const tcp::TcpSegment& seg) override;
    void on_close(const tcp::ConnectionInfo& c, tcp::CloseReason why, std::uint64_t frame,
                  tcp::TimeNs time) override;

    // After the capture's last frame.
    void finish(std::uint64_t frame, tcp::TimeNs time);
    // The role a connection has been given so far (kTcp: not FTP, or not known yet).
    ConnRole role_of(std::uint64_t conn) const;

private:
    struct Conn {
        ConnRole role = ConnRole::kTcp;
        bool undecided = false;  // waiting for first bytes to tell whether it is FTP control
        bool handshake = false;
        std::uint64_t open_frame = 0;
        tcp::TimeNs open_time = 0;
        std::unique_ptr<ControlSession> control;
    };

    void open_as(const tcp::ConnectionInfo& c, Conn& conn, ConnRole role);
    void emit_tcp(const tcp::ConnectionInfo& c, tcp::Direction d, const tcp::TcpSegment& seg,
                  TcpAnalysisEvent body);
    void emit_conn(const tcp::ConnectionInfo& c, std::uint64_t frame, tcp::TimeNs time, EventBody body);

    EventSink& sink_;
    const AnalyzeOptions& options_;
    DataChannels data_;
    std::unordered_map<std::uint64_t, Conn> conns_;
};

}  // namespace ftpsim::analyzer
