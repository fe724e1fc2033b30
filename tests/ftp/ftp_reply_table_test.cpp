// The command-reply table: RFC 959 §5.4 rows checked against the RFC, the extension rows, and
// the table's own consistency.
#include "ftp/reply_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "ftp/command.hpp"

namespace ftpsim::ftp {
namespace {

std::set<int> codes_of(std::string_view verb) {
    const auto span = allowed_replies(verb);
    return {span.begin(), span.end()};
}

TEST(ReplyTable, Rfc959Rows) {
    // Rows transcribed from RFC 959 §5.4, plus 421 (§4.2.1: any command may get it).
    EXPECT_EQ(codes_of("USER"), (std::set<int>{230, 530, 500, 501, 421, 331, 332, 232, 336}));
    EXPECT_EQ(codes_of("PASS"), (std::set<int>{230, 202, 530, 500, 501, 503, 421, 332}));
    EXPECT_EQ(codes_of("QUIT"), (std::set<int>{221, 500, 421}));
    EXPECT_EQ(codes_of("PORT"), (std::set<int>{200, 500, 501, 421, 530}));
    EXPECT_EQ(codes_of("PASV"), (std::set<int>{227, 500, 501, 502, 421, 530}));
    EXPECT_EQ(codes_of("TYPE"), (std::set<int>{200, 500, 501, 504, 421, 530}));
    EXPECT_EQ(codes_of("REST"), (std::set<int>{350, 500, 501, 502, 421, 530}));
    EXPECT_EQ(codes_of("RNFR"), (std::set<int>{350, 450, 550, 500, 501, 502, 421, 530}));
    EXPECT_EQ(codes_of("RNTO"), (std::set<int>{250, 532, 553, 500, 501, 502, 503, 421, 530}));
    EXPECT_EQ(codes_of("PWD"), (std::set<int>{257, 500, 501, 502, 421, 550}));
    EXPECT_EQ(codes_of("ABOR"), (std::set<int>{225, 226, 500, 501, 502, 421}));
    EXPECT_EQ(codes_of("REIN"), (std::set<int>{120, 220, 421, 500, 502}));
    EXPECT_EQ(codes_of("NOOP"), (std::set<int>{200, 500, 421}));
    EXPECT_EQ(codes_of("STAT"), (std::set<int>{211, 212, 213, 450, 500, 501, 502, 421, 530}));
}

TEST(ReplyTable, TransferCommands) {
    for (const char* verb : {"RETR", "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD"}) {
        for (const int code : {125, 150, 226, 250, 425, 426, 451, 500, 501, 421, 530}) {
            EXPECT_TRUE(reply_allowed(verb, code)) << verb << ' ' << code;
        }
        EXPECT_FALSE(reply_allowed(verb, 200)) << verb;
        EXPECT_FALSE(reply_allowed(verb, 227)) << verb;
    }
    EXPECT_TRUE(reply_allowed("RETR", 110));   // restart marker in block/compressed mode
    EXPECT_FALSE(reply_allowed("LIST", 110));  // §5.4 lists no marker for listings
    EXPECT_TRUE(reply_allowed("RETR", 550));
    EXPECT_FALSE(reply_allowed("RETR", 552));  // storage allocation: uploads only
    EXPECT_TRUE(reply_allowed("STOR", 552));
    EXPECT_TRUE(reply_allowed("STOR", 553));
    EXPECT_FALSE(reply_allowed("STOR", 550));  // not in the STOR row of §5.4
    EXPECT_TRUE(reply_allowed("APPE", 550));   // but in APPE's
    EXPECT_TRUE(reply_allowed("RETR", 554));   // RFC 3659 REST STREAM
    EXPECT_TRUE(reply_allowed("RETR", 535));   // RFC 2228 data channel protection
}

TEST(ReplyTable, CdupTakesCwdRepliesToo) {
    EXPECT_TRUE(reply_allowed("CDUP", 200));
    EXPECT_TRUE(reply_allowed("CDUP", 250));  // §4.1.1, and what vsftpd sends
    EXPECT_EQ(codes_of("XCUP"), codes_of("CDUP"));
}

TEST(ReplyTable, Rfc775VerbsShareRows) {
    EXPECT_EQ(codes_of("XMKD"), codes_of("MKD"));
    EXPECT_EQ(codes_of("XRMD"), codes_of("RMD"));
    EXPECT_EQ(codes_of("XPWD"), codes_of("PWD"));
    EXPECT_EQ(codes_of("XCWD"), codes_of("CWD"));
    EXPECT_TRUE(reply_allowed("XMKD", 257));
}

TEST(ReplyTable, ExtensionRows) {
    EXPECT_EQ(codes_of("EPRT"), (std::set<int>{200, 500, 501, 522, 421, 530}));
    EXPECT_EQ(codes_of("EPSV"), (std::set<int>{229, 200, 500, 501, 502, 530, 421, 522}));
    EXPECT_EQ(codes_of("FEAT"), (std::set<int>{211, 500, 502, 421}));
    EXPECT_EQ(codes_of("OPTS"), (std::set<int>{200, 451, 500, 501, 502, 421}));
    EXPECT_EQ(codes_of("AUTH"), (std::set<int>{234, 334, 502, 504, 534, 431, 500, 501, 421}));
    EXPECT_EQ(codes_of("PROT"), (std::set<int>{200, 504, 536, 503, 534, 431, 500, 501, 421,
                                               530}));
    EXPECT_TRUE(reply_allowed("SIZE", 213));
    EXPECT_TRUE(reply_allowed("SIZE", 550));
    EXPECT_FALSE(reply_allowed("SIZE", 250));
    EXPECT_TRUE(reply_allowed("MDTM", 213));
    EXPECT_TRUE(reply_allowed("MLST", 250));
    EXPECT_FALSE(reply_allowed("MLST", 150));  // MLST answers on the control connection
    EXPECT_TRUE(reply_allowed("MLSD", 150));
    EXPECT_TRUE(reply_allowed("MLSD", 550));
}

TEST(ReplyTable, UnknownVerbsHaveNoRow) {
    for (const char* verb : {"", "XYZW", "user", "Retr", "LANG", "HOST", "CLNT"}) {
        EXPECT_TRUE(allowed_replies(verb).empty()) << verb;
        EXPECT_FALSE(reply_allowed(verb, 200)) << verb;
        EXPECT_FALSE(reply_allowed(verb, 500)) << verb;
    }
}

TEST(ReplyTable, EveryRowIsWellFormed) {
    const std::vector<std::string> verbs = {
        "USER", "PASS", "ACCT", "CWD",  "CDUP", "SMNT", "REIN", "QUIT", "PORT", "PASV", "TYPE",
        "STRU", "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR",
        "DELE", "RMD",  "MKD",  "PWD",  "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP",
        "XCUP", "XCWD", "XMKD", "XPWD", "XRMD", "AUTH", "ADAT", "PROT", "PBSZ", "CCC",  "MIC",
        "CONF", "ENC",  "FEAT", "OPTS", "EPRT", "EPSV", "MDTM", "SIZE", "MLST", "MLSD"};
    for (const auto& verb : verbs) {
        const auto codes = allowed_replies(verb);
        ASSERT_FALSE(codes.empty()) << verb;
        EXPECT_TRUE(is_known_verb(verb)) << verb;
        std::set<int> seen;
        for (const int code : codes) {
            EXPECT_GE(code, 100) << verb;
            EXPECT_LE(code, 599) << verb;
            EXPECT_TRUE(seen.insert(code).second) << verb << " lists " << code << " twice";
        }
        EXPECT_TRUE(seen.count(421)) << verb << ": 421 may answer any command";
        // Every row has a positive reply (1yz, 2yz or 3yz), except the protected-command
        // wrappers, whose positive reply is the 6yz one RFC 2228 adds.
        const bool positive =
            std::any_of(codes.begin(), codes.end(), [](int c) { return c < 400; });
        if (verb != "MIC" && verb != "CONF" && verb != "ENC") {
            EXPECT_TRUE(positive) << verb;
        }
    }
}

}  // namespace
}  // namespace ftpsim::ftp
