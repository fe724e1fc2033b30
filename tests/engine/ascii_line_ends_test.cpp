// TYPE A line-end conversion in both directions, fed whole and split at every offset (a CR and
// its LF in different slices must convert as if together).
#include <gtest/gtest.h>

#include "sim/engine/ascii_line_ends.hpp"

namespace ftpsim::sim {
namespace {

std::string to_network(std::string_view in, std::size_t split) {
    ToNetworkLineEnds c;
    std::string out;
    c.convert(in.substr(0, split), out);
    c.convert(in.substr(split), out);
    return out;
}

std::string from_network(std::string_view in, std::size_t split) {
    FromNetworkLineEnds c;
    std::string out;
    auto bytes = [](std::string_view s) { return std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); };
    c.convert(bytes(in.substr(0, split)), out);
    c.convert(bytes(in.substr(split)), out);
    c.finish(out);
    return out;
}

TEST(AsciiLineEnds, FileToNetworkAtEverySplit) {
    const std::string file = "a\nbb\r\n\n\rc\r\nlast";
    const std::string wire = "a\r\nbb\r\n\r\n\rc\r\nlast";
    for (std::size_t k = 0; k <= file.size(); ++k) EXPECT_EQ(to_network(file, k), wire) << "split at " << k;
}

TEST(AsciiLineEnds, NetworkToFileAtEverySplit) {
    const std::string wire = "a\r\nbb\r\r\n\rc\nend\r";
    const std::string file = "a\nbb\r\n\rc\nend\r";  // a lone CR stays, also the last byte
    for (std::size_t k = 0; k <= wire.size(); ++k) EXPECT_EQ(from_network(wire, k), file) << "split at " << k;
}

TEST(AsciiLineEnds, RoundTripOfUnixText) {
    const std::string text = "line one\nline two\n\nline four\n";
    for (std::size_t k = 0; k <= text.size(); ++k) {
        const std::string wire = to_network(text, k);
        EXPECT_EQ(from_network(wire, k), text) << k;
    }
}

}  // namespace
}  // namespace ftpsim::sim
