// Classic-client command sequences: Debian's ftp(1) against vsftpd, as in the capture of an
// active-mode session (login, SYST; "ls": PORT + LIST; "mget dump.sql": PORT + NLST dump.sql,
// TYPE I, PORT + RETR dump.sql; "quit").
#include <gtest/gtest.h>

#include "sim/engine/client_scripts.hpp"
#include "engine/client_harness.hpp"

namespace ftpsim::sim::test {
namespace {

using Kind = ClientOp::Kind;

TEST(ClientScripts, SequencesAreWhatFtp1Sends) {
    const auto login = ftp1_login();
    ASSERT_EQ(login.size(), 2u);
    EXPECT_EQ(login[0].kind, Kind::kLogin);
    EXPECT_EQ(login[1].kind, Kind::kSyst);

    const auto ls = ftp1_ls();
    ASSERT_EQ(ls.size(), 1u);
    EXPECT_EQ(ls[0].kind, Kind::kList);
    EXPECT_EQ(ls[0].mode, DataMode::kActive);

    const auto mget = ftp1_mget({"a", "b"});
    ASSERT_EQ(mget.size(), 5u);
    EXPECT_EQ(mget[0].kind, Kind::kNlst);
    EXPECT_EQ(mget[0].arg, "a");
    EXPECT_EQ(mget[1].kind, Kind::kNlst);
    EXPECT_EQ(mget[1].arg, "b");
    EXPECT_EQ(mget[2].kind, Kind::kType);
    EXPECT_EQ(mget[2].arg, "I");
    EXPECT_EQ(mget[3].kind, Kind::kRetr);
    EXPECT_EQ(mget[4].arg, "b");
    for (const auto& op : mget) {
        if (op.kind != Kind::kType) {
            EXPECT_EQ(op.mode, DataMode::kActive);
        }
    }
}

TEST(ClientScripts, Ftp1SessionReplaysTheCapturedCommands) {
    std::vector<ClientOp> ops = ftp1_login();
    for (auto& op : ftp1_ls()) ops.push_back(op);
    for (auto& op : ftp1_mget({"dump.sql"})) ops.push_back(op);
    ops.push_back(make_op(Kind::kQuit));
    ClientConfig config;
    config.user = "ftpuser";
    config.password = "%n?4Wz>R$tTF7";
    config.mode = DataMode::kPassive;  // the scripts choose PORT themselves
    ClientHarness h(ops, config);
    h.local = endpoint("10.10.15.211", 47050);
    h.peer = endpoint("10.10.10.187", 21);
    h.connect();
    h.reply("220 (vsFTPd 3.0.3)");
    h.reply("331 Please specify the password.");
    h.reply("230 Login successful.");
    h.reply("215 UNIX Type: L8");
    EXPECT_EQ(h.take(), (Lines{"> USER ftpuser\r\n", "> PASS %n?4Wz>R$tTF7\r\n", "> SYST\r\n",
                               "LISTEN #1 0-0"}));
    // Ports as in the capture: 40663 = 158,215; 44193 = 172,161; 38545 = 150,145.
    const auto transfer = [&](ChannelId id, std::uint16_t port, const std::string& port_arg,
                              const std::string& command, const std::string& data) {
        h.listening(id, port);
        EXPECT_EQ(h.take(), Lines{"> PORT " + port_arg + "\r\n"});
        h.reply("200 PORT command successful. Consider using PASV.");
        EXPECT_EQ(h.take(), Lines{"> " + command + "\r\n"});
        h.connected(id, endpoint("10.10.10.187", 20));
        h.reply("150 Here comes the data.");
        h.data(id, data);
        h.data_closed(id);
        h.reply("226 Transfer complete.");
    };
    transfer(1, 40663, "10,10,15,211,158,215", "LIST",
             "-rw-r--r-- 1 0 0 3405 Dec 02 2019 dump.sql\r\n");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #1", "LISTEN #2 0-0"}));
    transfer(2, 44193, "10,10,15,211,172,161", "NLST dump.sql", "dump.sql\r\n");
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #2", "> TYPE I\r\n"}));
    h.reply("200 Switching to Binary mode.");
    EXPECT_EQ(h.take(), Lines{"LISTEN #3 0-0"});
    transfer(3, 38545, "10,10,15,211,150,145", "RETR dump.sql", std::string(3405, 'd'));
    EXPECT_EQ(h.take(), (Lines{"CLOSEDATA #3", "> QUIT\r\n"}));
    h.reply("221 Goodbye.");
    EXPECT_EQ(h.take(), Lines{"CLOSE"});
    const auto r = h.results();
    ASSERT_EQ(r.size(), 7u);
    for (const auto& result : r) EXPECT_TRUE(result.ok) << result.error;
    EXPECT_EQ(r[5].bytes, 3405u);
    EXPECT_TRUE(h.session.finished());
}

}  // namespace
}  // namespace ftpsim::sim::test
