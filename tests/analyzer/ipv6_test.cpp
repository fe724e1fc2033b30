// FTP over IPv6 (RFC 2428): EPRT for active mode, EPSV / 229 for passive mode.
#include <gtest/gtest.h>

#include "support/capture_test.hpp"
#include "support/ftp_session.hpp"
#include "support/transfer_expectations.hpp"

namespace ftpsim::testsupport {
namespace {

using analyzer::DataEvent;

const Ep kClient6{"2001:db8::5", 50123};
const Ep kServer6{"2001:db8::10", 21};
const HandshakeOptions kMss1440{1440, 7};

class Ipv6Test : public CaptureTest {
protected:
    const std::string listing = "-rw-r--r-- 1 ftp ftp 4000 Jan 01 12:00 big.bin\r\n";
    const std::string file = file_bytes(4000, 3);

    Capture& session(Capture& cap) {
        Connection& ctrl =
            logged_in_control(cap, {.client = kClient6, .server = kServer6, .handshake = kMss1440});
        exchange(ctrl, "EPRT |2|2001:db8::5|2203|", "200 EPRT command successful.");
        command(ctrl, "LIST");
        Connection& active =
            open_connection(cap, {"2001:db8::10", 20}, {"2001:db8::5", 2203}, kMss1440);
        reply(ctrl, "150 Here comes the directory listing.");
        send_and_close(active, listing, kFromClient);
        reply_acked(ctrl, "226 Directory send OK.");
        exchange(ctrl, "EPSV", "229 Entering Extended Passive Mode (|||6446|)");
        Connection& passive =
            open_connection(cap, {"2001:db8::5", 50124}, {"2001:db8::10", 6446}, kMss1440);
        start_transfer(ctrl, "RETR big.bin",
                       "150 Opening BINARY mode data connection for big.bin (4000 bytes).");
        send_and_close(passive, file, kFromServer);
        complete_and_quit(ctrl, "226 Transfer complete.", "221 Goodbye.");
        return cap;
    }
};

TEST_F(Ipv6Test, DecodesTheControlConnection) {
    Capture cap;
    EventCollector ev = analyze(session(cap));
    using P = std::pair<std::string, std::string>;
    EXPECT_EQ(ev.commands(),
              (std::vector<P>{{"USER", "anonymous"}, {"PASS", "s3cret"},
                              {"EPRT", "|2|2001:db8::5|2203|"}, {"LIST", ""}, {"EPSV", ""},
                              {"RETR", "big.bin"}, {"QUIT", ""}}))
        << ev.dump();
    EXPECT_EQ(ev.replies(), (std::vector<int>{220, 331, 230, 200, 150, 226, 229, 150, 226, 221}));
    auto opens = ev.of<analyzer::ConnOpen>();
    ASSERT_FALSE(opens.empty());
    EXPECT_EQ(opens[0].src.str(), "[2001:db8::5]:50123");
    EXPECT_TRUE(opens[0].src.addr.v6);
    EXPECT_TRUE(ev.anomaly_names().empty()) << ev.dump();
}

TEST_F(Ipv6Test, EprtDataConnectionIsActive) {
    Capture cap;
    EventCollector ev = analyze(session(cap));
    auto data = ev.bodies<DataEvent>();
    ASSERT_EQ(data.size(), 2u) << ev.dump();
    expect_transfer(data[0], {.mode = "active", .command = "LIST", .content = listing,
                              .completion = 226, .data_client = "[2001:db8::10]:20",
                              .data_server = "[2001:db8::5]:2203"});
}

TEST_F(Ipv6Test, EpsvDataConnectionIsPassive) {
    Capture cap;
    EventCollector ev = analyze(session(cap));
    auto data = ev.bodies<DataEvent>();
    ASSERT_EQ(data.size(), 2u) << ev.dump();
    expect_transfer(data[1], {.mode = "passive", .command = "RETR", .arg = "big.bin",
                              .direction = "download", .content = file, .completion = 226,
                              .data_client = "[2001:db8::5]:50124",
                              .data_server = "[2001:db8::10]:6446"});
}

}  // namespace
}  // namespace ftpsim::testsupport
