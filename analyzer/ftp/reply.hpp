// FTP replies (RFC 959 §4.2): "NNN text" on one line, or "NNN-text" ... "NNN text" over several.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ftpsim::ftp {

struct Reply {
    int code = 0;
    std::string text;                // text of the first line after "NNN " or "NNN-"
    std::vector<std::string> lines;  // every line as received, codes included
    bool multiline = false;
    // Real-world variant: the closing "NNN " line carried another code than the opening one.
    bool mismatched_last_code = false;
    bool truncated = false;  // more lines than the assembler keeps; the rest were counted only
};

// "NNN " / "NNN-" / "NNN" at the start of a line: the code, or nullopt.
std::optional<int> reply_code_of(std::string_view line);

class ReplyAssembler {
public:
    enum class Status {
        kComplete,   // a reply is ready: take() it
        kNeedMore,   // inside a multi-line reply
        kNotAReply,  // the line neither starts nor continues a reply (an anomaly to report)
    };

    explicit ReplyAssembler(std::size_t max_lines = 1000);

    // Feeds one line of the server's stream. A multi-line reply ends at a line "NNN " with the
    // opening code; a line "MMM " with another code also ends it (some servers do that, and
    // waiting for the opening code would swallow every later reply), flagged as mismatched.
    Status feed(std::string_view line);
    Reply take();
    bool in_progress() const { return in_progress_; }
    // End of stream inside a multi-line reply: what was gathered, if anything.
    std::optional<Reply> flush();

private:
    std::size_t max_lines_;
    bool in_progress_ = false;
    bool ready_ = false;
    Reply current_;
};

}  // namespace ftpsim::ftp
