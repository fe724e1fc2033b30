// The analyzer's sink that turns each frame's decode into its sentence: it gathers what the
// analyzer reports while reading one frame (events, the TCP summary, the packet table's
// columns) into FrameFacts, with what earlier frames taught (which connection is a data
// connection, in which mode, for which transfer command), and asks packet_sentences.hpp for
// the sentence. Push a frame into the Analyzer, then take its sentence.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "annotate/frame_facts.hpp"
#include "decode/analyzer.hpp"

namespace ftpsim::annotate {

class FrameAnnotator : public analyzer::EventSink {
public:
    using WarningFn = std::function<void(const std::string&)>;
    explicit FrameAnnotator(WarningFn warn = {}) : warn_(std::move(warn)) {}

    // The Analyzer must be made with AnalyzeOptions::packet_summaries set (options() does),
    // since on_packet ends each frame.
    static analyzer::AnalyzeOptions options();

    // The sentence of the frame last pushed (empty before the first), and its facts.
    const std::string& sentence() const { return sentence_; }
    const FrameFacts& facts() const { return facts_; }
    // Every sentence so far, in frame order (for tests and small captures).
    const std::vector<std::string>& sentences() const { return all_; }
    void keep_all(bool keep) { keep_all_ = keep; }

    void on_event(const analyzer::Event& e) override;
    void on_segment(const tcp::TcpSegment& segment, const tcp::SegmentSummary& summary) override;
    void on_packet(const analyzer::PacketSummary& packet) override;
    void on_warning(const std::string& message) override {
        if (warn_) warn_(message);
    }

private:
    // A data connection's address announced on a control connection (PORT/EPRT, 227/229).
    struct Announcement {
        std::uint64_t control = 0;
        net::Endpoint endpoint;
        std::string mode;
    };
    struct ConnState {
        ConnFacts facts;
        std::uint64_t control = 0;  // data connections: their control connection (0: unknown)
        int handshake = 0;          // 1: SYN seen, 2: SYN/ACK seen, 3: done
        // Per direction (tcp::Direction): the acknowledgment number that covers its FIN, and
        // whether that ACK has been seen.
        std::uint32_t fin_end[2] = {0, 0};
        bool fin_acked[2] = {false, false};
    };

    void learn(const analyzer::Event& e);

    WarningFn warn_;
    std::map<std::uint64_t, ConnState> conns_;
    std::map<std::uint64_t, std::string> transfer_;  // control connection -> "RETR x"
    std::vector<Announcement> announced_;
    FrameFacts pending_;
    FrameFacts facts_;
    std::string sentence_;
    std::vector<std::string> all_;
    bool keep_all_ = true;
};

}  // namespace ftpsim::annotate
