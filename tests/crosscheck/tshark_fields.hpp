// Running tshark from the cross-check tests: fields of the frames a display filter selects, and
// the error-level expert information of a capture. tshark is run through popen; every function
// quotes the capture path for the shell, so paths must not contain a single quote.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/ci.hpp"

namespace ftpsim::crosscheck {

// CI=true: a missing tool or capture is a broken setup, not a reason to skip.
using testsupport::in_ci;
bool have_tshark();

// One row per frame the filter selects, one string per field (occurrence=f: the first value of a
// field that occurs more than once; FT_NONE fields such as tcp.analysis.* give "1" when present).
std::vector<std::vector<std::string>> tshark_fields(const std::string& capture,
                                                    const std::string& filter,
                                                    const std::vector<std::string>& fields,
                                                    const std::string& extra_options = "");

// What tshark has to complain about a capture: the frames with error-level expert information
// (malformed packets, and bad IP/TCP checksums with checksum validation on), and anything it
// printed on stderr or a non-zero exit status (a file it cannot open or that is cut short).
struct ExpertError {
    std::uint64_t frame = 0;
    std::string message;  // the error-level item's message ("Bad checksum [should be 0x88b7]")
};
struct TsharkErrors {
    std::vector<ExpertError> expert;
    std::vector<std::string> tool;  // stderr lines and the exit status, when not clean
};
TsharkErrors tshark_errors(const std::string& capture, bool check_checksums);

// One tshark run over a capture that gives what the checks ask of it: the fields of the frames
// carrying a protocol, and the errors above. Reading a capture once instead of once per check
// (tshark starts in about a second) is what keeps the scenario cross-check, some 120 captures,
// within CI's time. Checksum validation is on when asked; it flags bad checksums and changes
// no field.
class TsharkView {
public:
    // `fields`: every field select() will be asked for. `options`: e.g. "-d tcp.port==N,ftp".
    TsharkView(const std::string& capture, const std::vector<std::string>& fields,
               const std::string& options, bool check_checksums);

    // What tshark_fields(capture, protocol, fields) gives (the display filter being a protocol
    // name such as "ftp" or "tcp"): the first value of each field, for each frame that protocol
    // is in.
    std::vector<std::vector<std::string>> select(const std::string& protocol,
                                                 const std::vector<std::string>& fields) const;
    const TsharkErrors& errors() const { return errors_; }

private:
    std::vector<std::string> columns_;
    // Per frame, per column, every occurrence of the field.
    std::vector<std::vector<std::vector<std::string>>> frames_;
    TsharkErrors errors_;
};

}  // namespace ftpsim::crosscheck
