// `ftpsim client` operations and URLs: what each parses to, and clear errors.
#include <gtest/gtest.h>

#include "sim/config/command_line_ops.hpp"
#include "sim/config/ftp_url.hpp"
#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim::config {
namespace {

using Kind = ClientOp::Kind;

std::vector<CliOp> parse(std::vector<std::string> words) {
    std::vector<CliOp> ops;
    std::string error;
    EXPECT_TRUE(parse_command_line_ops(words, ops, error)) << error;
    return ops;
}

std::string error_of(std::vector<std::string> words) {
    std::vector<CliOp> ops;
    std::string error;
    EXPECT_FALSE(parse_command_line_ops(words, ops, error));
    return error;
}

TEST(ClientOpsParser, OptionalArgumentsEndAtTheNextOperation) {
    auto ops = parse({"ls", "pwd", "ls", "pub", "get", "a.txt", "get", "b.bin", "out.bin", "nlst"});
    ASSERT_EQ(ops.size(), 6u);
    EXPECT_EQ(ops[0].op.kind, Kind::kList);
    EXPECT_EQ(ops[0].op.arg, "");
    EXPECT_EQ(ops[1].op.kind, Kind::kPwd);
    EXPECT_EQ(ops[2].op.arg, "pub");
    EXPECT_EQ(ops[3].op.kind, Kind::kRetr);
    EXPECT_EQ(ops[3].local, "");
    EXPECT_EQ(ops[4].op.arg, "b.bin");
    EXPECT_EQ(ops[4].local, "out.bin");
    EXPECT_EQ(ops[4].text, "get b.bin out.bin");
    EXPECT_EQ(ops[5].op.kind, Kind::kNlst);
}

TEST(ClientOpsParser, EveryOperation) {
    auto ops = parse({"put", "/tmp/x/up.bin", "append", "l.txt", "r.txt", "cd", "ls", "cdup", "mkdir", "d", "rmdir",
                      "d", "rm", "f", "rename", "a", "b", "size", "f", "mdtm", "f", "type", "a", "feat", "syst",
                      "noop", "mlsd", "quote", "SITE", "HELP", ";", "quote", "stat", "quit"});
    std::vector<Kind> kinds;
    for (const auto& o : ops) kinds.push_back(o.op.kind);
    EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kStor, Kind::kAppe, Kind::kCwd, Kind::kCdup, Kind::kMkd, Kind::kRmd,
                                        Kind::kDele, Kind::kRename, Kind::kSize, Kind::kMdtm, Kind::kType, Kind::kFeat,
                                        Kind::kSyst, Kind::kNoop, Kind::kMlsd, Kind::kRaw, Kind::kRaw, Kind::kQuit}));
    EXPECT_EQ(ops[0].op.arg, "up.bin");  // REMOTE defaults to LOCAL's file name
    EXPECT_EQ(ops[0].local, "/tmp/x/up.bin");
    EXPECT_EQ(ops[1].op.arg, "r.txt");
    EXPECT_EQ(ops[2].op.arg, "ls");  // a required argument is taken as is
    EXPECT_EQ(ops[7].op.arg2, "b");
    EXPECT_EQ(ops[10].op.arg, "A");
    EXPECT_EQ(ops[15].op.arg, "SITE HELP");
    EXPECT_EQ(ops[16].op.arg, "stat");
}

TEST(ClientOpsParser, Errors) {
    EXPECT_EQ(error_of({}), "no operation given (e.g. ls, get FILE, put FILE)");
    EXPECT_EQ(error_of({"lss"}), "unknown operation 'lss'; did you mean 'ls'?");
    EXPECT_EQ(error_of({"frobnicate"}), "unknown operation 'frobnicate' (see --help for the list)");
    EXPECT_EQ(error_of({"get"}), "get: missing argument (get REMOTE [LOCAL])");
    EXPECT_EQ(error_of({"rename", "a"}), "rename: missing argument (rename FROM TO)");
    EXPECT_EQ(error_of({"type", "E"}), "type E: expected A (ASCII) or I (binary)");
    EXPECT_EQ(error_of({"cd", "a\r\nDELE x"}), "cd: an argument contains a line break or NUL");
    EXPECT_EQ(error_of({"put", "dir/"}), "put dir/: no file name to store it under; give REMOTE");
    EXPECT_EQ(error_of({"pwd", "extra"}), "unknown operation 'extra' (see --help for the list)");
}

TEST(FtpUrl, Parts) {
    FtpUrl u;
    std::string error;
    ASSERT_TRUE(parse_ftp_url("ftp://alice:p%40ss@127.0.0.1:2121/pub/dir/", u, error)) << error;
    EXPECT_EQ(*u.user, "alice");
    EXPECT_EQ(*u.password, "p@ss");
    EXPECT_EQ(u.host, "127.0.0.1");
    EXPECT_EQ(u.port, 2121);
    EXPECT_EQ(u.path, "pub/dir");
    ASSERT_TRUE(parse_ftp_url("ftp://[::1]/", u, error)) << error;
    EXPECT_FALSE(u.user);
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 21);
    EXPECT_EQ(u.path, "");
    ASSERT_TRUE(parse_ftp_url("ftp://localhost", u, error)) << error;
    EXPECT_EQ(u.host, "localhost");
}

TEST(FtpUrl, Errors) {
    FtpUrl u;
    std::string error;
    EXPECT_FALSE(parse_ftp_url("http://127.0.0.1/", u, error));
    EXPECT_EQ(error, "'http://127.0.0.1/' is not an ftp:// URL (ftp://[user[:password]@]host[:port]/)");
    EXPECT_FALSE(parse_ftp_url("ftp://127.0.0.1:99999/", u, error));
    EXPECT_EQ(error, "port of 'ftp://127.0.0.1:99999/': '99999' is out of range (1 to 65535)");
    EXPECT_FALSE(parse_ftp_url("ftp://u:p@/", u, error));
    EXPECT_EQ(error, "no host in 'ftp://u:p@/'");
    EXPECT_FALSE(parse_ftp_url("ftp://a%0d%0aDELE:x@h/", u, error));
    EXPECT_EQ(error, "'a%0d%0aDELE' decodes to a line break or NUL");
}

// The words, their arity and --help all come from the operation table (client_op_table.hpp).
TEST(ClientOpsParser, EveryTableCommandParsesAndIsInTheHelp) {
    const std::string help = command_line_ops_help();
    for (const auto& spec : client_op_table()) {
        if (spec.command == nullptr) continue;
        EXPECT_NE(help.find(std::string("  ") + spec.usage), std::string::npos) << spec.command;
        std::vector<std::string> words = {spec.command};
        for (int i = 0; i < spec.required; ++i) words.push_back(spec.kind == Kind::kType ? "I" : "x" + std::to_string(i));
        const auto ops = parse(words);
        ASSERT_EQ(ops.size(), 1u) << spec.command;
        EXPECT_EQ(ops[0].op.kind, spec.kind) << spec.command;
    }
}

}  // namespace
}  // namespace ftpsim::sim::config
