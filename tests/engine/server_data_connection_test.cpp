// Setting up data connections: active mode from port 20, the bounce and port-stealing checks
// (RFC 2577 section 3), a foreign peer on a passive port, EPSV ALL (RFC 2428 section 4), the
// PASV address and PASV on an IPv6 control connection.
#include <gtest/gtest.h>

#include "engine/server_harness.hpp"

namespace ftpsim::sim {
namespace {

using test::endpoint;
using test::ServerHarness;

class ServerDataConnection : public test::TransferFixture {};

TEST_F(ServerDataConnection, ActiveModeConnectsFromPort20) {
    start(Personality::kVsftpd);
    h.send("TYPE I");
    h.next();
    h.send("PORT 192,0,2,10,172,161");
    EXPECT_EQ(h.next_line(), "200 PORT command successful. Consider using PASV.");
    EXPECT_TRUE(h.channels.empty());  // nothing until the transfer command
    h.send("RETR /pub/dump.sql");
    const ChannelId id = h.last_channel();
    ASSERT_NE(id, 0u);
    EXPECT_EQ(h.channels[id].remote, endpoint("192.0.2.10", 44193));
    EXPECT_EQ(h.channels[id].local_port, 20);
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "line one\nline two\r\nthree\n");

    h.send("EPRT |1|192.0.2.10|2000|");
    EXPECT_EQ(h.next_line(), "200 EPRT command successful. Consider using EPSV.");
    h.send("NLST /pub");
    EXPECT_EQ(h.channels[h.last_channel()].remote, endpoint("192.0.2.10", 2000));
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
}

TEST_F(ServerDataConnection, BouncePortAndLowPortAreRefused) {
    start(Personality::kVsftpd);
    h.send("PORT 10,0,0,9,0,25");  // another host's SMTP: the FTP bounce attack
    EXPECT_EQ(h.next_line(), "500 Illegal PORT command.");
    EXPECT_NE(std::find(h.logs.begin(), h.logs.end(),
                        "refused PORT to 10.0.0.9:25: not the control peer 192.0.2.10"),
              h.logs.end());
    h.send("RETR /pub/dump.sql");
    EXPECT_EQ(h.next_code(), 425);  // the refused PORT left no set-up
    h.send("PORT 192,0,2,10,0,22");  // the client's own privileged port
    EXPECT_EQ(h.next_line(), "500 Illegal PORT command.");
    h.send("EPRT |1|10.0.0.9|5000|");
    EXPECT_EQ(h.next_line(), "500 Illegal EPRT command.");
    h.send("EPRT |3|x|5000|");
    EXPECT_EQ(h.next_code(), 500);  // vsftpd: "Bad EPRT protocol."
    h.send("PORT 1,2,3");
    EXPECT_EQ(h.next_code(), 500);
    EXPECT_TRUE(h.channels.empty());

    ServerHarness n;  // neutral: RFC 2428 §2's 522 and a syntax 501
    n.start_logged_in();
    n.send("EPRT |3|x|5000|");
    EXPECT_EQ(n.next_code(), 522);
    n.send("PORT 1,2,3");
    EXPECT_EQ(n.next_code(), 501);

    ServerHarness f;  // FileZilla's wording
    f.config.personality = Personality::kFileZilla;
    f.start_logged_in();
    f.send("PORT 10,0,0,9,4,0");
    EXPECT_EQ(f.next_line(),
              "421 Rejected command, requested IP address does not match control connection IP.");
    EXPECT_FALSE(f.control_closed);
}

TEST_F(ServerDataConnection, BounceAllowedWhenConfigured) {
    h.config.allow_foreign_port = true;
    h.config.allow_privileged_port = true;
    start();
    h.send("PORT 10,0,0,9,0,25");
    EXPECT_EQ(h.next_code(), 200);
    h.send("NLST /pub");
    EXPECT_EQ(h.channels[h.last_channel()].remote, endpoint("10.0.0.9", 25));
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
}

TEST_F(ServerDataConnection, ForeignPassivePeerIsRefusedAndTheRealClientServed) {
    start();
    const ChannelId id = h.pasv();
    h.send("NLST /pub");
    EXPECT_TRUE(h.no_reply());  // waiting for the connection
    h.connect(id, endpoint("198.51.100.7", 33333));  // somebody racing for the port
    EXPECT_EQ(h.channels[id].refused, 1);
    EXPECT_FALSE(h.channels[id].closed);  // keep_listening: the listener stays open
    EXPECT_TRUE(h.no_reply());
    EXPECT_NE(std::find(h.logs.begin(), h.logs.end(),
                        "refused passive data connection from 198.51.100.7:33333: not the "
                        "control peer 192.0.2.10"),
              h.logs.end());
    h.connect(id);
    EXPECT_EQ(h.next_code(), 150);
    EXPECT_EQ(h.next_code(), 226);
    EXPECT_EQ(h.channels[id].received, "dump.sql\r\nhtml.tar.gz\r\n");

    ServerHarness a;
    a.config.allow_foreign_data_peer = true;
    a.memfs.add_file("/x", "x");
    a.start_logged_in();
    const ChannelId aid = a.pasv();
    a.connect(aid, endpoint("198.51.100.7", 33333));
    EXPECT_EQ(a.channels[aid].refused, 0);
    a.send("NLST");
    EXPECT_EQ(a.next_code(), 150);
    EXPECT_EQ(a.next_code(), 226);
}

TEST_F(ServerDataConnection, EpsvAllLocksOutOtherSetups) {
    start();
    h.send("EPSV ALL");
    EXPECT_EQ(h.next_code(), 200);
    for (const char* cmd : {"PASV", "PORT 192,0,2,10,200,1", "EPRT |1|192.0.2.10|5000|"}) {
        h.send(cmd);
        EXPECT_EQ(h.next_code(), 500) << cmd;  // RFC 2428 §4
    }
    EXPECT_TRUE(h.channels.empty());
    const ChannelId id = h.epsv();
    EXPECT_EQ(h.control.substr(h.control.rfind("229")),
              "229 Entering Extended Passive Mode (|||" + std::to_string(h.channels[id].port) +
                  "|)\r\n");
    h.send("EPSV 2");  // the control connection is IPv4
    EXPECT_EQ(h.next_code(), 522);
    h.send("EPSV 1");
    EXPECT_EQ(h.next_code(), 229);
}

TEST_F(ServerDataConnection, PasvAddressAndIpv6Control) {
    h.config.pasv_address = endpoint("203.0.113.5", 0).addr;  // behind NAT
    start();
    h.send("PASV");
    EXPECT_EQ(h.next().text, "Entering Passive Mode (203,0,113,5,195,80).");

    ServerHarness v6;
    v6.config.personality = Personality::kVsftpd;
    v6.server_ep = endpoint("2001:db8::1", 21);
    v6.client_ep = endpoint("2001:db8::10", 40000);
    v6.start_logged_in();
    v6.send("EPSV");
    EXPECT_EQ(v6.next_code(), 229);
    const auto listen = std::find_if(v6.actions.begin(), v6.actions.end(), [](const Action& a) {
        return std::holds_alternative<ListenData>(a);
    });
    ASSERT_NE(listen, v6.actions.end());
    EXPECT_TRUE(std::get<ListenData>(*listen).ipv6);
    v6.send("EPSV 1");
    EXPECT_EQ(v6.next_code(), 522);
    v6.send("PASV");  // no IPv4 address to give: vsftpd's 0,0,0,0
    EXPECT_EQ(v6.next().text, "Entering Passive Mode (0,0,0,0,195,81).");
    v6.send("EPRT |2|2001:db8::10|5000|");
    EXPECT_EQ(v6.next_code(), 200);
    v6.send("EPRT |2|2001:db8::99|5000|");
    EXPECT_EQ(v6.next_code(), 500);
}

TEST_F(ServerDataConnection, NeutralServerRefusesPasvOnIpv6) {
    ServerHarness v6;
    v6.config.personality = Personality::kNeutral;
    v6.server_ep = endpoint("2001:db8::1", 21);
    v6.client_ep = endpoint("2001:db8::10", 40000);
    v6.start_logged_in();
    v6.send("PASV");  // a 227 cannot name an IPv6 address (RFC 2428 §1)
    EXPECT_EQ(v6.next_code(), 500);
    EXPECT_TRUE(std::none_of(v6.actions.begin(), v6.actions.end(), [](const Action& a) {
        return std::holds_alternative<ListenData>(a);
    }));
    v6.send("EPSV");
    EXPECT_EQ(v6.next_code(), 229);
}

}  // namespace
}  // namespace ftpsim::sim
