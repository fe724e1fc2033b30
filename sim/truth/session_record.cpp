#include "sim/truth/session_record.hpp"

namespace ftpsim::sim::truth {

void ControlLedger::control_sent(std::uint32_t connection, bool from_client, std::uint64_t offset,
                                 std::string_view bytes, const std::vector<ControlMessage>& messages) {
    std::vector<SentLine>& out = lines_[{connection, from_client}];
    std::size_t begin = 0;
    for (const ControlMessage& m : messages) {
        SentLine line;
        line.begin = offset + begin;
        line.end = offset + m.end;
        line.bytes = std::string(bytes.substr(begin, m.end - begin));
        line.message = m;
        out.push_back(std::move(line));
        begin = m.end;
    }
}

const std::vector<SentLine>& ControlLedger::lines(std::uint32_t connection, bool from_client) const {
    static const std::vector<SentLine> kNone;
    const auto it = lines_.find({connection, from_client});
    return it == lines_.end() ? kNone : it->second;
}

bool ControlLedger::is_control(std::uint32_t connection) const {
    return lines_.count({connection, true}) != 0 || lines_.count({connection, false}) != 0;
}

void FrameLog::on_segment(std::int64_t time_ns, const vnet::Segment& s) {
    frames_.push_back(SentFrame{time_ns, s.connection, s.src, s.dst, s.seq, s.flags, s.notes,
                                static_cast<std::uint32_t>(s.payload.size())});
}

void TeeTap::on_frame(std::int64_t time_ns, std::span<const std::uint8_t> frame) {
    if (a_) a_->on_frame(time_ns, frame);
    if (b_) b_->on_frame(time_ns, frame);
}

void TeeTap::on_segment(std::int64_t time_ns, const vnet::Segment& s) {
    if (a_) a_->on_segment(time_ns, s);
    if (b_) b_->on_segment(time_ns, s);
}

}  // namespace ftpsim::sim::truth
