#include "sim/vnet/ftp_alg.hpp"

#include <cstdio>

#include "ftp/address_codec.hpp"

namespace ftpsim::sim::vnet {

namespace {

// RFC 9293 §3.4: sequence numbers compare modulo 2^32. a after b.
bool seq_after(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(b - a) < 0; }

bool starts_with_nocase(std::string_view text, std::string_view word) {
    if (text.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(text[i])) != word[i]) return false;
    return true;
}

// Linux prints an IPv6 EPRT address with %pI6: every group, four digits, no "::".
std::string uncompressed_v6(const net::IpAddress& a) {
    std::string out;
    char group[6];
    for (int i = 0; i < 8; ++i) {
        std::snprintf(group, sizeof group, "%s%02x%02x", i ? ":" : "", a.bytes[2 * i], a.bytes[2 * i + 1]);
        out += group;
    }
    return out;
}

std::string pasv_numbers(const net::Endpoint& ep) {
    const auto& b = ep.addr.bytes;
    return std::to_string(b[0]) + "," + std::to_string(b[1]) + "," + std::to_string(b[2]) + "," + std::to_string(b[3]) +
           "," + std::to_string(ep.port >> 8) + "," + std::to_string(ep.port & 0xff);
}

}  // namespace

AnnouncementPrefix announcement_prefix(std::string_view text, bool reply) {
    const std::string_view words[2] = {reply ? "227 " : "PORT ", reply ? "229 " : "EPRT "};
    for (const auto w : words) {
        if (starts_with_nocase(text, w)) return AnnouncementPrefix::kYes;
        if (!text.empty() && text.size() < w.size() && starts_with_nocase(text, w.substr(0, text.size())))
            return AnnouncementPrefix::kPartial;
    }
    return AnnouncementPrefix::kNo;
}

std::int32_t FtpAlg::seq_offset(const Direction& d, std::uint32_t seq) const {
    for (auto it = d.corrections.rbegin(); it != d.corrections.rend(); ++it)
        if (seq_after(seq, it->pos)) return it->after;
    return d.corrections.empty() ? 0 : d.corrections.front().before;
}

std::int32_t FtpAlg::ack_offset(const Direction& d, std::uint32_t ack) const {
    // The peer acknowledges in the shifted numbering; nf_ct_seq_adjust compares ack - before.
    for (auto it = d.corrections.rbegin(); it != d.corrections.rend(); ++it)
        if (seq_after(ack - static_cast<std::uint32_t>(it->before), it->pos)) return it->after;
    return d.corrections.empty() ? 0 : d.corrections.front().before;
}

void FtpAlg::add_correction(Direction& d, std::uint32_t pos, std::int32_t delta) {
    if (variant_ == AlgVariant::kLinux) {
        // nf_ct_seqadj_set: one correction point per direction, moved forward only.
        if (d.corrections.empty()) {
            d.corrections.push_back({pos, 0, delta});
            return;
        }
        auto& c = d.corrections.front();
        if (c.before == c.after || seq_after(pos, c.pos)) {
            c.pos = pos;
            c.before = c.after;
            c.after += delta;
        }
        return;
    }
    for (const auto& c : d.corrections)
        if (c.pos == pos) return;  // a retransmission of a segment already rewritten
    const std::int32_t before = d.corrections.empty() ? 0 : d.corrections.back().after;
    d.corrections.push_back({pos, before, before + delta});
}

bool FtpAlg::starts_line(Direction& d, std::uint32_t seq) const {
    for (auto s : d.line_starts)
        if (s == seq) return true;
    return false;
}

void FtpAlg::remember_line_start(Direction& d, std::uint32_t seq) {
    if (starts_line(d, seq)) return;
    // nf_conntrack_ftp remembers two (NUM_SEQ_TO_REMEMBER); a correct ALG follows the stream.
    const std::size_t keep = variant_ == AlgVariant::kLinux ? 2 : 16;
    if (d.line_starts.size() >= keep) d.line_starts.erase(d.line_starts.begin());
    d.line_starts.push_back(seq);
}

std::int32_t FtpAlg::rewrite_line(const NatDevice::Conn& c, bool reply, const Segment& s, std::string& line,
                                  State& st, std::int64_t now) {
    enum { kPort, kEprt, k227, k229 } kind;
    if (!reply && starts_with_nocase(line, "PORT ")) kind = kPort;
    else if (!reply && starts_with_nocase(line, "EPRT ")) kind = kEprt;
    else if (reply && line.rfind("227 ", 0) == 0) kind = k227;
    else if (reply && line.rfind("229 ", 0) == 0) kind = k229;
    else return 0;

    std::optional<net::Endpoint> announced;
    std::size_t span_pos = 5, span_len = line.size() - 5;  // the argument, for PORT and EPRT
    if (kind == kPort) {
        announced = ftp::parse_port_argument(std::string_view(line).substr(5));
    } else if (kind == kEprt) {
        announced = ftp::parse_eprt_argument(std::string_view(line).substr(5));
    } else {
        const auto found = kind == k227 ? ftp::find_pasv_endpoint(std::string_view(line).substr(4))
                                        : ftp::find_epsv_port(std::string_view(line).substr(4));
        if (found) {
            announced = found->endpoint;
            span_pos = 4 + found->pos;
            span_len = found->len;
        }
    }
    if (!announced) return 0;
    if (variant_ == AlgVariant::kFirstCommandOnly && st.announcements > 0) return 0;
    ++st.announcements;
    const net::IpAddress sender = s.src.addr;
    net::Endpoint real = *announced;
    if (kind == k229) real.addr = sender;  // RFC 2428 §3: the control connection's address
    // nf_conntrack_ftp (loose=0): an address other than the sender's gets no expectation and no
    // rewrite; a device must not open a hole towards a third host (RFC 2577 bounce).
    if (real.addr != sender) return 0;
    const net::IpAddress translated = reply ? c.orig_dst.addr : c.trans_src.addr;
    const net::IpAddress peer = reply ? c.orig_src.addr : c.trans_dst.addr;
    const net::IpAddress source_as = reply ? c.trans_src.addr : c.orig_dst.addr;
    const std::uint16_t port = nat_.free_port(translated, real.port);
    nat_.expect({peer, {translated, port}, real, source_as, c.id, now + nat_.expect_timeout()});
    net::Endpoint shown{translated, port};
    if (variant_ == AlgVariant::kWrongPort) shown.port = static_cast<std::uint16_t>(port + 1);
    // nf_nat_ftp rewrites even an unchanged value; the others leave the bytes alone.
    if (shown == real && variant_ != AlgVariant::kLinux) return 0;
    std::string text;
    switch (kind) {
        case kPort: text = pasv_numbers(shown); break;
        case kEprt: {
            const char d = line.size() > 5 ? line[5] : '|';
            const std::string addr = !shown.addr.v6 ? shown.addr.str()
                                     : variant_ == AlgVariant::kLinux ? uncompressed_v6(shown.addr) : shown.addr.str();
            text = std::string(1, d) + (shown.addr.v6 ? "2" : "1") + d + addr + d + std::to_string(shown.port) + d;
            break;
        }
        case k227: text = pasv_numbers(shown); break;
        case k229: {
            const char d = line[span_pos];
            text = std::string(3, d) + std::to_string(shown.port) + d;
            break;
        }
    }
    const auto old_len = static_cast<std::int32_t>(line.size());
    line.replace(span_pos, span_len, text);
    return static_cast<std::int32_t>(line.size()) - old_len;
}

FtpAlg::Outcome FtpAlg::on_segment(const NatDevice::Conn& c, bool reply, Segment& s, std::int64_t now) {
    State& st = states_[c.id];
    Direction& d = st.dir[reply ? 1 : 0];
    Direction& other = st.dir[reply ? 0 : 1];
    if (!s.payload.empty()) {
        if (d.held) {
            const Segment& h = *d.held;
            if (s.seq == h.seq + static_cast<std::uint32_t>(h.payload.size())) {
                // The rest of a split command: forwarded as one segment with the held start.
                Segment merged = h;
                merged.payload += s.payload;
                merged.flags = static_cast<std::uint8_t>(merged.flags | s.flags);
                merged.ack = s.ack;
                merged.window = s.window;
                merged.timestamps = s.timestamps;
                s = std::move(merged);
            }
            d.held.reset();
        }
        if (!d.started) {
            d.started = true;
            remember_line_start(d, s.seq);
        }
        const std::uint32_t seq0 = s.seq;
        const auto original_length = static_cast<std::uint32_t>(s.payload.size());
        const bool ends_line = s.payload.back() == '\n';
        std::int32_t delta = 0;
        if (const auto it = d.rewritten.find(seq0); it != d.rewritten.end() && it->second.first == s.payload) {
            // A retransmission of a segment already rewritten: the same bytes again, no new
            // expectation (the first one still stands).
            delta = static_cast<std::int32_t>(it->second.second.size()) - static_cast<std::int32_t>(original_length);
            s.payload = it->second.second;
        } else {
            const std::string original = s.payload;
            std::string& p = s.payload;
            std::size_t pos = 0;
            if (!starts_line(d, seq0)) {
                // Mid-line: Linux looks at nothing; a stream-following ALG resumes after the
                // next line end.
                const std::size_t nl = p.find('\n');
                pos = variant_ == AlgVariant::kLinux || nl == std::string::npos ? p.size() : nl + 1;
            }
            while (pos < p.size()) {
                const std::size_t nl = p.find('\n', pos);
                if (nl == std::string::npos) {
                    // A line cut by the segment's end: if it may be an announcement, Linux drops
                    // the segment hoping for a coalesced retransmission; a correct ALG waits for
                    // the rest.
                    if (announcement_prefix(std::string_view(p).substr(pos), reply) == AnnouncementPrefix::kNo) break;
                    if (variant_ == AlgVariant::kLinux || variant_ == AlgVariant::kDropSplitCommand) {
                        s.payload = original;
                        return Outcome::kDrop;
                    }
                    s.payload = original;
                    d.held = s;
                    return Outcome::kHold;
                }
                const std::size_t content_end = nl > pos && p[nl - 1] == '\r' ? nl - 1 : nl;
                std::string line = p.substr(pos, content_end - pos);
                const std::int32_t change = rewrite_line(c, reply, s, line, st, now);
                // A rewrite may keep the length (203,0,113,1 for 192,168,1,5): compare the text.
                if (p.compare(pos, content_end - pos, line) != 0) p.replace(pos, content_end - pos, line);
                delta += change;
                pos = nl + 1 + static_cast<std::size_t>(change);
                // nf_conntrack_ftp parses one command per segment, at its start.
                if (variant_ == AlgVariant::kLinux) break;
            }
            if (s.payload != original) d.rewritten[seq0] = {original, s.payload};
        }
        if (ends_line) remember_line_start(d, seq0 + original_length);
        if (delta != 0 && variant_ != AlgVariant::kNoSeqFixup) add_correction(d, seq0, delta);
    }
    // Sequence adjustment (nf_nat_seq_adjust): this direction's seq, the other's ack.
    s.seq += static_cast<std::uint32_t>(seq_offset(d, s.seq));
    if (s.has(kAck)) s.ack -= static_cast<std::uint32_t>(ack_offset(other, s.ack));
    return Outcome::kForward;
}

}  // namespace ftpsim::sim::vnet
