// The analyzer's sink that builds a Lesson while a capture is read: lanes from the connections
// it opens, arrows from commands, replies, TCP flags and tcp.analysis events, data segments
// merged per run, and the packet table. It drives annotate::FrameAnnotator alongside, so every
// row and arrow carries the same sentence `ftpsim annotate` writes for its frame.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "annotate/frame_annotator.hpp"
#include "decode/analyzer.hpp"
#include "explain/lesson.hpp"

namespace ftpsim::explain {

class LessonBuilder : public analyzer::EventSink {
public:
    using WarningFn = std::function<void(const std::string&)>;
    explicit LessonBuilder(WarningFn warn = {});

    // What the Analyzer must be made with (packet summaries on, secrets masked).
    static analyzer::AnalyzeOptions options();

    void on_start(tcp::TimeNs first_frame_time) override;
    void on_event(const analyzer::Event& e) override;
    void on_segment(const tcp::TcpSegment& segment, const tcp::SegmentSummary& summary) override;
    void on_packet(const analyzer::PacketSummary& packet) override;
    void on_warning(const std::string& message) override;

    // After Analyzer::finish(): the lesson, with times, notes and explanations filled in.
    Lesson finish(std::string title, std::string capture_name);

private:
    // A data connection's address, announced by an arrow (PORT/EPRT, 227/229).
    struct Announcement {
        net::Endpoint endpoint;
        std::size_t arrow = 0;
        std::string mode;
        bool used = false;
    };
    // A TCP moment whose sentence waits for the lane to be complete (its transfer is known
    // only when the transfer ends).
    struct PendingMoment {
        std::size_t moment = 0;
        std::optional<tcp::TcpEvent> event;  // none: "handshake", "fin" or "rst" by name
        bool from_client = true;
        std::uint64_t repeats = 0;
    };
    struct PendingAddress {
        std::size_t arrow = 0;
        analyzer::Event event;
    };
    struct DataRun {
        std::uint64_t bytes = 0, segments = 0;
    };

    std::size_t open_lane(const analyzer::Event& e, const analyzer::ConnOpen& open);
    std::size_t lane_for(const tcp::TcpSegment& segment, const tcp::SegmentSummary& summary);
    std::size_t add_arrow(Arrow arrow);
    void add_moment(std::size_t lane, std::uint64_t frame, const std::string& name,
                    std::optional<tcp::TcpEvent> event, bool from_client);
    void add_tcp_arrow(std::size_t lane, bool from_client, std::uint64_t frame, std::string label,
                       std::string event);
    void add_data(std::size_t lane, bool from_client, std::uint64_t frame, std::uint64_t bytes);
    void on_command(const analyzer::Event& e, const analyzer::CommandEvent& command);
    void on_reply(const analyzer::Event& e, const analyzer::ReplyEvent& reply);
    std::int64_t time_of(std::uint64_t frame) const;
    const std::string& sentence_of(std::uint64_t frame) const;

    WarningFn warn_;
    annotate::FrameAnnotator annotator_;
    tcp::TimeNs start_ = 0;
    bool started_ = false;
    Lesson lesson_;
    std::map<std::uint64_t, std::size_t> lane_of_conn_;
    std::vector<std::optional<std::size_t>> last_arrow_of_lane_;
    std::map<std::size_t, std::size_t> open_run_;  // lane -> the arrow of its latest data run
    std::map<std::size_t, DataRun> data_runs_;     // data arrow -> what it merged
    std::vector<Announcement> announcements_;
    std::vector<PendingMoment> moments_;
    std::map<std::pair<std::size_t, std::string>, std::size_t> moment_of_;  // (lane, name)
    std::vector<PendingAddress> addresses_;
    std::map<std::uint64_t, analyzer::DataEvent> transfers_;  // data conn -> its transfer
    std::map<int, std::size_t> reply_code_index_;
};

}  // namespace ftpsim::explain
