// The analyzer fed frames directly, as the virtual network's tap feeds it, so that the mutator
// works on TCP and FTP rather than on a file format. Input, per frame: a control byte, a length
// byte, then that many bytes. Control bit 0x80: the bytes overwrite the TCP header and what
// follows (any flags, numbers, options); otherwise they are the payload of a well-formed segment
// whose sequence numbers continue its direction's, so FTP text in a seed decodes as a session.
// Bit 0x40: server to client. Bits 0x3f: milliseconds since the previous frame.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "capture/frame.hpp"
#include "decode/analyzer.hpp"
#include "fuzz_input.hpp"

namespace {

class NullSink : public ftpsim::analyzer::EventSink {
public:
    void on_event(const ftpsim::analyzer::Event&) override {}
    void on_warning(const std::string&) override {}
};

// Ethernet (IPv4), IPv4 192.0.2.10 -> 192.0.2.1, TCP 40000 -> 21, ACK|PSH, window 65535.
constexpr std::array<std::uint8_t, 54> kTemplate = {
    0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00,
    0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 10, 192, 0, 2, 1,
    0x9c, 0x40, 0, 21, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0};

void put_be16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put_be32(std::uint8_t* p, std::uint32_t v) {
    put_be16(p, v >> 16);
    put_be16(p + 2, v);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    ftpsim::fuzz::FuzzInput in(data, size);
    NullSink sink;
    ftpsim::analyzer::AnalyzeOptions options;
    options.packet_summaries = true;
    options.max_line = 128;
    ftpsim::analyzer::Analyzer analyzer(sink, options, "fuzz");
    std::int64_t time = 1'700'000'000'000'000'000;
    std::uint64_t number = 0;
    std::array<std::uint32_t, 2> next_seq = {1, 1};  // client, server
    std::array<std::uint8_t, 54 + 255> frame{};
    while (!in.empty() && number < 4096) {
        const std::uint8_t control = in.byte();
        const auto body = in.bytes(in.byte());
        const bool raw_tcp = control & 0x80;
        const int dir = (control & 0x40) ? 1 : 0;
        std::copy(kTemplate.begin(), kTemplate.end(), frame.begin());
        if (dir == 1) {  // swap addresses and ports
            std::swap_ranges(frame.begin() + 26, frame.begin() + 30, frame.begin() + 30);
            std::swap_ranges(frame.begin() + 34, frame.begin() + 36, frame.begin() + 36);
        }
        if (!raw_tcp) {
            put_be32(&frame[38], next_seq[dir]);
            put_be32(&frame[42], next_seq[1 - dir]);
            next_seq[dir] += static_cast<std::uint32_t>(body.size());
        }
        const std::size_t from = raw_tcp ? 34 : 54;
        std::copy(body.begin(), body.end(), frame.begin() + static_cast<std::ptrdiff_t>(from));
        const std::size_t captured = std::max(kTemplate.size(), from + body.size());
        put_be16(&frame[16], static_cast<std::uint32_t>(captured - 14));  // IPv4 total length
        time += (control & 0x3f) * 1'000'000;
        ftpsim::capture::RawFrame raw;
        raw.number = ++number;
        raw.time = time;
        raw.wire_length = static_cast<std::uint32_t>(captured);
        raw.bytes = std::span<const std::uint8_t>(frame.data(), captured);
        analyzer.put(raw);
    }
    analyzer.finish();
    return 0;
}
