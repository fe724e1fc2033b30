#include "decode/packet_info.hpp"

#include <string_view>

#include "ftp/command.hpp"
#include "ftp/escape.hpp"

namespace ftpsim::analyzer {
namespace {

std::string flag_list(std::uint8_t f) {
    static constexpr std::pair<std::uint8_t, const char*> names[] = {
        {tcp::kFin, "FIN"}, {tcp::kSyn, "SYN"}, {tcp::kRst, "RST"}, {tcp::kPsh, "PSH"},
        {tcp::kAck, "ACK"}, {tcp::kUrg, "URG"}, {tcp::kEce, "ECE"}, {tcp::kCwr, "CWR"}};
    std::string out;
    for (const auto& [bit, name] : names) {
        if ((f & bit) == 0) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return "[" + out + "]";
}

std::string first_line(std::span<const std::uint8_t> payload) {
    std::string_view s(reinterpret_cast<const char*>(payload.data()), payload.size());
    auto end = s.find_first_of("\r\n");
    return std::string(s.substr(0, end));
}

}  // namespace

PacketInfo describe_tcp_packet(const tcp::TcpSegment& seg, const tcp::SegmentSummary& summary,
                               ConnRole role, const AnalyzeOptions& options) {
    PacketInfo out;
    std::string prefix;
    for (int i = 0; i < tcp::kTcpEventCount; ++i) {
        auto ev = static_cast<tcp::TcpEvent>(i);
        if (summary.has(ev) && ev != tcp::TcpEvent::kRst)
            prefix += "[" + std::string(tcp::tcp_event_label(ev)) + "] ";
    }
    if (!seg.payload.empty() && role == ConnRole::kFtpControl && prefix.empty()) {
        out.protocol = "FTP";
        std::string line = first_line(seg.payload);
        bool request = summary.dir == tcp::Direction::kClientToServer;
        // The table describes segments, not lines (a segment may hold part of one), so it
        // applies the command events' rule to the line the segment starts with.
        if (request && !options.show_secrets) {
            auto cmd = ftp::parse_command(line);
            if (cmd && options.secrets.secret(cmd->verb, cmd->arg))
                line = line.substr(0, line.size() - cmd->arg.size()) + std::string(ftp::kSecretMask);
        }
        out.info = std::string(request ? "Request: " : "Response: ") + ftp::escape_bytes(line);
        return out;
    }
    if (!seg.payload.empty() && role == ConnRole::kFtpData && prefix.empty()) {
        out.protocol = "FTP-DATA";
        out.info = "FTP Data: " + std::to_string(seg.payload.size()) + " bytes";
        return out;
    }
    out.protocol = "TCP";
    out.info = prefix + std::to_string(seg.src.port) + " \u2192 " + std::to_string(seg.dst.port) +
               " " + flag_list(seg.flags) + " Seq=" + std::to_string(summary.relative_seq);
    if (seg.has(tcp::kAck)) out.info += " Ack=" + std::to_string(summary.relative_ack);
    out.info += " Win=" + std::to_string(summary.scaled_window) +
                " Len=" + std::to_string(seg.payload.size());
    if (seg.mss) out.info += " MSS=" + std::to_string(*seg.mss);
    if (seg.window_scale) out.info += " WS=" + std::to_string(1u << std::min<unsigned>(*seg.window_scale, 14));
    return out;
}

}  // namespace ftpsim::analyzer
