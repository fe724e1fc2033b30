#include "sim/engine/ascii_line_ends.hpp"

namespace ftpsim::sim {

void ToNetworkLineEnds::convert(std::string_view in, std::string& out) {
    out.reserve(out.size() + in.size() + in.size() / 16);
    // Copies the runs between line feeds whole; only an LF decides anything.
    std::size_t from = 0;
    while (from < in.size()) {
        const std::size_t lf = in.find('\n', from);
        const std::size_t end = lf == std::string_view::npos ? in.size() : lf;
        if (end > from) {
            out.append(in, from, end - from);
            prev_cr_ = in[end - 1] == '\r';
        }
        if (lf == std::string_view::npos) break;
        if (!prev_cr_) out.push_back('\r');
        out.push_back('\n');
        prev_cr_ = false;
        from = lf + 1;
    }
}

void FromNetworkLineEnds::convert(std::span<const std::uint8_t> in, std::string& out) {
    out.reserve(out.size() + in.size() + 1);
    for (const std::uint8_t b : in) {
        if (pending_cr_) {
            pending_cr_ = false;
            if (b != '\n') out.push_back('\r');
        }
        if (b == '\r') {
            pending_cr_ = true;
        } else {
            out.push_back(static_cast<char>(b));
        }
    }
}

void FromNetworkLineEnds::finish(std::string& out) {
    if (pending_cr_) out.push_back('\r');
    pending_cr_ = false;
}

}  // namespace ftpsim::sim
