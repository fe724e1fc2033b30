// `ftpsim serve` refuses FTP bounce (PORT/EPRT naming a third host or a privileged port) and
// passive data connections stolen from another address than the control peer; probed over raw
// sockets where no client tool can express the attack. Loopback only.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "interop/security_fixture.hpp"

namespace ftpsim::interop {
namespace {

// --- FTP bounce (CERT CA-1997-27): PORT/EPRT naming another host, or a privileged port ---

TEST_F(SecurityTest, PortToAnotherHostIsRefusedAndNothingConnectsThere) {
    ASSERT_NO_FATAL_FAILURE(serve());
    TcpSocket trap = TcpSocket::listen(kForeign, 0);
    const std::uint16_t trap_port = trap.local_port();
    FtpControl ctl = logged_in();

    FtpReply r = ctl.command("PORT " + port_argument(kForeign, trap_port));
    EXPECT_EQ(r.code, 500) << "PORT " << port_argument(kForeign, trap_port) << " -> " << to_string(r);
    r = ctl.command("EPRT |1|" + std::string(kForeign) + "|" + std::to_string(trap_port) + "|");
    EXPECT_EQ(r.code, 500) << "EPRT to " << kForeign << " -> " << to_string(r);
    // Whatever it answered, a transfer now must not reach the third host.
    r = ctl.command("LIST");
    EXPECT_TRUE(r.code >= 400) << "LIST after a refused PORT -> " << to_string(r);
    if (r.code >= 100 && r.code < 200) ctl.read_reply(5000ms);
    TcpSocket victim = trap.accept(1500ms);
    EXPECT_FALSE(victim.valid()) << "the server connected to " << kForeign << ":" << trap_port;

    // The session still works with an honest PORT.
    TcpSocket mine = TcpSocket::listen("127.0.0.1", 0);
    r = ctl.command("PORT " + port_argument("127.0.0.1", mine.local_port()));
    ASSERT_EQ(r.code, 200) << to_string(r);
    r = ctl.command("NLST");
    ASSERT_TRUE(r.code == 150 || r.code == 125) << to_string(r);
    TcpSocket data = mine.accept(5000ms);
    ASSERT_TRUE(data.valid()) << "no active data connection to 127.0.0.1";
    const std::string names = data.read_to_eof(10000ms);
    EXPECT_NE(names.find("hello.txt"), std::string::npos) << names;
    EXPECT_EQ(ctl.read_reply().code, 226);
}

TEST_F(SecurityTest, PortToAPrivilegedPortIsRefused) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    for (const std::string& cmd : {std::string("PORT 127,0,0,1,0,25"), std::string("PORT 127,0,0,1,3,255"),
                                   std::string("EPRT |1|127.0.0.1|80|"), std::string("EPRT |1|127.0.0.1|1023|")}) {
        FtpReply r = ctl.command(cmd);
        EXPECT_EQ(r.code, 500) << cmd << " -> " << to_string(r);
    }
    // Port 1024 is not privileged: accepted.
    TcpSocket ok = TcpSocket::listen("127.0.0.1", 0);
    FtpReply r = ctl.command("EPRT |1|127.0.0.1|" + std::to_string(ok.local_port()) + "|");
    EXPECT_EQ(r.code, 200) << to_string(r);
}

TEST_F(SecurityTest, BouncePortThroughOurClientQuoteIsRefused) {
    ASSERT_NO_FATAL_FAILURE(serve());
    TcpSocket trap = TcpSocket::listen(kForeign, 0);
    const std::string port_cmd = "PORT " + port_argument(kForeign, trap.local_port());
    auto r = run_tool({ftpsim_binary(), "client", server_->url(), "quote", port_cmd}, "client-quote");
    EXPECT_FALSE(r.timed_out) << r.description;
    EXPECT_NE(r.out.find("500"), std::string::npos) << "no 500 for " << port_cmd << "\n" << r.description;
    EXPECT_FALSE(trap.accept(500ms).valid());
}

// --- passive mode: a data connection from another address than the control peer ---

// Connects to the passive port from 127.0.0.2. A server may accept and reset the connection so
// fast that the connect itself reports ECONNRESET: that is a refusal too (an invalid socket).
TcpSocket connect_from_foreign(std::uint16_t port) {
    try {
        return TcpSocket::connect("127.0.0.1", port, kForeign);
    } catch (const std::exception& e) {
        std::cout << "the connection from " << kForeign << " failed at once: " << e.what() << std::endl;
        return TcpSocket();
    }
}

TEST_F(SecurityTest, PassiveConnectionFromAnotherAddressIsRefused) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    FtpReply pasv = ctl.command("PASV");
    ASSERT_EQ(pasv.code, 227) << to_string(pasv);
    auto hp = parse_pasv(pasv.text);
    ASSERT_TRUE(hp) << pasv.text;
    EXPECT_EQ(hp->first, "127.0.0.1") << "PASV announces another address: " << pasv.text;

    // The thief connects first, from 127.0.0.2, then the owner asks for the file.
    TcpSocket thief = connect_from_foreign(hp->second);
    FtpReply first = ctl.command("RETR data.bin", 3000ms);
    std::string stolen;
    TcpSocket::RecvStatus st{};
    FtpReply final = first;
    if (first.code == 0 || (first.code >= 100 && first.code < 200)) {
        // The server is still waiting for its peer (or said 150 before accepting): the real
        // client's connection must get the file.
        TcpSocket owner = TcpSocket::connect("127.0.0.1", hp->second);
        if (first.code == 0) first = ctl.read_reply(10000ms);
        ASSERT_TRUE(first.code == 150 || first.code == 125) << "RETR -> " << to_string(first);
        const std::string got = owner.read_to_eof(20000ms);
        final = ctl.read_reply(20000ms);
        EXPECT_EQ(final.code, 226) << to_string(final);
        EXPECT_EQ(sha256_bytes(got), served_.files.at("data.bin")) << got.size() << " bytes to the real client";
        if (thief.valid()) stolen = thief.read_to_eof(1000ms, &st);
    } else {
        // Refused outright (vsftpd: "425 Security: Bad IP connecting."): a fresh PASV from the
        // real client works.
        EXPECT_EQ(first.code / 100, 4) << "RETR after a foreign data connection -> " << to_string(first);
        if (thief.valid()) stolen = thief.read_to_eof(1000ms, &st);
        DataCommandResult again = passive_command(ctl, "127.0.0.1", "RETR data.bin");
        EXPECT_EQ(again.final.code, 226) << to_string(again);
        EXPECT_EQ(sha256_bytes(again.data), served_.files.at("data.bin"));
    }
    EXPECT_EQ(stolen.size(), 0u) << "the connection from 127.0.0.2 received " << stolen.size() << " bytes";
}

TEST_F(SecurityTest, PassiveUploadFromAnotherAddressIsNotStored) {
    ASSERT_NO_FATAL_FAILURE(serve());
    FtpControl ctl = logged_in();
    FtpReply pasv = ctl.command("PASV");
    auto hp = parse_pasv(pasv.text);
    ASSERT_TRUE(hp) << to_string(pasv);
    TcpSocket thief = connect_from_foreign(hp->second);
    const std::string planted = "planted by 127.0.0.2\n";
    if (thief.valid()) {
        thief.send_all(planted, 2000ms);
        thief.shutdown_write();
    }
    FtpReply r = ctl.command("STOR incoming/planted.txt", 3000ms);
    const bool waited_for_owner = r.code == 0 || (r.code >= 100 && r.code < 200);
    if (waited_for_owner) {
        // Still waiting for the real peer: give it an honest upload.
        TcpSocket owner = TcpSocket::connect("127.0.0.1", hp->second);
        if (r.code == 0) r = ctl.read_reply(10000ms);
        owner.send_all("honest\n", 2000ms);
        owner.close();
        r = ctl.read_reply(10000ms);
    }
    std::this_thread::sleep_for(200ms);
    const std::string stored = read_file(root_ / "incoming/planted.txt");
    EXPECT_EQ(stored.find("planted"), std::string::npos) << "the server stored what 127.0.0.2 sent: " << stored;
    if (waited_for_owner) {
        EXPECT_EQ(r.code, 226) << "the real client's STOR -> " << to_string(r);
        EXPECT_EQ(stored, "honest\n") << "the real client's upload was not stored as sent";
    }
}

}  // namespace
}  // namespace ftpsim::interop
