// The control-stream line splitter (RFC 959 §4.1.3 lines, LF-only ends, Telnet IAC, overlong
// lines). Property: the lines do not depend on how the stream was cut into segments (the input
// fed whole equals it fed in two pieces at a point the input chooses), and every line is within
// the limit and inside the stream.
#include <cstdint>
#include <vector>

#include "ftp/line_splitter.hpp"
#include "fuzz_input.hpp"

namespace {

constexpr std::size_t kMaxLine = 64;  // small, so overlong lines are common

std::vector<ftpsim::ftp::Line> split(std::span<const std::uint8_t> stream, std::size_t cut) {
    ftpsim::ftp::LineSplitter splitter(kMaxLine);
    std::vector<ftpsim::ftp::Line> lines;
    splitter.feed(stream.first(cut), lines);
    splitter.feed(stream.subspan(cut), lines);
    if (auto last = splitter.flush()) lines.push_back(*last);
    return lines;
}

bool same(const ftpsim::ftp::Line& a, const ftpsim::ftp::Line& b) {
    return a.text == b.text && a.start_offset == b.start_offset && a.end_offset == b.end_offset &&
           a.overlong == b.overlong && a.lf_only == b.lf_only && a.telnet == b.telnet &&
           a.unterminated == b.unterminated;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using ftpsim::fuzz::property_failed;
    ftpsim::fuzz::FuzzInput in(data, size);
    const std::size_t cut_choice = in.u16();
    const auto stream = in.rest();
    const std::string_view text = ftpsim::fuzz::text_of(stream);
    const auto whole = split(stream, stream.size());
    const auto cut = split(stream, stream.empty() ? 0 : cut_choice % (stream.size() + 1));
    if (whole.size() != cut.size()) property_failed("line count depends on the segment boundary", text);
    std::uint64_t previous_end = 0;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (!same(whole[i], cut[i])) property_failed("a line depends on the segment boundary", text);
        if (whole[i].text.size() > kMaxLine) property_failed("a line longer than the limit", text);
        if (whole[i].start_offset < previous_end || whole[i].end_offset < whole[i].start_offset ||
            whole[i].end_offset > stream.size())
            property_failed("line offsets out of order or outside the stream", text);
        previous_end = whole[i].end_offset;
    }

    // A gap (capture loss) in the middle: skip() and resume, bounded whatever follows.
    ftpsim::ftp::LineSplitter gapped(kMaxLine);
    std::vector<ftpsim::ftp::Line> lines;
    const std::size_t half = stream.size() / 2;
    gapped.feed(stream.first(half), lines);
    gapped.skip(cut_choice);
    gapped.feed(stream.subspan(half), lines);
    for (const auto& l : lines)
        if (l.text.size() > kMaxLine) property_failed("a line longer than the limit after a gap", text);
    return 0;
}
