// LineSplitter: line ends, Telnet IAC removal, bounded memory, gaps, and the same lines whatever
// the stream's cut into feed() calls.
#include "ftp/line_splitter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ftpsim::ftp {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Every field of a line, for comparisons with readable failure messages.
std::string describe(const Line& l) {
    std::ostringstream os;
    os << '[';
    for (const unsigned char c : l.text) {
        if (c >= 0x20 && c < 0x7f) {
            os << c;
        } else {
            os << "\\x" << std::hex << static_cast<int>(c) << std::dec;
        }
    }
    os << "] " << l.start_offset << '-' << l.end_offset << (l.overlong ? " overlong" : "")
       << (l.lf_only ? " lf" : "") << (l.telnet ? " telnet" : "")
       << (l.unterminated ? " unterminated" : "");
    return os.str();
}

std::vector<std::string> describe_all(const std::vector<Line>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) out.push_back(describe(l));
    return out;
}

// Feeds the stream in the pieces given by `cuts` (offsets, ascending), then flushes.
std::vector<Line> split_at(std::string_view stream, const std::vector<std::size_t>& cuts,
                           std::size_t max_line = 8192) {
    LineSplitter splitter(max_line);
    std::vector<Line> lines;
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        splitter.feed(bytes_of(stream.substr(from, cut - from)), lines);
        from = cut;
    }
    splitter.feed(bytes_of(stream.substr(from)), lines);
    if (auto last = splitter.flush()) lines.push_back(std::move(*last));
    EXPECT_EQ(splitter.offset(), stream.size());
    return lines;
}

std::vector<Line> split_whole(std::string_view stream, std::size_t max_line = 8192) {
    return split_at(stream, {}, max_line);
}

// The Boost.Beast way: the result must not depend on where TCP cut the stream.
void expect_split_invariant(std::string_view stream, std::size_t max_line = 8192) {
    const auto whole = describe_all(split_whole(stream, max_line));
    for (std::size_t i = 0; i <= stream.size(); ++i) {
        ASSERT_EQ(describe_all(split_at(stream, {i}, max_line)), whole) << "cut at " << i;
    }
    for (std::size_t i = 0; i <= stream.size(); ++i) {
        for (std::size_t j = i; j <= stream.size(); ++j) {
            ASSERT_EQ(describe_all(split_at(stream, {i, j}, max_line)), whole)
                << "cuts at " << i << ", " << j;
        }
    }
    LineSplitter one_by_one(max_line);
    std::vector<Line> lines;
    for (const char c : stream) one_by_one.feed(bytes_of(std::string_view(&c, 1)), lines);
    if (auto last = one_by_one.flush()) lines.push_back(std::move(*last));
    ASSERT_EQ(describe_all(lines), whole) << "one byte at a time";
}

TEST(LineSplitter, SplitsCrlfLinesWithStreamOffsets) {
    const auto lines = split_whole("USER anonymous\r\nPASS guest\r\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "USER anonymous");
    EXPECT_EQ(lines[0].start_offset, 0u);
    EXPECT_EQ(lines[0].end_offset, 16u);
    EXPECT_FALSE(lines[0].lf_only);
    EXPECT_FALSE(lines[0].telnet);
    EXPECT_FALSE(lines[0].overlong);
    EXPECT_FALSE(lines[0].unterminated);
    EXPECT_EQ(lines[1].text, "PASS guest");
    EXPECT_EQ(lines[1].start_offset, 16u);
    EXPECT_EQ(lines[1].end_offset, 28u);
}

TEST(LineSplitter, AcceptsBareLfAndFlagsIt) {
    const auto lines = split_whole("211-Features:\n EPRT\r\n211 End\n");
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].text, "211-Features:");
    EXPECT_TRUE(lines[0].lf_only);
    EXPECT_EQ(lines[0].end_offset, 14u);
    EXPECT_EQ(lines[1].text, " EPRT");
    EXPECT_FALSE(lines[1].lf_only);
    EXPECT_EQ(lines[2].text, "211 End");
    EXPECT_TRUE(lines[2].lf_only);
}

TEST(LineSplitter, KeepsCrNotFollowedByLfAsData) {
    const auto lines = split_whole("RETR a\rb\r\nSTOR c\r\r\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "RETR a\rb");
    EXPECT_EQ(lines[1].text, "STOR c\r");
    EXPECT_FALSE(lines[1].lf_only);
}

TEST(LineSplitter, CrAtEndOfFeedAndLfAtStartOfNextIsOneCrlf) {
    LineSplitter splitter;
    std::vector<Line> lines;
    splitter.feed(bytes_of("NOOP\r"), lines);
    EXPECT_TRUE(lines.empty());
    EXPECT_TRUE(splitter.has_partial());
    splitter.feed(bytes_of("\nQUIT\r\n"), lines);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "NOOP");
    EXPECT_FALSE(lines[0].lf_only);
    EXPECT_EQ(lines[0].end_offset, 6u);
    EXPECT_EQ(lines[1].text, "QUIT");
    EXPECT_FALSE(splitter.has_partial());
}

TEST(LineSplitter, EmptyLinesAreLines) {
    const auto lines = split_whole("\r\n\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "");
    EXPECT_EQ(lines[0].end_offset, 2u);
    EXPECT_EQ(lines[1].text, "");
    EXPECT_TRUE(lines[1].lf_only);
    EXPECT_EQ(lines[1].start_offset, 2u);
}

TEST(LineSplitter, RemovesAborTelnetPrefix) {
    // RFC 959 §4.1.3: ABOR is preceded by Telnet IP and Synch (IAC DM).
    const auto lines = split_whole("\xFF\xF4\xFF\xF2" "ABOR\r\nNOOP\r\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "ABOR");
    EXPECT_TRUE(lines[0].telnet);
    EXPECT_EQ(lines[0].start_offset, 0u);  // the line starts at the IAC, not at "A"
    EXPECT_EQ(lines[0].end_offset, 10u);
    EXPECT_EQ(lines[1].text, "NOOP");
    EXPECT_FALSE(lines[1].telnet);
}

TEST(LineSplitter, AborWithDmInSeparateUrgentSegment) {
    LineSplitter splitter;
    std::vector<Line> lines;
    splitter.feed(bytes_of("\xFF\xF4\xFF"), lines);  // IAC IP IAC ...
    splitter.feed(bytes_of("\xF2"), lines);          // ... DM sent as TCP urgent data
    EXPECT_TRUE(lines.empty());
    splitter.feed(bytes_of("ABOR\r\n"), lines);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "ABOR");
    EXPECT_TRUE(lines[0].telnet);
    EXPECT_EQ(lines[0].end_offset, 10u);
}

TEST(LineSplitter, IacIacIsALiteral0xFF) {
    const auto lines = split_whole("RETR \xFF\xFF.txt\r\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "RETR \xFF.txt");
    EXPECT_FALSE(lines[0].telnet);  // an escape, not a removed command
    EXPECT_EQ(lines[0].end_offset, 13u);
}

TEST(LineSplitter, RemovesOptionNegotiationWithItsOptionByte) {
    // IAC WILL ECHO, IAC DONT LF: the option byte is part of the command even when it is LF.
    const auto lines = split_whole("\xFF\xFB\x01NO\xFF\xFE\nOP\r\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "NOOP");
    EXPECT_TRUE(lines[0].telnet);
}

TEST(LineSplitter, RemovesEveryTwoByteCommand) {
    std::string stream = "ST";
    for (int cmd = 240; cmd <= 250; ++cmd) {  // SE NOP DM BRK IP AO AYT EC EL GA SB
        stream += '\xFF';
        stream += static_cast<char>(cmd);
    }
    stream += "AT\r\n";
    const auto lines = split_whole(stream);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "STAT");
    EXPECT_TRUE(lines[0].telnet);
}

TEST(LineSplitter, KeepsUnescapedIacBeforeNonCommandByte) {
    const auto lines = split_whole("RETR caf\xFF" "e\r\nRETR x\xFF\r\n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text, "RETR caf\xFF" "e");
    EXPECT_FALSE(lines[0].telnet);
    EXPECT_EQ(lines[1].text, "RETR x\xFF");  // IAC then CR: the CR still ends the line
}

TEST(LineSplitter, KeepsNonUtf8BytesUntouched) {
    const std::string text = "RETR \xC3\xA9t\xE9\x80\xFE\x01.bin";
    const auto lines = split_whole(text + "\r\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, text);
}

TEST(LineSplitter, OverlongLineKeepsOnlyMaxLineBytesAndNextLinesDecode) {
    const std::string big(100, 'A');
    const auto lines = split_whole("STOR " + big + "\r\nNOOP\r\n", 16);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text.size(), 16u);
    EXPECT_EQ(lines[0].text, "STOR " + std::string(11, 'A'));
    EXPECT_TRUE(lines[0].overlong);
    EXPECT_EQ(lines[0].end_offset, 107u);  // every byte counted though not stored
    EXPECT_EQ(lines[1].text, "NOOP");
    EXPECT_FALSE(lines[1].overlong);
    EXPECT_EQ(lines[1].start_offset, 107u);
}

TEST(LineSplitter, LineOfExactlyMaxLineIsNotOverlong) {
    const auto lines = split_whole("ABCDEFGH\r\nABCDEFGHI\r\n", 8);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_FALSE(lines[0].overlong);
    EXPECT_EQ(lines[0].text, "ABCDEFGH");
    EXPECT_TRUE(lines[1].overlong);
    EXPECT_EQ(lines[1].text, "ABCDEFGH");
}

TEST(LineSplitter, MemoryStaysBoundedWithoutLineEnd) {
    LineSplitter splitter(64);
    std::vector<Line> lines;
    const std::string chunk(4096, 'x');
    for (int i = 0; i < 256; ++i) splitter.feed(bytes_of(chunk), lines);  // 1 MiB, no line end
    EXPECT_TRUE(lines.empty());
    splitter.feed(bytes_of("\r\n220 ok\r\n"), lines);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].text.size(), 64u);
    EXPECT_LE(lines[0].text.capacity(), 1024u);  // never grew toward the megabyte
    EXPECT_TRUE(lines[0].overlong);
    EXPECT_EQ(lines[0].end_offset, 1048576u + 2u);
    EXPECT_EQ(lines[1].text, "220 ok");
}

TEST(LineSplitter, SkipDropsPartialLineAndResyncsAtNextLineEnd) {
    LineSplitter splitter;
    std::vector<Line> lines;
    splitter.feed(bytes_of("USER a\r\nPAS"), lines);
    ASSERT_EQ(lines.size(), 1u);
    splitter.skip(5);  // lost: "S sec"
    EXPECT_EQ(splitter.offset(), 16u);
    EXPECT_FALSE(splitter.has_partial());
    splitter.feed(bytes_of("ret\r\nNOOP\r\n"), lines);
    ASSERT_EQ(lines.size(), 2u);  // "ret" belonged to the damaged line and is discarded
    EXPECT_EQ(lines[1].text, "NOOP");
    EXPECT_EQ(lines[1].start_offset, 21u);
    EXPECT_EQ(lines[1].end_offset, 27u);
}

TEST(LineSplitter, SkipForgetsTelnetStateAndCr) {
    LineSplitter splitter;
    std::vector<Line> lines;
    splitter.feed(bytes_of("NOOP\xFF"), lines);  // IAC waiting for its command byte
    splitter.skip(3);
    splitter.feed(bytes_of("x\nQUIT\r"), lines);
    splitter.skip(1);  // the LF of "QUIT\r\n" lost: QUIT is dropped, not merged with SYST
    splitter.feed(bytes_of("junk\r\nSYST\r\n"), lines);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "SYST");
    EXPECT_FALSE(lines[0].telnet);
    EXPECT_EQ(lines[0].start_offset, 22u);
}

TEST(LineSplitter, SkipZeroIsNoGap) {
    LineSplitter splitter;
    std::vector<Line> lines;
    splitter.feed(bytes_of("NO"), lines);
    splitter.skip(0);
    splitter.feed(bytes_of("OP\r\n"), lines);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].text, "NOOP");
}

TEST(LineSplitter, FlushReturnsUnterminatedLine) {
    LineSplitter splitter;
    std::vector<Line> lines;
    EXPECT_FALSE(splitter.flush().has_value());
    splitter.feed(bytes_of("NOOP\r\nQUIT"), lines);
    EXPECT_TRUE(splitter.has_partial());
    const auto last = splitter.flush();
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->text, "QUIT");
    EXPECT_TRUE(last->unterminated);
    EXPECT_EQ(last->start_offset, 6u);
    EXPECT_EQ(last->end_offset, 10u);
    EXPECT_FALSE(splitter.has_partial());
    EXPECT_FALSE(splitter.flush().has_value());
}

TEST(LineSplitter, FlushTurnsPendingCrAndIacIntoData) {
    EXPECT_EQ(split_whole("QUIT\r").back().text, "QUIT\r");
    EXPECT_EQ(split_whole("QUIT\r\xFF").back().text, "QUIT\r\xFF");
    const auto pending_option = split_whole("QUIT\xFF\xFD");
    ASSERT_EQ(pending_option.size(), 1u);
    EXPECT_EQ(pending_option[0].text, "QUIT");
    EXPECT_TRUE(pending_option[0].telnet);
}

TEST(LineSplitter, FlushAfterGapReturnsNothing) {
    LineSplitter splitter;
    std::vector<Line> lines;
    splitter.feed(bytes_of("RETR a"), lines);
    splitter.skip(10);
    splitter.feed(bytes_of("bc"), lines);
    EXPECT_FALSE(splitter.flush().has_value());
}

TEST(LineSplitter, SplitInvariantCommands) {
    expect_split_invariant(
        "USER anonymous\r\nPASS \xFF\xFFpw\r\n\xFF\xF4\xFF\xF2" "ABOR\r\n"
        "RETR caf\xC3\xA9\nST\xFF\xFB\x01OR a\rb\r\nQUIT");
}

TEST(LineSplitter, SplitInvariantRepliesLfOnly) {
    expect_split_invariant(
        "220-FileZilla Server version 0.9.29 beta\n220 hi\n211-Features:\r\n EPRT\n211 End\r\n");
}

TEST(LineSplitter, SplitInvariantOverlong) {
    expect_split_invariant("STOR abcdefghijklmnop\r\nNO\xFF\xF1OP\r\nLIST\r", 8);
}

}  // namespace
}  // namespace ftpsim::ftp
