// FTP replies (RFC 959 §4.2): "NNN<SP>text" on one line, or a multi-line reply opened by
// "NNN-text" and closed by the first line "NNN<SP>text" with the same code.
#include "ftp/reply.hpp"

#include <utility>

namespace ftpsim::ftp {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The code of a line that closes a reply (single-line or last line): "NNN" alone or "NNN ".
std::optional<int> closing_code_of(std::string_view line) {
    const auto code = reply_code_of(line);
    if (!code || (line.size() > 3 && line[3] != ' ')) return std::nullopt;
    return code;
}

}  // namespace

std::optional<int> reply_code_of(std::string_view line) {
    if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2])) {
        return std::nullopt;
    }
    // RFC 959 §4.2.1: the first digit says positive preliminary (1) .. permanent negative (5).
    // Anything else (0yz, 6yz of RFC 2228's protected replies, 7yz+) is not taken as a reply.
    if (line[0] < '1' || line[0] > '5') return std::nullopt;
    // "NNN" must be followed by the separator, or end the line (a bare code is tolerated:
    // RFC 959 §4.2 makes the text optional in practice, and servers send "220" alone).
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-') return std::nullopt;
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}

ReplyAssembler::ReplyAssembler(std::size_t max_lines) : max_lines_(max_lines) {}

ReplyAssembler::Status ReplyAssembler::feed(std::string_view line) {
    if (!in_progress_) {
        const auto code = reply_code_of(line);
        if (!code) return Status::kNotAReply;
        // A reply not take()n yet is replaced: the caller drives one reply at a time.
        current_ = Reply{};
        ready_ = false;
        current_.code = *code;
        current_.text = std::string(line.size() > 4 ? line.substr(4) : std::string_view{});
        if (max_lines_ > 0) {
            current_.lines.emplace_back(line);
        } else {
            current_.truncated = true;
        }
        if (line.size() > 3 && line[3] == '-') {
            current_.multiline = true;
            in_progress_ = true;
            return Status::kNeedMore;
        }
        ready_ = true;
        return Status::kComplete;
    }

    // Inside a multi-line reply every line belongs to it (RFC 959 §4.2: continuation lines are
    // free text, and servers pad the ones starting with digits); only "NNN " ends it.
    if (current_.lines.size() < max_lines_) {
        current_.lines.emplace_back(line);
    } else {
        current_.truncated = true;  // counted as part of the reply, not stored
    }
    const auto closing = closing_code_of(line);
    if (!closing) return Status::kNeedMore;
    // Another code also ends it: some servers close with a different code, and waiting for the
    // opening one would swallow every later reply of the session.
    current_.mismatched_last_code = *closing != current_.code;
    in_progress_ = false;
    ready_ = true;
    return Status::kComplete;
}

Reply ReplyAssembler::take() {
    Reply out = ready_ ? std::move(current_) : Reply{};
    current_ = Reply{};
    ready_ = false;
    return out;
}

std::optional<Reply> ReplyAssembler::flush() {
    // A multi-line reply cut by the end of the stream is returned as gathered (still
    // multiline, no closing line); a complete reply not take()n yet is not lost either.
    if (!in_progress_ && !ready_) return std::nullopt;
    Reply out = std::move(current_);
    current_ = Reply{};
    in_progress_ = false;
    ready_ = false;
    return out;
}

}  // namespace ftpsim::ftp
