// Line splitting of an FTP control stream: a Telnet layer (RFC 854) that removes IAC commands,
// under an NVT line layer (RFC 959 §4.1.3) that cuts lines at CRLF or at a bare LF.
#include "ftp/line_splitter.hpp"

#include <string>
#include <utility>

namespace ftpsim::ftp {
namespace {

// RFC 854 "TELNET COMMAND STRUCTURE" codes that matter here.
constexpr std::uint8_t kIac = 255;
constexpr std::uint8_t kWill = 251;  // WILL, WONT (252), DO (253), DONT (254) take an option byte
constexpr std::uint8_t kSe = 240;    // SE .. SB (250): the two-byte commands
constexpr std::uint8_t kCr = '\r';
constexpr std::uint8_t kLf = '\n';

// Telnet parser states (LineSplitter::iac_state_); an int in the header, named here.
constexpr int kData = 0;       // plain data
constexpr int kAfterIac = 1;   // saw IAC, waiting for the command byte
constexpr int kOption = 2;     // saw IAC WILL/WONT/DO/DONT, waiting for the option byte

}  // namespace

LineSplitter::LineSplitter(std::size_t max_line) : max_line_(max_line) {}

bool LineSplitter::has_partial() const {
    // Bytes of the current line were consumed (text, a pending CR or a Telnet command): the
    // stream is mid-line. After skip() the bytes until the next line end are discarded, so
    // nothing is pending.
    return !resyncing_ && offset_ > partial_start_;
}

void LineSplitter::feed(std::span<const std::uint8_t> bytes, std::vector<Line>& out) {
    // The line layer: sees only data bytes, the Telnet layer below has removed the commands.
    const auto append = [this](std::uint8_t b) {
        if (partial_.size() < max_line_) {
            partial_.push_back(static_cast<char>(b));
        } else {
            partial_overlong_ = true;  // counted by the offsets, not stored: memory stays bounded
        }
    };
    const auto end_line = [&](std::uint64_t lf_at, bool lf_only) {
        Line line;
        line.text = std::move(partial_);
        line.start_offset = partial_start_;
        line.end_offset = lf_at + 1;
        line.overlong = partial_overlong_;
        line.lf_only = lf_only;
        line.telnet = partial_telnet_;
        out.push_back(std::move(line));
        partial_.clear();
        partial_start_ = lf_at + 1;
        partial_overlong_ = false;
        partial_telnet_ = false;
    };
    const auto put_data = [&](std::uint8_t b, std::uint64_t at) {
        if (saw_cr_) {
            saw_cr_ = false;
            if (b == kLf) {
                end_line(at, /*lf_only=*/false);
                return;
            }
            // RFC 959 §4.1.3 / RFC 854 NVT: a CR not followed by LF is no line end; keep it.
            append(kCr);
        }
        if (b == kCr) {
            saw_cr_ = true;  // undecided until the next data byte, maybe in the next feed()
        } else if (b == kLf) {
            end_line(at, /*lf_only=*/true);  // bare LF: not NVT, but common in real traffic
        } else {
            append(b);
        }
    };

    for (const std::uint8_t b : bytes) {
        const std::uint64_t here = offset_++;  // offsets count every raw byte, IAC bytes included

        if (resyncing_) {
            // After a gap the bytes before the next line end belong to a line whose start was
            // lost; the Telnet state is unknown there too, so only a raw LF resynchronises.
            if (b == kLf) {
                resyncing_ = false;
                partial_start_ = offset_;
            }
            continue;
        }

        if (iac_state_ == kAfterIac) {
            iac_state_ = kData;
            if (b == kIac) {
                put_data(kIac, here);  // IAC IAC: the escaped data byte 255 (RFC 854)
            } else if (b >= kWill) {
                iac_state_ = kOption;  // WILL/WONT/DO/DONT: one option byte follows
                partial_telnet_ = true;
            } else if (b >= kSe) {
                // Two-byte commands (IP, DM, AO, AYT, EC, EL, GA, NOP, SB, SE, ...) are
                // dropped. SB is not taken as the start of a subnegotiation skipped up to
                // IAC SE: FTP never negotiates options, and a stray SB would swallow the rest
                // of the stream.
                partial_telnet_ = true;
            } else {
                // IAC before a byte that is no Telnet command: an unescaped 0xFF sent as data
                // (a Latin-1 file name, say). Keep both bytes as they were.
                put_data(kIac, here);
                put_data(b, here);
            }
        } else if (iac_state_ == kOption) {
            iac_state_ = kData;  // the option byte, whatever its value, belongs to the command
        } else if (b == kIac) {
            iac_state_ = kAfterIac;  // may complete in the next feed() (ABOR's IP/DM split)
        } else {
            put_data(b, here);
        }
    }
}

void LineSplitter::start_fresh(bool resync) {
    partial_.clear();
    partial_start_ = offset_;
    partial_overlong_ = false;
    partial_telnet_ = false;
    saw_cr_ = false;
    iac_state_ = kData;
    resyncing_ = resync;
}

void LineSplitter::skip(std::uint64_t length) {
    if (length == 0) return;  // nothing was lost: the line in progress is still whole
    offset_ += length;
    start_fresh(true);
}

std::optional<Line> LineSplitter::flush() {
    std::optional<Line> result;
    if (has_partial()) {
        // The stream ended: a CR still waiting for its LF and an IAC still waiting for its
        // command byte were data after all, since nothing can complete them any more.
        std::string tail;
        if (saw_cr_) tail.push_back(static_cast<char>(kCr));
        if (iac_state_ == kAfterIac) tail.push_back(static_cast<char>(kIac));
        for (const char c : tail) {
            if (partial_.size() < max_line_) {
                partial_.push_back(c);
            } else {
                partial_overlong_ = true;
            }
        }
        Line line;
        line.text = std::move(partial_);
        line.start_offset = partial_start_;
        line.end_offset = offset_;
        line.overlong = partial_overlong_;
        line.telnet = partial_telnet_ || iac_state_ == kOption;
        line.unterminated = true;
        result = std::move(line);
    }
    start_fresh(false);
    return result;
}

}  // namespace ftpsim::ftp
