// Everything the generator knows about one virtual-network run, collected while it runs: what
// the engines meant by each control line (a SessionLedger) and what crossed one capture point,
// segment by segment (a FrameTap). ground_truth.hpp turns the two into per-frame truth.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/vnet/frame_tap.hpp"
#include "sim/vnet/session_ledger.hpp"
#include "sim/vnet/wire.hpp"

namespace ftpsim::sim::truth {

// One control line as its writer meant it, placed in its connection's byte stream.
struct SentLine {
    std::uint64_t begin = 0, end = 0;  // stream offsets; `end` is just past the line end
    std::string bytes;                 // the line as written, line end included
    ControlMessage message;
};

class ControlLedger : public vnet::SessionLedger {
public:
    void control_sent(std::uint32_t connection, bool from_client, std::uint64_t offset,
                      std::string_view bytes, const std::vector<ControlMessage>& messages) override;

    // Lines written on `connection` by the client (from_client) or the server, in stream order.
    const std::vector<SentLine>& lines(std::uint32_t connection, bool from_client) const;
    bool is_control(std::uint32_t connection) const;

private:
    std::map<std::pair<std::uint32_t, bool>, std::vector<SentLine>> lines_;
};

// One frame at the capture point, as the simulator sent it: what the truth needs of its segment
// (not the payload bytes, only their count).
struct SentFrame {
    std::int64_t time_ns = 0;
    std::uint32_t connection = 0;
    net::Endpoint src, dst;
    std::uint32_t seq = 0;
    std::uint8_t flags = 0;  // vnet::TcpFlags
    std::uint8_t notes = 0;  // vnet::SegmentNote bits
    std::uint32_t payload = 0;
    bool has(vnet::TcpFlags f) const { return (flags & f) != 0; }
};

class FrameLog : public vnet::FrameTap {
public:
    void on_frame(std::int64_t, std::span<const std::uint8_t>) override {}
    void on_segment(std::int64_t time_ns, const vnet::Segment& s) override;
    const std::vector<SentFrame>& frames() const { return frames_; }

private:
    std::vector<SentFrame> frames_;
};

// Hands every frame to two taps (a capture point's checks and its FrameLog).
class TeeTap : public vnet::FrameTap {
public:
    TeeTap(vnet::FrameTap* a, vnet::FrameTap* b) : a_(a), b_(b) {}
    void on_frame(std::int64_t time_ns, std::span<const std::uint8_t> frame) override;
    void on_segment(std::int64_t time_ns, const vnet::Segment& s) override;

private:
    vnet::FrameTap* a_;
    vnet::FrameTap* b_;
};

}  // namespace ftpsim::sim::truth
