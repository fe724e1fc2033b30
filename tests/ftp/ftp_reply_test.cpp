// Reply codes and the multi-line reply assembler (RFC 959 §4.2), on real server texts and on
// a server stream cut at every offset.
#include "ftp/reply.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ftp/line_splitter.hpp"

namespace ftpsim::ftp {
namespace {

using Status = ReplyAssembler::Status;

TEST(ReplyCode, ReadsTheCodeOfReplyLines) {
    EXPECT_EQ(reply_code_of("220 (vsFTPd 3.0.3)"), 220);
    EXPECT_EQ(reply_code_of("220-FileZilla Server version 0.9.29 beta"), 220);
    EXPECT_EQ(reply_code_of("550"), 550);
    EXPECT_EQ(reply_code_of("100 x"), 100);
    EXPECT_EQ(reply_code_of("599-"), 599);
}

TEST(ReplyCode, RejectsNonReplies) {
    for (const std::string_view line :
         {std::string_view(""), std::string_view("22"), std::string_view("abc"),
          std::string_view("2200 x"), std::string_view("220x"), std::string_view("220\tx"),
          std::string_view("22O ok"), std::string_view("099 x"), std::string_view("600 x"),
          std::string_view("631 base64"), std::string_view(" 220 x"),
          std::string_view("USER anonymous")}) {
        EXPECT_FALSE(reply_code_of(line).has_value()) << line;
    }
}

TEST(ReplyAssembler, SingleLine) {
    ReplyAssembler a;
    EXPECT_EQ(a.feed("220 (vsFTPd 3.0.3)"), Status::kComplete);
    EXPECT_FALSE(a.in_progress());
    const Reply r = a.take();
    EXPECT_EQ(r.code, 220);
    EXPECT_EQ(r.text, "(vsFTPd 3.0.3)");
    ASSERT_EQ(r.lines.size(), 1u);
    EXPECT_EQ(r.lines[0], "220 (vsFTPd 3.0.3)");
    EXPECT_FALSE(r.multiline);
    EXPECT_FALSE(r.mismatched_last_code);
    EXPECT_FALSE(r.truncated);
}

TEST(ReplyAssembler, BareCode) {
    ReplyAssembler a;
    EXPECT_EQ(a.feed("200"), Status::kComplete);
    const Reply r = a.take();
    EXPECT_EQ(r.code, 200);
    EXPECT_EQ(r.text, "");
    EXPECT_EQ(a.feed("226 "), Status::kComplete);
    EXPECT_EQ(a.take().text, "");
}

TEST(ReplyAssembler, FileZillaBanner) {
    ReplyAssembler a;
    EXPECT_EQ(a.feed("220-FileZilla Server version 0.9.29 beta"), Status::kNeedMore);
    EXPECT_TRUE(a.in_progress());
    EXPECT_EQ(a.feed("220-written by Tim Kosse (Tim.Kosse@gmx.de)"), Status::kNeedMore);
    EXPECT_EQ(a.feed("220 Please visit http://sourceforge.net/projects/filezilla/"),
              Status::kComplete);
    EXPECT_FALSE(a.in_progress());
    const Reply r = a.take();
    EXPECT_EQ(r.code, 220);
    EXPECT_TRUE(r.multiline);
    EXPECT_EQ(r.text, "FileZilla Server version 0.9.29 beta");
    ASSERT_EQ(r.lines.size(), 3u);
    EXPECT_EQ(r.lines[1], "220-written by Tim Kosse (Tim.Kosse@gmx.de)");
    EXPECT_FALSE(r.mismatched_last_code);
}

TEST(ReplyAssembler, Rfc959ExampleWithNumericContinuation) {
    // RFC 959 §4.2: continuation lines are free text; a padded "  234 ..." does not end it.
    ReplyAssembler a;
    EXPECT_EQ(a.feed("123-First line"), Status::kNeedMore);
    EXPECT_EQ(a.feed("Second line"), Status::kNeedMore);
    EXPECT_EQ(a.feed("  234 A line beginning with numbers"), Status::kNeedMore);
    EXPECT_EQ(a.feed("123-still going"), Status::kNeedMore);  // same code with '-': continues
    EXPECT_EQ(a.feed(""), Status::kNeedMore);
    EXPECT_EQ(a.feed("123 The last line"), Status::kComplete);
    const Reply r = a.take();
    EXPECT_EQ(r.code, 123);
    EXPECT_EQ(r.lines.size(), 6u);
    EXPECT_FALSE(r.mismatched_last_code);
}

TEST(ReplyAssembler, FeatEndedByBareCode) {
    ReplyAssembler a;
    EXPECT_EQ(a.feed("211-Features:"), Status::kNeedMore);
    EXPECT_EQ(a.feed(" EPRT"), Status::kNeedMore);
    EXPECT_EQ(a.feed(" MDTM"), Status::kNeedMore);
    EXPECT_EQ(a.feed("211"), Status::kComplete);
    EXPECT_EQ(a.take().lines.size(), 4u);
}

TEST(ReplyAssembler, OtherClosingCodeEndsTheReplyFlagged) {
    ReplyAssembler a;
    EXPECT_EQ(a.feed("230-Welcome"), Status::kNeedMore);
    EXPECT_EQ(a.feed("250-other code with a dash continues"), Status::kNeedMore);
    EXPECT_EQ(a.feed("220 Login successful."), Status::kComplete);
    const Reply r = a.take();
    EXPECT_EQ(r.code, 230);  // the opening code stands
    EXPECT_TRUE(r.mismatched_last_code);
    // The next reply is decoded on its own instead of being swallowed.
    EXPECT_EQ(a.feed("215 UNIX Type: L8"), Status::kComplete);
    const Reply next = a.take();
    EXPECT_EQ(next.code, 215);
    EXPECT_FALSE(next.mismatched_last_code);
}

TEST(ReplyAssembler, NotAReplyOutsideAReply) {
    ReplyAssembler a;
    for (const std::string_view line :
         {std::string_view("hello"), std::string_view(""), std::string_view(" EPRT"),
          std::string_view("22"), std::string_view("2200 x"), std::string_view("600 x"),
          std::string_view("099 x")}) {
        EXPECT_EQ(a.feed(line), Status::kNotAReply) << line;
        EXPECT_FALSE(a.in_progress());
    }
    EXPECT_EQ(a.feed("200 Switching to Binary mode."), Status::kComplete);
    EXPECT_EQ(a.take().code, 200);
}

TEST(ReplyAssembler, KeepsAtMostMaxLines) {
    ReplyAssembler a(3);
    EXPECT_EQ(a.feed("214-The following commands are recognized."), Status::kNeedMore);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(a.feed(" ABOR ACCT ALLO APPE"), Status::kNeedMore);
    EXPECT_EQ(a.feed("214 Help OK."), Status::kComplete);
    const Reply r = a.take();
    EXPECT_EQ(r.code, 214);
    EXPECT_EQ(r.lines.size(), 3u);
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.text, "The following commands are recognized.");
    // The next reply starts clean.
    EXPECT_EQ(a.feed("200 ok"), Status::kComplete);
    EXPECT_FALSE(a.take().truncated);
}

TEST(ReplyAssembler, FlushReturnsUnfinishedMultiline) {
    ReplyAssembler a;
    EXPECT_FALSE(a.flush().has_value());
    a.feed("211-Features:");
    a.feed(" SIZE");
    const auto r = a.flush();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->code, 211);
    EXPECT_TRUE(r->multiline);
    EXPECT_EQ(r->lines.size(), 2u);
    EXPECT_FALSE(a.in_progress());
    EXPECT_FALSE(a.flush().has_value());
}

TEST(ReplyAssembler, TakeWithoutReplyIsEmptyAndTakeResets) {
    ReplyAssembler a;
    EXPECT_EQ(a.take().code, 0);
    a.feed("221 Goodbye.");
    EXPECT_EQ(a.take().code, 221);
    EXPECT_EQ(a.take().code, 0);
    EXPECT_FALSE(a.flush().has_value());
}

// ---- Replies decoded from a server stream, cut anywhere ----

std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string describe(const Reply& r) {
    std::string out = std::to_string(r.code) + (r.multiline ? " M" : " S") +
                      (r.mismatched_last_code ? "X" : "") + (r.truncated ? "T" : "") + " [" +
                      r.text + "]";
    for (const auto& l : r.lines) out += " {" + l + "}";
    return out;
}

std::vector<std::string> decode(std::string_view stream, const std::vector<std::size_t>& cuts) {
    LineSplitter splitter;
    ReplyAssembler assembler(4);
    std::vector<std::string> out;
    std::size_t from = 0;
    const auto run = [&](std::string_view piece) {
        std::vector<Line> lines;
        splitter.feed(bytes_of(piece), lines);
        for (const auto& line : lines) {
            switch (assembler.feed(line.text)) {
                case Status::kComplete: out.push_back(describe(assembler.take())); break;
                case Status::kNotAReply: out.push_back("not a reply: " + line.text); break;
                case Status::kNeedMore: break;
            }
        }
    };
    for (const std::size_t cut : cuts) {
        run(stream.substr(from, cut - from));
        from = cut;
    }
    run(stream.substr(from));
    if (auto last = splitter.flush()) {
        if (assembler.feed(last->text) == Status::kComplete) {
            out.push_back(describe(assembler.take()));
        }
    }
    if (auto partial = assembler.flush()) out.push_back("flushed " + describe(*partial));
    return out;
}

constexpr std::string_view kServerStream =
    "220-FileZilla Server version 0.9.29 beta\r\n"
    "220-written by Tim Kosse (Tim.Kosse@gmx.de)\r\n"
    "220 Please visit http://sourceforge.net/projects/filezilla/\r\n"
    "331 Please specify the password.\n"                     // LF-only server
    "230 Login successful.\r\n"
    "227 Entering Passive Mode (192,168,1,10,195,80).\r\n"
    "150 Opening BINARY mode data connection for dump.sql (3405 bytes).\r\n"
    "226 Transfer complete.\r\n"
    "garbage\r\n"
    "214-Help \xFF\xFF\xFF\xF1\r\n"                          // IAC IAC, then IAC NOP
    " a\r\n b\n c\r\n d\r\n"                                  // more lines than kept (4)
    "214 Help OK.\r\n"
    "229 Entering Extended Passive Mode (|||6446|)\r\n"
    "211-Features:\n EPRT\n";                                 // cut by the end of stream

TEST(ReplyStream, DecodesTheStream) {
    const std::vector<std::string> expected = {
        "220 M [FileZilla Server version 0.9.29 beta]"
        " {220-FileZilla Server version 0.9.29 beta}"
        " {220-written by Tim Kosse (Tim.Kosse@gmx.de)}"
        " {220 Please visit http://sourceforge.net/projects/filezilla/}",
        "331 S [Please specify the password.] {331 Please specify the password.}",
        "230 S [Login successful.] {230 Login successful.}",
        "227 S [Entering Passive Mode (192,168,1,10,195,80).]"
        " {227 Entering Passive Mode (192,168,1,10,195,80).}",
        "150 S [Opening BINARY mode data connection for dump.sql (3405 bytes).]"
        " {150 Opening BINARY mode data connection for dump.sql (3405 bytes).}",
        "226 S [Transfer complete.] {226 Transfer complete.}",
        "not a reply: garbage",
        "214 MT [Help \xFF] {214-Help \xFF} { a} { b} { c}",
        "229 S [Entering Extended Passive Mode (|||6446|)]"
        " {229 Entering Extended Passive Mode (|||6446|)}",
        "flushed 211 M [Features:] {211-Features:} { EPRT}",
    };
    EXPECT_EQ(decode(kServerStream, {}), expected);
}

TEST(ReplyStream, SameRepliesWhereverTheStreamIsCut) {
    const auto whole = decode(kServerStream, {});
    for (std::size_t i = 0; i <= kServerStream.size(); ++i) {
        ASSERT_EQ(decode(kServerStream, {i}), whole) << "cut at " << i;
    }
    for (std::size_t i = 0; i <= kServerStream.size(); i += 7) {
        for (std::size_t j = i; j <= kServerStream.size(); j += 3) {
            ASSERT_EQ(decode(kServerStream, {i, j}), whole) << "cuts at " << i << ", " << j;
        }
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < kServerStream.size(); ++i) every_byte.push_back(i);
    EXPECT_EQ(decode(kServerStream, every_byte), whole) << "one byte at a time";
}

}  // namespace
}  // namespace ftpsim::ftp
