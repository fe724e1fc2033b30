// The FTP application-level gateway of a virtual NAT (RFC 3022 §4.4 calls for one; RFC 959
// §4.1.2 PORT/227 and RFC 2428 §2-3 EPRT/229 are what it rewrites): finds the address a control
// segment announces, rewrites it to the translated one, opens an expectation so the data
// connection gets through, and shifts later sequence numbers by the length difference (and the
// peer's acknowledgements back). Each AlgVariant plants one failure seen in real devices
// (../shared/reference/nat-alg.md); kLinux follows nf_conntrack_ftp.c and nf_nat_ftp.c.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/vnet/nat.hpp"

namespace ftpsim::sim::vnet {

class FtpAlg {
public:
    FtpAlg(NatDevice& nat, AlgVariant variant) : nat_(nat), variant_(variant) {}

    enum class Outcome { kForward, kHold, kDrop };
    // A segment of control connection `c`, from the opener (`reply` false) or the other side,
    // before its addresses are translated. Rewrites announcements in its payload and adjusts its
    // seq and ack. kHold: kept until the rest of a split command arrives (the merged segment
    // is then put in `s` and kForward returned for that later segment).
    Outcome on_segment(const NatDevice::Conn& c, bool reply, Segment& s, std::int64_t now);

private:
    // One direction of a control connection.
    struct Direction {
        // Where the sequence space shifts: from after `pos` (original numbering) on, by
        // `offset` in all (correct ALGs: one point per rewrite). Linux keeps one point, with the
        // offset before and after it (nf_conntrack_seqadj.c).
        struct Correction {
            std::uint32_t pos;
            std::int32_t before, after;
        };
        std::vector<Correction> corrections;
        std::vector<std::uint32_t> line_starts;  // seqs that follow a line end (recent ones)
        bool started = false;                    // the first payload segment has been seen
        std::optional<Segment> held;             // the start of a split command
        // Segments rewritten, by seq: original and rewritten payload, so that a
        // retransmission is rewritten the same way.
        std::map<std::uint32_t, std::pair<std::string, std::string>> rewritten;
    };
    struct State {
        Direction dir[2];
        int announcements = 0;
    };
    std::int32_t seq_offset(const Direction& d, std::uint32_t seq) const;
    std::int32_t ack_offset(const Direction& d, std::uint32_t ack) const;
    void add_correction(Direction& d, std::uint32_t pos, std::int32_t delta);
    bool starts_line(Direction& d, std::uint32_t seq) const;
    void remember_line_start(Direction& d, std::uint32_t seq);
    // Rewrites the announcement in one complete line (without its line end) if it holds one;
    // the length difference, 0 when unchanged.
    std::int32_t rewrite_line(const NatDevice::Conn& c, bool reply, const Segment& s, std::string& line,
                              State& st, std::int64_t now);

    NatDevice& nat_;
    AlgVariant variant_;
    std::map<std::uint32_t, State> states_;  // by connection id
};

// Whether `text` starts with, or is the beginning of, an announcement the ALG watches in that
// direction: "PORT "/"EPRT " from the opener, "227 "/"229 " from the other side.
enum class AnnouncementPrefix { kNo, kPartial, kYes };
AnnouncementPrefix announcement_prefix(std::string_view text, bool reply);

}  // namespace ftpsim::sim::vnet
