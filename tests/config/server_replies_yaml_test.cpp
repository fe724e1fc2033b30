// `replies:` and `listings:` of a server configuration (and so of a scenario's server section):
// what they read, and the FILE:LINE:COLUMN: KEY: errors for what they cannot take.
#include <gtest/gtest.h>

#include "sim/config/server_config_yaml.hpp"

namespace ftpsim::sim::config {
namespace {

std::string error_of(const std::string& yaml) {
    try {
        load_server_config_text(yaml, "serve.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(ServerRepliesYaml, ReadsOneReplyOrAListPerVerb) {
    const ServerConfig c = load_server_config_text(R"(
replies:
  user: {code: 230, text: "Anonymous access granted, restrictions apply"}
  PASS: {code: 530, text: "Login incorrect."}
  CWD:
    - {arg: /secret, code: 550, text: "Permission denied.\nAsk the admin."}
    - occurrence: 2
      code: 250
      text: |
        Directory changed.
  XYZW: {code: 502, text: Not here.}
)", "serve.yaml").config;
    ASSERT_EQ(c.replies.size(), 5u);
    EXPECT_EQ(c.replies[0].verb, "USER");  // raised to upper case
    EXPECT_EQ(c.replies[0].code, 230);
    EXPECT_EQ(c.replies[0].text, "Anonymous access granted, restrictions apply");
    EXPECT_FALSE(c.replies[0].arg.has_value());
    EXPECT_EQ(c.replies[0].occurrence, 0u);
    EXPECT_EQ(c.replies[2].verb, "CWD");
    EXPECT_EQ(c.replies[2].arg, std::optional<std::string>("/secret"));
    EXPECT_EQ(c.replies[2].text, "Permission denied.\nAsk the admin.");
    EXPECT_EQ(c.replies[3].occurrence, 2u);
    EXPECT_EQ(c.replies[3].text, "Directory changed.");  // the block scalar's '\n' dropped
    EXPECT_EQ(c.replies[4].verb, "XYZW");                 // any 3-4 letter verb
}

TEST(ServerRepliesYaml, BadRepliesNameLineColumnAndKey) {
    EXPECT_EQ(error_of("replies:\n  PASS: {code: 99, text: x}\n"),
              "serve.yaml:2:16: replies.PASS.code: '99' is out of range (100 to 599)");
    EXPECT_EQ(error_of("replies:\n  PASS: {code: 600, text: x}\n"),
              "serve.yaml:2:16: replies.PASS.code: '600' is out of range (100 to 599)");
    EXPECT_EQ(error_of("replies:\n  PASS: {text: x}\n"),
              "serve.yaml:2:9: replies.PASS: 'code' is required (100 .. 599)");
    EXPECT_EQ(error_of("replies:\n  PASS: {code: 530}\n"),
              "serve.yaml:2:9: replies.PASS: 'text' is required (\"\\n\" between the lines of a multi-line reply)");
    EXPECT_EQ(error_of("replies:\n  LOGIN: {code: 530, text: x}\n"),
              "serve.yaml:2:3: replies.LOGIN: 'LOGIN' is not a command verb (3 or 4 letters, RFC 959 §5.3.1)");
    EXPECT_EQ(error_of("replies:\n  PASS: {code: 530, txt: x}\n"),
              "serve.yaml:2:21: replies.PASS: unknown key 'txt'; did you mean 'text'?");
    EXPECT_EQ(error_of("replies:\n  PASS: 530 Login incorrect.\n"),
              "serve.yaml:2:9: replies.PASS: expected {code: NNN, text: ...} (optionally arg, occurrence), or a list of them");
    EXPECT_EQ(error_of("replies:\n  CWD:\n    - {code: 550, text: x, occurrence: 0}\n"),
              "serve.yaml:3:40: replies.CWD[0].occurrence: '0' is out of range (1 to 1000000)");
    EXPECT_EQ(error_of("replies:\n  PASV: {code: 227, text: \"Entering Passive Mode (1,2,3,4,5,6)\"}\n"),
              "serve.yaml:2:9: replies.PASV.code: only a refusal (4yz, 5yz) can be given to PASV: its positive "
              "reply names the data connection the server sets up; word it with reply_texts (\"PASV 227\")");
    EXPECT_EQ(error_of("replies:\n  RETR: {code: 150, text: x}\n"),
              "serve.yaml:2:9: replies.RETR.code: a 1yz reply to RETR announces a transfer; give its final "
              "reply, or word the 150 with reply_texts (\"RETR 150\")");
    EXPECT_EQ(error_of("replies:\n  USER: {code: 230, text: \"a\\rb\"}\n"),
              "serve.yaml:2:27: replies.USER.text: use '\\n' between lines, not '\\r'");
    EXPECT_EQ(error_of("replies:\n  user: {code: 230, text: a}\n  USER: {code: 331, text: b}\n"),
              "serve.yaml:3:3: replies.USER: the verb USER is given twice (in another case)");
}

TEST(ServerListingsYaml, LinesBecomeCrlfEndedBytes) {
    const ServerConfig c = load_server_config_text(R"(
listings:
  /:
    - "-rw-r--r--    1 0        0            3405 Dec 02  2019 dump.sql"
    - "lrwxrwxrwx    1 0        0               8 Dec 02  2019 latest -> dump.sql"
  /pub: |
    drwxr-xr-x    2 ftp      ftp          4096 Mar 11 09:14 incoming
  /empty: []
)", "serve.yaml").config;
    ASSERT_EQ(c.listings.size(), 3u);
    EXPECT_EQ(c.listings.at("/"),
              "-rw-r--r--    1 0        0            3405 Dec 02  2019 dump.sql\r\n"
              "lrwxrwxrwx    1 0        0               8 Dec 02  2019 latest -> dump.sql\r\n");
    EXPECT_EQ(c.listings.at("/pub"), "drwxr-xr-x    2 ftp      ftp          4096 Mar 11 09:14 incoming\r\n");
    EXPECT_EQ(c.listings.at("/empty"), "");
}

TEST(ServerListingsYaml, BadListings) {
    EXPECT_EQ(error_of("listings:\n  pub: [a]\n"),
              "serve.yaml:2:3: listings.pub: path 'pub' is not absolute (it must start with '/')");
    EXPECT_EQ(error_of("listings:\n  /pub: {a: b}\n"),
              "serve.yaml:2:9: listings./pub: expected the listing's lines: a list of strings, or a block of text");
    EXPECT_EQ(error_of("listings:\n  /pub: [\"a\\nb\"]\n"),
              "serve.yaml:2:10: listings./pub[0]: a listing line cannot contain a line break");
}

}  // namespace
}  // namespace ftpsim::sim::config
