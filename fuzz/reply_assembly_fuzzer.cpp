// Multi-line reply assembly (RFC 959 §4.2: "NNN-" ... "NNN "), lines from the splitter as the
// analyzer and the client engine take them. Property: every reply taken has a three-digit code
// and at least one line, and a bounded assembler never keeps more lines than its limit.
#include <cstdint>
#include <vector>

#include "ftp/line_splitter.hpp"
#include "ftp/reply.hpp"
#include "fuzz_input.hpp"

namespace {

void check(const ftpsim::ftp::Reply& r, std::string_view input) {
    if (r.code < 100 || r.code > 999) ftpsim::fuzz::property_failed("a reply code outside 100-999", input);
    if (r.lines.empty()) ftpsim::fuzz::property_failed("a reply without lines", input);
    if (r.lines.size() > 16) ftpsim::fuzz::property_failed("more lines kept than the limit", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    ftpsim::ftp::LineSplitter splitter(256);
    std::vector<ftpsim::ftp::Line> lines;
    splitter.feed({data, size}, lines);
    if (auto last = splitter.flush()) lines.push_back(*last);
    ftpsim::ftp::ReplyAssembler assembler(16);
    for (const auto& line : lines) {
        if (assembler.feed(line.text) == ftpsim::ftp::ReplyAssembler::Status::kComplete) check(assembler.take(), input);
    }
    if (auto partial = assembler.flush()) {
        if (partial->lines.size() > 16) ftpsim::fuzz::property_failed("more lines kept than the limit", input);
    }
    return 0;
}
