// Command parsing (RFC 959 §5.3), verb classes, and commands decoded from a byte stream cut
// at every offset.
#include "ftp/command.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ftp/line_splitter.hpp"

namespace ftpsim::ftp {
namespace {

TEST(ParseCommand, VerbAndArgument) {
    const auto cmd = parse_command("USER anonymous");
    ASSERT_TRUE(cmd.has_value());
    EXPECT_EQ(cmd->verb, "USER");
    EXPECT_EQ(cmd->arg, "anonymous");
}

TEST(ParseCommand, VerbIsUpperCased) {
    const auto cmd = parse_command("retr Dump.SQL");
    ASSERT_TRUE(cmd.has_value());
    EXPECT_EQ(cmd->verb, "RETR");
    EXPECT_EQ(cmd->arg, "Dump.SQL");  // the argument keeps its case
    EXPECT_EQ(parse_command("cWd /")->verb, "CWD");
}

TEST(ParseCommand, NoArgument) {
    const auto cmd = parse_command("PASV");
    ASSERT_TRUE(cmd.has_value());
    EXPECT_EQ(cmd->verb, "PASV");
    EXPECT_EQ(cmd->arg, "");
    const auto user = parse_command("USER");
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->arg, "");
}

TEST(ParseCommand, ArgumentIsRawAfterTheFirstSpace) {
    EXPECT_EQ(parse_command("USER ")->arg, "");
    EXPECT_EQ(parse_command("RETR  two leading.txt  ")->arg, " two leading.txt  ");
    EXPECT_EQ(parse_command("STOR a\tb\rc")->arg, "a\tb\rc");
    EXPECT_EQ(parse_command("PASS \xFF\xC3\xA9")->arg, "\xFF\xC3\xA9");
    EXPECT_EQ(parse_command("MKD dir")->verb, "MKD");
}

TEST(ParseCommand, WellFormedUnknownVerbIsACommand) {
    const auto cmd = parse_command("XYZW foo");
    ASSERT_TRUE(cmd.has_value());
    EXPECT_EQ(cmd->verb, "XYZW");
    EXPECT_FALSE(is_known_verb(cmd->verb));
}

TEST(ParseCommand, RejectsWhatCannotBeACommand) {
    EXPECT_FALSE(parse_command("").has_value());
    EXPECT_FALSE(parse_command(" ").has_value());
    EXPECT_FALSE(parse_command(" USER bob").has_value());   // leading whitespace: empty verb
    EXPECT_FALSE(parse_command("\tUSER bob").has_value());
    EXPECT_FALSE(parse_command("US bob").has_value());      // too short
    EXPECT_FALSE(parse_command("USERS bob").has_value());   // too long
    EXPECT_FALSE(parse_command("US3R bob").has_value());    // letters only
    EXPECT_FALSE(parse_command("220 (vsFTPd 3.0.3)").has_value());  // a reply, not a command
    EXPECT_FALSE(parse_command("USER\tbob").has_value());   // the separator is a space
    EXPECT_FALSE(parse_command("US-R").has_value());
    EXPECT_FALSE(parse_command("\xC3\x9CSER x").has_value());  // non-ASCII letter
    EXPECT_FALSE(parse_command("\xFF\xF4" "ABOR").has_value());  // Telnet bytes left in
    EXPECT_FALSE(parse_command(std::string_view("NO\0P", 4)).has_value());
}

TEST(Verbs, KnownVerbsOfEveryRfc) {
    for (const char* verb :
         {"USER", "PASS", "ACCT", "CWD",  "CDUP", "SMNT", "REIN", "QUIT", "PORT", "PASV",
          "TYPE", "STRU", "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR",
          "RNTO", "ABOR", "DELE", "RMD",  "MKD",  "PWD",  "LIST", "NLST", "SITE", "SYST",
          "STAT", "HELP", "NOOP",                                  // RFC 959
          "XCUP", "XCWD", "XMKD", "XPWD", "XRMD",                  // RFC 775
          "AUTH", "ADAT", "PROT", "PBSZ", "CCC",  "MIC",  "CONF", "ENC",  // RFC 2228
          "FEAT", "OPTS", "EPRT", "EPSV", "LANG",                  // RFC 2389, 2428, 2640
          "MDTM", "SIZE", "MLST", "MLSD", "HOST"}) {               // RFC 3659, 7151
        EXPECT_TRUE(is_known_verb(verb)) << verb;
    }
    for (const char* verb : {"", "XYZW", "user", "USE", "USERX", "CLNT", "MFMT", "XCRC"}) {
        EXPECT_FALSE(is_known_verb(verb)) << verb;
    }
}

TEST(Verbs, TransferAndDirection) {
    for (const char* verb : {"LIST", "NLST", "MLSD", "RETR"}) {
        EXPECT_TRUE(is_transfer_verb(verb)) << verb;
        EXPECT_TRUE(is_download_verb(verb)) << verb;
    }
    for (const char* verb : {"STOR", "STOU", "APPE"}) {
        EXPECT_TRUE(is_transfer_verb(verb)) << verb;
        EXPECT_FALSE(is_download_verb(verb)) << verb;
    }
    for (const char* verb : {"MLST", "STAT", "SIZE", "PASV", "retr", ""}) {
        EXPECT_FALSE(is_transfer_verb(verb)) << verb;
        EXPECT_FALSE(is_download_verb(verb)) << verb;
    }
}

TEST(Verbs, Secrets) {
    EXPECT_TRUE(is_secret_verb("PASS"));
    EXPECT_TRUE(is_secret_verb("ACCT"));
    EXPECT_FALSE(is_secret_verb("USER"));
    EXPECT_FALSE(is_secret_verb("pass"));
    EXPECT_FALSE(is_secret_verb(""));
}

TEST(Verbs, MaskSecretArgumentKeepsTheVerbAsSent) {
    EXPECT_EQ(mask_secret_argument("PASS s3cret"), "PASS ****");
    EXPECT_EQ(mask_secret_argument("pass two words"), "pass ****");
    EXPECT_EQ(mask_secret_argument("ACCT billing"), "ACCT ****");
    EXPECT_EQ(mask_secret_argument("PASS"), "PASS");    // nothing to hide
    EXPECT_EQ(mask_secret_argument("PASS "), "PASS ");  // an empty argument stays empty
    EXPECT_EQ(mask_secret_argument("USER alice"), "USER alice");
    EXPECT_EQ(mask_secret_argument("not a command"), "not a command");
}

TEST(Verbs, ToUpperAsciiLeavesOtherBytes) {
    EXPECT_EQ(to_upper_ascii("retr"), "RETR");
    EXPECT_EQ(to_upper_ascii("a\xC3\xA9z{`@["), "A\xC3\xA9Z{`@[");
    EXPECT_EQ(to_upper_ascii(""), "");
}

// ---- Commands decoded from a client stream, cut anywhere ----

std::span<const std::uint8_t> bytes_of(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// "VERB|arg|telnet|lf" per line, or "!text" for a line that is no command.
std::vector<std::string> decode(std::string_view stream, const std::vector<std::size_t>& cuts) {
    LineSplitter splitter(64);
    std::vector<Line> lines;
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        splitter.feed(bytes_of(stream.substr(from, cut - from)), lines);
        from = cut;
    }
    splitter.feed(bytes_of(stream.substr(from)), lines);
    if (auto last = splitter.flush()) lines.push_back(std::move(*last));
    std::vector<std::string> out;
    for (const auto& line : lines) {
        const auto cmd = parse_command(line.text);
        out.push_back(cmd ? cmd->verb + "|" + cmd->arg + "|" + (line.telnet ? "T" : "-") +
                                (line.lf_only ? "L" : "-")
                          : "!" + line.text);
    }
    return out;
}

constexpr std::string_view kClientStream =
    "USER anonymous\r\n"
    "PASS guest@\xFF\xFF\r\n"            // IAC IAC: a 0xFF in the password
    "TYPE I\n"                           // LF-only client
    "EPSV\r\n"
    "RETR dump.sql\r\n"
    "\xFF\xF4\xFF\xF2" "ABOR\r\n"        // RFC 959 §4.1.3 abort sequence
    "\xFF\xFB\x18" "STOR caf\xC3\xA9 \r\n"  // option negotiation, UTF-8 name, trailing space
    " bogus\r\n"
    "QUIT";                              // stream ends without its CRLF

TEST(CommandStream, DecodesTheStream) {
    const std::vector<std::string> expected = {
        "USER|anonymous|--", "PASS|guest@\xFF|--", "TYPE|I|-L", "EPSV||--", "RETR|dump.sql|--",
        "ABOR||T-", "STOR|caf\xC3\xA9 |T-", "! bogus", "QUIT||--",
    };
    EXPECT_EQ(decode(kClientStream, {}), expected);
}

TEST(CommandStream, SameCommandsWhereverTheStreamIsCut) {
    const auto whole = decode(kClientStream, {});
    for (std::size_t i = 0; i <= kClientStream.size(); ++i) {
        ASSERT_EQ(decode(kClientStream, {i}), whole) << "cut at " << i;
    }
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < kClientStream.size(); ++i) every_byte.push_back(i);
    EXPECT_EQ(decode(kClientStream, every_byte), whole) << "one byte at a time";
}

}  // namespace
}  // namespace ftpsim::ftp
