// One FTP control connection: splits both directions into lines, decodes commands and replies,
// pairs every reply with its command, and tells the data-channel tracker about PORT/EPRT,
// 227/229, REST, SIZE and transfer commands.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "decode/analyzer.hpp"
#include "decode/data_channels.hpp"
#include "decode/frame_map.hpp"
#include "ftp/address_codec.hpp"
#include "ftp/command.hpp"
#include "ftp/line_splitter.hpp"
#include "ftp/reply.hpp"
#include "tcp/tcp_tracker.hpp"

namespace ftpsim::analyzer {

// Whether a stretch of stream that follows a gap begins like a command or reply line.
bool looks_like_line_start(tcp::Direction dir, std::span<const std::uint8_t> bytes);

class ControlSession {
public:
    ControlSession(const tcp::ConnectionInfo& conn, EventSink& sink, DataChannels& data,
                   const AnalyzeOptions& options);

    // `offset` is the stream offset of bytes[0].
    void on_data(tcp::Direction dir, std::uint64_t offset, std::span<const std::uint8_t> bytes,
                 std::uint64_t frame, tcp::TimeNs time);
    void on_gap(tcp::Direction dir, std::uint64_t offset, std::uint64_t length,
                std::uint64_t frame, tcp::TimeNs time);
    // End of the connection (or of the capture): flush partial lines, report unanswered commands.
    void on_close(std::uint64_t frame, tcp::TimeNs time);

private:
    struct Pending {
        std::string verb, arg;
        std::uint64_t frame = 0;
    };

    void handle_command(const ftp::Line& line, std::uint64_t first_frame, std::uint64_t frame,
                        tcp::TimeNs time);
    void handle_reply(ftp::Reply reply, std::uint64_t frame, tcp::TimeNs time);
    // `announced`: the endpoint of a 227/229 reply, as its event carries it.
    void after_reply(const Pending& to, const ftp::Reply& reply,
                     const std::optional<ftp::FoundEndpoint>& announced, std::uint64_t frame,
                     tcp::TimeNs time);
    // Keeps a command for pairing with its reply, unless max_pending_commands already wait.
    void remember_pending(Pending command, tcp::TimeNs time);
    void emit(std::uint64_t frame, tcp::TimeNs time, bool from_client, EventBody body);
    void anomaly(std::uint64_t frame, tcp::TimeNs time, bool from_client, std::string what,
                 std::string detail);
    void line_anomalies(const ftp::Line& line, std::uint64_t frame, tcp::TimeNs time, bool from_client);

    ControlEndpoints ends_;
    EventSink& sink_;
    const AnalyzeOptions& options_;
    DataChannels& data_;
    ftp::LineSplitter client_lines_;
    ftp::LineSplitter server_lines_;
    ftp::ReplyAssembler replies_;
    std::vector<ftp::Line> scratch_;
    std::vector<std::uint64_t> line_first_frames_;  // per line of scratch_: the frame it began in
    FrameMap client_frames_, server_frames_;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> reply_line_frames_;  // reply in progress
    std::deque<Pending> pending_;  // commands sent and not yet answered with a final reply
                                   // (at most options_.max_pending_commands)
    bool told_too_many_pending_ = false;
    bool greeted_ = false;
    bool told_lf_only_[2] = {false, false};
    std::uint64_t rest_ = 0;                        // REST offset accepted (350) for the next transfer
    std::map<std::string, std::uint64_t> sizes_;    // SIZE path -> 213 answer (RFC 3659 §4)
};

}  // namespace ftpsim::analyzer
