// The client operation table (client_op_table.hpp): every op kind has its one entry, names are
// unique, what the engine derives from it, the one masking rule of the logs, and which
// occurrence of its verb a transfer's command is on the wire (what a server fault names).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/engine/client_op_table.hpp"

namespace ftpsim::sim {
namespace {

using K = ClientOp::Kind;

TEST(ClientOpTable, EveryKindHasOneEntryAndNamesAreUnique) {
    std::set<int> kinds;
    std::set<std::string> steps, commands;
    for (const auto& s : client_op_table()) {
        EXPECT_TRUE(steps.insert(s.step).second) << s.step;
        if (s.command != nullptr) {
            EXPECT_TRUE(commands.insert(s.command).second) << s.command;
        }
        if (s.script == OpScript::kNone) {
            EXPECT_TRUE(kinds.insert(static_cast<int>(s.kind)).second) << s.step;
        }
    }
    EXPECT_EQ(kinds.size(), static_cast<std::size_t>(K::kRaw) + 1);  // kRaw is the last kind
}

TEST(ClientOpTable, FindsStepsAndCommandWords) {
    ASSERT_NE(find_step("retr"), nullptr);
    EXPECT_EQ(find_step("retr")->kind, K::kRetr);
    ASSERT_NE(find_command("get"), nullptr);
    EXPECT_EQ(find_command("get")->kind, K::kRetr);
    EXPECT_EQ(find_command("retr"), nullptr);  // the command line says get
    EXPECT_EQ(find_step("get"), nullptr);
    EXPECT_EQ(find_command("stou"), nullptr);  // not offered by `ftpsim client`
}

TEST(ClientOpTable, DataDirections) {
    EXPECT_TRUE(client::is_transfer(K::kStou));
    EXPECT_FALSE(client::is_download(K::kStou));
    EXPECT_TRUE(client::is_download(K::kRetr));
    EXPECT_FALSE(client::is_listing(K::kRetr));
    EXPECT_TRUE(client::is_listing(K::kMlsd));
    EXPECT_FALSE(client::is_transfer(K::kCwd));
    EXPECT_EQ(client::verb_of(K::kMkd), "MKD");
    EXPECT_EQ(client::verb_of(K::kRename), "");
}

TEST(ClientOpTable, MasksPassAcctAndSecretArguments) {
    ClientOp login;
    login.kind = K::kLogin;
    EXPECT_EQ(client::masked_command(login, "USER alice"), "USER alice");
    EXPECT_EQ(client::masked_command(login, "PASS s3cret"), "PASS ****");
    EXPECT_EQ(client::masked_command(login, "ACCT billing"), "ACCT ****");
    EXPECT_EQ(client::masked_command(login, "PASS"), "PASS");  // nothing to hide
    ClientOp raw;
    raw.kind = K::kRaw;
    raw.arg = "pass lower";
    EXPECT_EQ(client::masked_command(raw, "pass lower"), "pass ****");  // verbs are case-insensitive
    raw.arg = "SITE PASSWD hunter2";
    EXPECT_EQ(client::masked_command(raw, raw.arg), raw.arg);
    raw.secret = true;
    EXPECT_EQ(client::masked_command(raw, raw.arg), "SITE ****");
    ClientOp cwd;
    cwd.kind = K::kCwd;
    cwd.arg = "/home/hidden";
    cwd.secret = true;
    EXPECT_EQ(client::masked_command(cwd, "CWD /home/hidden"), "CWD ****");
    EXPECT_EQ(client::masked_command(cwd, "PASV"), "PASV");
    ClientOp retr;
    retr.kind = K::kRetr;
    retr.arg = "key.pem";
    retr.secret = true;
    EXPECT_EQ(client::masked_command(retr, "PORT 10,0,0,1,4,1"), "PORT 10,0,0,1,4,1");  // not its argument
    EXPECT_EQ(client::masked_command(retr, "RETR key.pem"), "RETR ****");
}

ClientOp op(K kind, std::string arg = {}) {
    ClientOp o;
    o.kind = kind;
    o.arg = std::move(arg);
    return o;
}

TEST(ClientOpTable, TransferCommandCountsWhatTheServerCounts) {
    const std::vector<ClientOp> ops = {op(K::kLogin), op(K::kRetr, "a"), op(K::kList), op(K::kRaw, "retr b"),
                                       op(K::kSize, "c"), op(K::kRetr, "c"), op(K::kList, "/")};
    const auto retr = client::transfer_command(ops, 5);
    EXPECT_EQ(retr.verb, "RETR");
    EXPECT_EQ(retr.occurrence, 3u);  // RETR a, the raw "retr b" (verbs are case-insensitive), then this
    const auto list = client::transfer_command(ops, 6);
    EXPECT_EQ(list.verb, "LIST");
    EXPECT_EQ(list.occurrence, 2u);
    EXPECT_EQ(client::transfer_command(ops, 1).occurrence, 1u);
}

}  // namespace
}  // namespace ftpsim::sim
