#include "decode/analyzer.hpp"

#include "capture/capture_reader.hpp"
#include "capture/frame_decoder.hpp"
#include "decode/ftp_decoder.hpp"
#include "decode/packet_info.hpp"
#include "ftp/command.hpp"

namespace ftpsim::analyzer {

bool SecretRule::secret(std::string_view upper_verb, std::string_view arg) const {
    if (arg.empty()) return false;
    return ftp::is_secret_verb(upper_verb) || verbs.find(upper_verb) != verbs.end() ||
           arguments.find(arg) != arguments.end();
}

struct Analyzer::Impl {
    Impl(EventSink& s, AnalyzeOptions o, std::string c)
        : sink(s), options(std::move(o)), capture(std::move(c)), decoder(sink, options), tracker(decoder) {}

    void put(const capture::RawFrame& raw);
    void warn_frame(std::uint64_t number, const std::string& what) {
        sink.on_warning(capture + ": frame " + std::to_string(number) + ": " + what);
    }

    EventSink& sink;
    const AnalyzeOptions options;
    const std::string capture;
    FtpDecoder decoder;
    tcp::TcpTracker tracker;
    AnalyzeStats stats;
    std::uint64_t last_frame = 0;
    tcp::TimeNs last_time = 0;
    bool warned_snaplen = false;
};

void Analyzer::Impl::put(const capture::RawFrame& raw) {
    if (stats.frames == 0) sink.on_start(raw.time);
    ++stats.frames;
    stats.bytes += raw.bytes.size();
    last_frame = raw.number;
    last_time = raw.time;
    capture::DecodedFrame f = capture::decode_frame(raw, options.packet_summaries);
    if (!f.problem.empty()) warn_frame(raw.number, f.problem);
    if (f.cut_by_snaplen && f.tcp && f.tcp->captured_payload_missing > 0 && !warned_snaplen) {
        // One warning names the first such frame: a small snap length cuts every packet.
        warned_snaplen = true;
        warn_frame(raw.number, "cut by the snap length (" + std::to_string(raw.bytes.size()) + " of " +
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
        if (s.conn != nullptr) sink.on_segment(*f.tcp, s);
        if (options.packet_summaries && s.conn != nullptr) {
            PacketInfo pi = describe_tcp_packet(*f.tcp, s, decoder.role_of(s.conn->id), options);
            ps.protocol = pi.protocol;
            ps.info = pi.info;
        }
    }
    if (options.packet_summaries) sink.on_packet(ps);
}

Analyzer::Analyzer(EventSink& sink, AnalyzeOptions options, std::string capture)
    : impl_(std::make_unique<Impl>(sink, std::move(options), std::move(capture))) {}

Analyzer::~Analyzer() = default;

void Analyzer::put(const capture::RawFrame& frame) { impl_->put(frame); }

AnalyzeStats Analyzer::finish() {
    impl_->tracker.finish(impl_->last_frame, impl_->last_time);
    impl_->decoder.finish(impl_->last_frame, impl_->last_time);
    return impl_->stats;
}

AnalyzeStats analyze_file(const std::string& path, EventSink& sink, const AnalyzeOptions& options) {
    capture::CaptureReader reader(path, [&](const std::string& w) { sink.on_warning(w); });
    Analyzer analyzer(sink, options, path);
    capture::RawFrame raw;
    while (reader.next(raw)) analyzer.put(raw);
    return analyzer.finish();
}

}  // namespace ftpsim::analyzer
