#include "decode/analyzer.hpp"

#include "capture/capture_reader.hpp"
#include "capture/frame_decoder.hpp"
#include "decode/ftp_decoder.hpp"
#include "decode/packet_info.hpp"

namespace ftpsim::analyzer {

AnalyzeStats analyze_file(const std::string& path, EventSink& sink, const AnalyzeOptions& options) {
    capture::CaptureReader reader(path, [&](const std::string& w) { sink.on_warning(w); });
    FtpDecoder decoder(sink, options.max_line);
    tcp::TcpTracker tracker(decoder);

    AnalyzeStats stats;
    capture::RawFrame raw;
    std::uint64_t last_frame = 0;
    tcp::TimeNs last_time = 0;
    bool warned_snaplen = false;
    while (reader.next(raw)) {
        ++stats.frames;
        stats.bytes += raw.bytes.size();
        if (raw.number == 1) sink.on_start(raw.time);
        last_frame = raw.number;
        last_time = raw.time;
        capture::DecodedFrame f = capture::decode_frame(reader.link_type(), raw, options.packet_summaries);
        if (!f.problem.empty())
            sink.on_warning(path + ": frame " + std::to_string(raw.number) + ": " + f.problem);
        if (f.cut_by_snaplen && f.tcp && f.tcp->captured_payload_missing > 0 && !warned_snaplen) {
            // One warning names the first such frame: a small snap length cuts every packet.
            warned_snaplen = true;
            sink.on_warning(path + ": frame " + std::to_string(raw.number) + ": cut by the snap length (" +
                            std::to_string(raw.bytes.size()) + " of " +
                            std::to_string(raw.wire_length) +
                            " bytes captured); the missing bytes are reported as gaps");
        }
        PacketSummary ps;
        if (options.packet_summaries) {
            ps.frame = raw.number;
            ps.time = raw.time;
            ps.length = raw.wire_length;
            ps.source = f.source;
            ps.destination = f.destination;
            ps.protocol = f.protocol;
            ps.info = f.info;
        }
        if (f.tcp) {
            tcp::SegmentSummary s = tracker.process(*f.tcp);
            if (options.packet_summaries && s.conn != nullptr) {
                PacketInfo pi = describe_tcp_packet(*f.tcp, s, decoder.role_of(s.conn->id),
                                                    options.show_secrets);
                ps.protocol = pi.protocol;
                ps.info = pi.info;
            }
        }
        if (options.packet_summaries) sink.on_packet(ps);
    }
    tracker.finish(last_frame, last_time);
    decoder.finish(last_frame, last_time);
    return stats;
}

}  // namespace ftpsim::analyzer
